// `lguest-debug boot`: argument errors, unreadable or bad images and modules (clear message,
// status 4, no crash), help; and, once the CPU runs the test kernels, serial output to stdout,
// isa-debug-exit status, the instruction limit, --stats, and the real process through main.ts.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOT_EXIT, runBootCommand } from '../../src/cli/bootCommand';
import { buildSourceKernel, type BuiltKernel } from '../harness/kernels/buildKernel';
import { gnuAsSkipReason, gnuLdSkipReason } from '../helpers/tools';
import { repositoryRoot } from '../helpers/sharedFiles';
import { buildAoutImage } from './imageBuilders';

interface Captured {
  status: number;
  stdout: string;
  stderr: string;
}

async function boot(args: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const status = await runBootCommand(args, {
    stdout: (text) => (stdout += typeof text === 'string' ? text : Buffer.from(text).toString('latin1')),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}

function scratch(): { dir: string; file: (name: string, data: Uint8Array) => string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-boot-'));
  return {
    dir,
    file: (name, data) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('usage errors: no image, unknown option, bad numbers (status 2, help shown)', async () => {
  for (const args of [[], ['--frobnicate', 'x'], ['k', '--memory', 'lots'], ['k', '--memory', '1'], ['k', '--max-instructions'], ['a', 'b']]) {
    const result = await boot(args);
    assert.equal(result.status, BOOT_EXIT.usage, args.join(' '));
    assert.match(result.stderr, /^lguest-debug boot: .+\nusage: lguest-debug boot IMAGE/);
  }
  const help = await boot(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /exit status:[\s\S]*\(v << 1\) \| 1/);
});

test('a missing image or module, garbage, a bad checksum, a truncated image: status 4 and a clear message', async () => {
  const files = scratch();
  try {
    const good = files.file('good.bin', buildAoutImage());
    const cases: [string[], RegExp][] = [
      [[join(files.dir, 'absent.bin')], /cannot read image '.*absent\.bin': no such file/],
      [[good, '--module', `${join(files.dir, 'nope.mod')} arg`], /cannot read module '.*nope\.mod': no such file/],
      [[files.file('garbage.bin', new Uint8Array(9000).fill(0x5a))], /no multiboot header/],
      [[files.file('bad.bin', buildAoutImage({ badChecksum: true }))], /bad checksum/],
      [[files.file('short.bin', buildAoutImage({ codeBytes: 200 }).subarray(0, 100))], /image is truncated/],
      [[files.file('empty.bin', new Uint8Array(0))], /too short to hold a multiboot header/],
      [[good, '--memory', '2', '--module', files.file('huge.mod', new Uint8Array(3 << 20))], /does not fit in 2 MiB/],
    ];
    for (const [args, message] of cases) {
      const result = await boot(args);
      assert.equal(result.status, BOOT_EXIT.loadError, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  } finally {
    files.dispose();
  }
});

const toolSkip = gnuAsSkipReason() || gnuLdSkipReason();

/** Builds helloSerial and boots it; skips the test while the CPU cannot run it yet. */
async function bootHello(t: TestContext, extra: string[] = []): Promise<{ result: Captured; kernel: BuiltKernel } | undefined> {
  const kernel = buildSourceKernel('helloSerial.S', { flatBinary: true });
  const result = await boot([kernel.imagePath, ...extra]);
  if (result.status === BOOT_EXIT.tripleFault || result.status === BOOT_EXIT.cpuError) {
    const why = /not decoded yet|not implemented|unsupported/i.test(result.stderr);
    if (why) {
      kernel.dispose();
      t.skip(`the CPU cannot run the test kernel yet: ${(result.stderr.split('\n').find((l) => l.startsWith('lguest-debug boot:')) ?? '').slice(0, 160)}`);
      return undefined;
    }
  }
  return { result, kernel };
}

test('helloSerial boots: COM1 on stdout, isa-debug-exit status 33, --stats on stderr', { skip: toolSkip }, async (t) => {
  const booted = await bootHello(t, ['--stats']);
  if (!booted) return;
  try {
    assert.equal(booted.result.stdout, 'Hello from a multiboot kernel\n');
    assert.equal(booted.result.status, 33, booted.result.stderr);
    assert.match(booted.result.stderr, /instructions: \d+\n[\s\S]*MIPS: [\d.]+/);
  } finally {
    booted.kernel.dispose();
  }
});

test('the instruction limit ends the run with status 8 and says so', { skip: toolSkip }, async (t) => {
  const booted = await bootHello(t, ['--max-instructions', '20']);
  if (!booted) return;
  try {
    assert.equal(booted.result.status, BOOT_EXIT.instructionLimit);
    assert.match(booted.result.stderr, /instruction limit \(20 instructions\)/);
  } finally {
    booted.kernel.dispose();
  }
});

test('timerInterrupt boots: five PIT interrupts through the 8259, status 35', { skip: toolSkip }, async (t) => {
  const probe = await bootHello(t);
  if (!probe) return;
  probe.kernel.dispose();
  const kernel = buildSourceKernel('timerInterrupt.S', { flatBinary: true });
  try {
    const result = await boot([kernel.imagePath]);
    assert.equal(result.stdout, 'tick\n'.repeat(5) + 'done\n', result.stderr);
    assert.equal(result.status, 35);
  } finally {
    kernel.dispose();
  }
});

test('the real process: main.ts dispatches boot and the process exits with the guest status', { skip: toolSkip }, async (t) => {
  const probe = await bootHello(t);
  if (!probe) return;
  try {
    const cli = join(repositoryRoot, 'out', 'src', 'cli', 'main.js');
    const run = spawnSync(process.execPath, [cli, 'boot', probe.kernel.imagePath], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.stdout, 'Hello from a multiboot kernel\n');
    assert.equal(run.status, 33);
    const unknown = spawnSync(process.execPath, [cli, 'frob'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frob'/);
  } finally {
    probe.kernel.dispose();
  }
});
