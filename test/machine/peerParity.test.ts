// The same multiboot kernels, built by lguest-debug's own assembler, run in lguest-debug, in
// qemu-system-i386 -kernel and in the npm v86 package, and all three print the same result.
// Peers that are missing skip with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleProgram } from '../../src/emu/asm/assemble';
import { hasErrors, formatDiagnostic } from '../../src/emu/asm/diagnostics';
import { flatImage } from '../../src/emu/asm/link/flatImage';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import { runOurs } from '../../bench/ourEngine';
import { qemuAvailable, runQemu, runV86, v86Available } from '../../bench/peerEngines';
import { repositoryRoot } from '../helpers/sharedFiles';
import { qemuSkipReason } from '../helpers/tools';

const ITERATIONS = 1000;
const directory = mkdtempSync(join(tmpdir(), 'lgd-parity-'));

function buildKernel(name: string): { bytes: Uint8Array; path: string } {
  const program = assembleProgram([join(repositoryRoot, 'bench', 'kernels', `${name}.S`)], nodeFileSystem, { baseAddress: 0x100000 });
  assert.ok(!hasErrors(program.diagnostics), program.diagnostics.map(formatDiagnostic).join('\n'));
  const bytes = flatImage(program).bytes;
  const path = join(directory, `${name}.bin`);
  writeFileSync(path, bytes);
  return { bytes, path };
}

for (const name of ['k1', 'k2', 'k3']) {
  test(`${name}: lguest-debug, QEMU and v86 agree`, { skip: qemuSkipReason() || (qemuAvailable() as string | false) }, async (t) => {
    const kernel = buildKernel(name);
    const ours = runOurs(kernel.bytes, ITERATIONS).result;
    assert.match(ours, new RegExp(`^${name} done [0-9a-f]{8}$`));
    assert.equal(runQemu(kernel.path, ITERATIONS).result, ours, 'QEMU');
    const v86Skip = v86Available();
    if (v86Skip) t.diagnostic(`v86 skipped: ${v86Skip}`);
    else assert.equal((await runV86(kernel.bytes, ITERATIONS)).result, ours, 'v86');
  });
}
