// Our ELF objects in the hands of the GNU tools: `ld -m elf_i386` links them (relocatable and
// executable links), `objdump -dr` reads them exactly as it reads GNU as's objects, and our own
// linker produces the same section bytes as ld for the same placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSource } from '../../src/emu/asm/assemble';
import { link } from '../../src/emu/asm/link/linker';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import { writeElfObject } from '../../src/emu/asm/object/elfWriter';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';
import { lguestFiles, lguestSkipReason } from '../helpers/sharedFiles';
import { gnuAsSkipReason, gnuLdSkipReason } from '../helpers/tools';
import { readElfObject } from '../helpers/elfObjectReader';
import { assembleText, errorsOf, run, temporaryDirectory } from './asmTestSupport';

const ldSkip = gnuLdSkipReason();

const MAIN = `.text
.globl _start
_start:
  movl $message, %esi
  call helper
  movl counter, %eax
  jmp done
.data
message: .ascii "hi"
.align 4
table: .long _start, helper, message + 1, counter
`;
const HELPER = `.text
.globl helper, done
helper:
  incl counter
  ret
done:
  hlt
  jmp done
.data
.globl counter
counter: .long 5
`;

test('ld -m elf_i386 -r links our lguest objects', { skip: ldSkip || lguestSkipReason }, () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    for (const which of ['switcher', 'guestHead'] as const) {
      const module = assembleSource(lguestFiles[which], nodeFileSystem);
      assert.deepEqual(errorsOf(module), []);
      writeFileSync(join(dir, `${which}.o`), writeElfObject(module));
    }
    const result = run('ld', ['-m', 'elf_i386', '-r', '-o', join(dir, 'both.o'), join(dir, 'switcher.o'), join(dir, 'guestHead.o')]);
    assert.equal(result.status, 0, result.stderr);
  } finally {
    cleanup();
  }
});

test('ld links two of our objects into an executable whose sections equal our linker\'s', { skip: ldSkip }, () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    const modules = [assembleText(MAIN, { name: 'main.s' }), assembleText(HELPER, { name: 'helper.s' })];
    for (const module of modules) assert.deepEqual(errorsOf(module), []);
    modules.forEach((module, i) => writeFileSync(join(dir, `${i}.o`), writeElfObject(module)));
    const result = run('ld', ['-m', 'elf_i386', '-Ttext=0x08049000', '-Tdata=0x0804b000', '-e', '_start', '-o', join(dir, 'prog'), join(dir, '0.o'), join(dir, '1.o')]);
    assert.equal(result.status, 0, result.stderr);
    const executable = readElfObject(new Uint8Array(readFileSync(join(dir, 'prog'))));
    const program = link(modules, { placements: [{ section: '.text', address: 0x08049000 }, { section: '.data', address: 0x0804b000 }], entry: '_start' });
    assert.deepEqual(program.diagnostics, []);
    for (const name of ['.text', '.data']) {
      const ours = program.sections.find((s) => s.name === name)!;
      const theirs = executable.sections.find((s) => s.name === name)!;
      assert.equal(Buffer.from(ours.bytes).toString('hex'), Buffer.from(theirs.data).toString('hex'), name);
    }
    assert.equal(program.entry, 0x08049000);
  } finally {
    cleanup();
  }
});

function objdump(image: Uint8Array, dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, image);
  const result = run('objdump', ['-dr', path]);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.replace(path, 'OBJECT');
}

test('objdump -dr reads our object exactly as it reads GNU as\'s', { skip: gnuAsSkipReason() }, () => {
  const { dir, cleanup } = temporaryDirectory();
  try {
    const source = `${MAIN}\n.text\n  call helper\n  jmp elsewhere\n`;
    writeFileSync(join(dir, 'ref.s'), source);
    const reference = run('as', ['--32', '-o', join(dir, 'ref.o'), join(dir, 'ref.s')]);
    assert.equal(reference.status, 0, reference.stderr);
    const ours = objdump(writeElfObject(assembleText(source)), dir, 'ours.o');
    const theirs = objdump(new Uint8Array(readFileSync(join(dir, 'ref.o'))), dir, 'theirs.o');
    assert.equal(ours, theirs);
    assert.match(ours, /R_386_PC32\s+helper/);
  } finally {
    cleanup();
  }
});

test('our linker: placements, page-aligned default layout, externals, entry and line entries at final addresses', () => {
  const fs = new InMemoryFileSystem({ 'a.s': `${MAIN}.section .rodata\nro: .long 1\n.bss\n.space 16\n`, 'b.s': HELPER.replace('.globl helper, done', '.globl helper, done\n  call lguest_init') });
  const modules = ['a.s', 'b.s'].map((f) => assembleSource(f, fs));
  const program = link(modules, { placements: [{ section: '.text', address: 0x1000 }], baseAddress: 0x400000, externalSymbols: { lguest_init: 0xc0123456 }, entry: '_start' });
  assert.deepEqual(program.diagnostics, []);
  const at = (name: string) => program.sections.find((s) => s.name === name)!.address;
  assert.equal(at('.text'), 0x1000);
  assert.equal(at('.rodata'), 0x400000);
  assert.equal(at('.data'), 0x401000);
  assert.equal(at('.bss'), 0x402000);
  const helper = program.symbols.find((s) => s.name === 'helper')!;
  assert.equal(helper.module, 'b.s');
  const text = program.sections.find((s) => s.name === '.text')!;
  const callOffset = helper.value - 5 - 0x1000;
  const displacement = new DataView(text.bytes.buffer, text.bytes.byteOffset).getInt32(callOffset + 1, true);
  assert.equal((helper.value + displacement) >>> 0, 0xc0123456, 'call lguest_init (just before helper) resolved to the external address');
  assert.equal(program.lineTable.lookup(helper.value)?.location.file, 'b.s');
  assert.equal(program.entry, 0x1000);
  assert.ok(program.symbols.some((s) => s.name === 'lguest_init' && s.module === null));
});
