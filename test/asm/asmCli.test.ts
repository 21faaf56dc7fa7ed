// `lguest-debug asm`: argument handling, exit statuses (0 ok, 1 assembly errors, 2 usage),
// diagnostics as `file:line:col: error: message`, -I/-D, --listing and -o. Runs the command
// function directly, and the bundled dist/cli.js when it has been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAsmCommand } from '../../src/cli/asmCommand';
import { repositoryRoot, lguestFiles, lguestSkipReason } from '../helpers/sharedFiles';
import { readElfObject } from '../helpers/elfObjectReader';
import { run, temporaryDirectory } from './asmTestSupport';

async function asm(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runAsmCommand(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { status, stdout, stderr };
}

test('asm: usage errors exit 2 with the usage text; --help exits 0', async () => {
  for (const args of [[], ['-x', 'a.s'], ['a.s', 'b.s'], ['a.s', '-o'], ['-I']]) {
    const result = await asm(args);
    assert.equal(result.status, 2, `args ${args.join(' ')}`);
    assert.match(result.stderr, /^lguest-debug asm: .*\nusage: lguest-debug asm FILE/);
  }
  const help = await asm(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: lguest-debug asm FILE/);
});

test('asm: a good file exits 0 and -o writes an ELF32 i386 relocatable', async () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    writeFileSync(join(dir, 'ok.s'), '.globl start\nstart: movl $1, %eax\n  ret\n');
    const result = await asm([join(dir, 'ok.s'), '-o', join(dir, 'ok.o')]);
    assert.deepEqual(result, { status: 0, stdout: '', stderr: '' });
    const object = readElfObject(new Uint8Array(readFileSync(join(dir, 'ok.o'))));
    assert.equal(object.machine, 3);
    assert.equal(object.type, 1);
    assert.ok(object.symbols.some((s) => s.name === 'start' && s.binding === 'global'));
  } finally {
    cleanup();
  }
});

test('asm: errors print file:line:col: error: message, exit 1 and write no object', async () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    const file = join(dir, 'bad.s');
    writeFileSync(file, 'nop\n  frob %eax\n.long 1 +\n');
    const result = await asm([file, '-o', join(dir, 'bad.o')]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `${file}:2:3: error: no such instruction: \`frob %eax'\n${file}:3:10: error: missing operand\n`);
    assert.equal(existsSync(join(dir, 'bad.o')), false);
    const missing = await asm([join(dir, 'absent.s')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /absent\.s:1:1: error: can't open .*absent\.s for reading/);
  } finally {
    cleanup();
  }
});

test('asm: warnings alone exit 0', async () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    writeFileSync(join(dir, 'w.s'), '.byte 256\n');
    const result = await asm([join(dir, 'w.s')]);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /w\.s:1:7: warning: value 0x100 truncated to 0x0/);
  } finally {
    cleanup();
  }
});

test('asm: -I and -D reach the preprocessor of a .S file; --listing prints offsets, bytes and source', async () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    mkdirSync(join(dir, 'inc'));
    writeFileSync(join(dir, 'inc', 'defs.h'), '#define THE_VALUE 0x42\n');
    writeFileSync(join(dir, 'main.S'), '#include <defs.h>\n#ifdef EXTRA\n  movl $THE_VALUE, %eax\n#endif\n  movl $SIZE, %ebx\n');
    const result = await asm([join(dir, 'main.S'), '-I', join(dir, 'inc'), '-DEXTRA', '-D', 'SIZE=7', '--listing']);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^\s+3 0000 B842000000\s+\tmovl \$0x42, %eax$/m);
    assert.match(result.stdout, /^\s+5 0005 BB07000000\s+\tmovl \$7, %ebx$/m);
  } finally {
    cleanup();
  }
});

test('asm: switcher.S assembles with the built-in headers', { skip: lguestSkipReason }, async () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    const result = await asm([lguestFiles.switcher, '-o', join(dir, 'switcher.o'), '--listing']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /IRQ_STUB\[?/);
    assert.equal(readElfObject(new Uint8Array(readFileSync(join(dir, 'switcher.o')))).sections.find((s) => s.name === '.text')?.size, 3316);
  } finally {
    cleanup();
  }
});

const bundled = join(repositoryRoot, 'dist', 'cli.js');

test('asm through the bundled CLI (node dist/cli.js asm)', { skip: existsSync(bundled) ? false : 'dist/cli.js is not built (run node scripts/build.mjs)' }, () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    writeFileSync(join(dir, 'bad.s'), 'nop\nbogus\n');
    const bad = run(process.execPath, [bundled, 'asm', join(dir, 'bad.s')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.s:2:1: error: no such instruction: `bogus'/);
    const usage = run(process.execPath, [bundled, 'asm']);
    assert.equal(usage.status, 2);
  } finally {
    cleanup();
  }
});
