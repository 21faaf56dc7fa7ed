// Differential: the multiboot information, memory map, strings, module list and module bytes our
// loader writes must equal what QEMU 7.2's -kernel gives the same image (read back by the
// mbiDump kernel over COM1), for the a.out kludge and ELF, with and without modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhysicalMemory } from '../../src/emu/machine/physicalMemory';
import { loadMultiboot } from '../../src/emu/machine/loader/multibootLoader';
import { buildSourceKernel } from '../harness/kernels/buildKernel';
import { parseMbiDump } from '../harness/kernels/mbiDumpOutput';
import { runQemu } from '../harness/qemu/qemuRunner';
import { gnuAsSkipReason, gnuLdSkipReason, qemuSkipReason } from '../helpers/tools';

const skip = qemuSkipReason() || gnuAsSkipReason() || gnuLdSkipReason();

interface Case {
  readonly name: string;
  readonly aout: boolean;
  readonly memoryMiB: number;
  readonly commandLine?: string;
  readonly modules: readonly { file: string; args?: string; data: Uint8Array }[];
}

const cases: Case[] = [
  { name: 'a.out kludge, no command line, no modules, 128 MiB', aout: true, memoryMiB: 128, modules: [] },
  {
    name: 'a.out kludge, command line and two modules, 64 MiB', aout: true, memoryMiB: 64, commandLine: 'a=1 b',
    modules: [{ file: 'big.bin', args: 'x y', data: Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff) }, { file: 'mod2.bin', data: new TextEncoder().encode('second module data') }],
  },
  { name: 'ELF, command line and one module, 256 MiB', aout: false, memoryMiB: 256, commandLine: 'console=ttyS0', modules: [{ file: 'm.txt', data: new TextEncoder().encode('hello\n') }] },
];

for (const c of cases) {
  test(`MBI bytes equal QEMU's: ${c.name}`, { skip }, () => {
    const kernel = buildSourceKernel('mbiDump.S', { defines: c.aout ? { AOUT: 1 } : {}, flatBinary: c.aout });
    const directory = mkdtempSync(join(tmpdir(), 'lgd-mbi-'));
    try {
      const moduleSpecs = c.modules.map((m) => {
        const path = join(directory, m.file);
        writeFileSync(path, m.data);
        return { spec: m.args ? `${path} ${m.args}` : path, data: m.data };
      });
      const qemu = runQemu({ image: kernel.imagePath, memoryMiB: c.memoryMiB, commandLine: c.commandLine, modules: moduleSpecs.map((m) => m.spec) });
      try {
        assert.equal(qemu.status, (0x10 << 1) | 1, `QEMU did not finish the dump: ${qemu.stderr}`);
        const dump = parseMbiDump(qemu.serial);
        assert.ok(dump.complete, 'the dump ended with D');
        const memory = new PhysicalMemory(c.memoryMiB * 1024 * 1024);
        const result = loadMultiboot(memory, readFileSync(kernel.imagePath), {
          kernelName: kernel.imagePath,
          commandLine: c.commandLine ?? '',
          modules: moduleSpecs.map((m) => ({ commandLine: m.spec, data: m.data })),
        });
        assert.equal(dump.eax, 0x2badb002);
        assert.equal(dump.ebx, result.mbiAddress);
        assert.equal(dump.esp, result.entryState.registers.esp);
        assert.ok(dump.regions.length >= 4);
        for (const region of dump.regions) {
          const ours = memory.readBytes(region.address, region.bytes.length);
          assert.deepEqual(Buffer.from(ours).toString('hex'), Buffer.from(region.bytes).toString('hex'), `region at 0x${region.address.toString(16)}`);
        }
      } finally {
        qemu.dispose();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
      kernel.dispose();
    }
  });
}
