// Acceptance: the two lguest files assemble without diagnostics, have the sizes and bytes the
// reference facts give (lguest-facts.md §4.1, §11), and match `gcc -m32 -c -D__ASSEMBLY__` with the
// built-in headers written out as files: every section's bytes, every symbol, every relocation,
// and in fact the whole ELF image byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSource } from '../../src/emu/asm/assemble';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import { writeElfObject } from '../../src/emu/asm/object/elfWriter';
import type { ObjectModule } from '../../src/emu/asm/object/objectModule';
import { lguestFiles, lguestSkipReason } from '../helpers/sharedFiles';
import { gccAssembleSkipReason } from '../helpers/tools';
import { readElfObject, type ElfObject } from '../helpers/elfObjectReader';
import { formatted, run, temporaryDirectory, writeBuiltinHeaders } from './asmTestSupport';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function assembleLguest(which: keyof typeof lguestFiles): ObjectModule {
  return assembleSource(lguestFiles[which], nodeFileSystem);
}

function section(module: ObjectModule, name: string) {
  const found = module.sections.find((s) => s.name === name);
  assert.ok(found, `section ${name} exists`);
  return found;
}

test('switcher.S assembles cleanly: .text 3316 bytes, .data 1024 bytes, stub 0 at +0x10D', { skip: lguestSkipReason }, () => {
  const module = assembleLguest('switcher');
  assert.deepEqual(formatted(module.diagnostics), []);
  assert.equal(section(module, '.text').size, 3316);
  assert.equal(section(module, '.data').size, 1024);
  const data = section(module, '.data');
  assert.equal(data.relocations.length, 256);
  assert.equal(new DataView(data.bytes.buffer, data.bytes.byteOffset).getUint32(0, true), 0x10d, 'default_idt_entries[0] -> stub 0');
  const irq = module.symbols.find((s) => s.name === 'irq');
  assert.deepEqual([irq?.value, irq?.section, irq?.binding], [0x100, null, 'local']);
  // SWITCH_TO_HOST step 3 and the TSS busy-bit clear, as §1.4 lists them.
  const text = hex(section(module, '.text').bytes);
  assert.ok(text.includes('2db80f0000'), 'subl $LGUEST_PAGES_regs, %eax');
  assert.ok(text.includes('80a015190000fd'), 'andb $0xFD, 0x1915(%eax)');
});

test('i386_head.S assembles cleanly with the LGUEST_PATCH templates and lguest_iret bytes of §4.1', { skip: lguestSkipReason }, () => {
  const module = assembleLguest('guestHead');
  assert.deepEqual(formatted(module.diagnostics), []);
  const text = section(module, '.text');
  const value = (name: string) => module.symbols.find((s) => s.name === name)?.value;
  const slice = (from: string, to: string) => hex(text.bytes.subarray(value(from), value(to)));
  assert.equal(slice('lgstart_cli', 'lgend_cli'), 'c70500000000' + '00000000');
  assert.equal(slice('lgstart_sti', 'lgend_sti'), 'c70500000000' + '00020000');
  assert.equal(slice('lgstart_popf', 'lgend_popf'), 'a300000000');
  assert.equal(slice('lgstart_pushf', 'lgend_pushf'), 'a100000000');
  assert.equal(slice('lguest_iret', 'lguest_noirq_end'), '50' + '8b44240c' + '36a300000000' + '58' + 'cf');
  const relocated = text.relocations.map((r) => [r.offset, r.type, r.target.kind === 'symbol' ? r.target.name : r.target.kind]);
  assert.deepEqual(relocated, [[2, 'R_386_32', 'lguest_data'], [0xc, 'R_386_32', 'lguest_data'], [0x15, 'R_386_32', 'lguest_data'], [0x1a, 'R_386_32', 'lguest_data'], [0x27, 'R_386_32', 'lguest_data']]);
  const init = section(module, '.init.text');
  assert.deepEqual(init.flags, { alloc: true, write: false, exec: true });
  assert.deepEqual(init.relocations.map((r) => r.type), ['R_386_32', 'R_386_32', 'R_386_32', 'R_386_PC32']);
});

function gccObject(which: keyof typeof lguestFiles): ElfObject {
  const { dir, cleanup } = temporaryDirectory();
  try {
    writeBuiltinHeaders(join(dir, 'include'));
    const output = join(dir, 'reference.o');
    const result = run('gcc', ['-m32', '-c', '-D__ASSEMBLY__', '-I', join(dir, 'include'), lguestFiles[which], '-o', output]);
    assert.equal(result.status, 0, result.stderr);
    return readElfObject(new Uint8Array(readFileSync(output)));
  } finally {
    cleanup();
  }
}

const differentialSkip = lguestSkipReason || gccAssembleSkipReason();

for (const which of ['switcher', 'guestHead'] as const) {
  test(`${which}: our object equals gcc -m32 -c -D__ASSEMBLY__ (sections, symbols, relocations, whole image)`, { skip: differentialSkip }, () => {
    const module = assembleLguest(which);
    assert.deepEqual(formatted(module.diagnostics), []);
    const oursImage = writeElfObject(module);
    const ours = readElfObject(oursImage);
    const reference = gccObject(which);
    const describeSections = (o: ElfObject) => o.sections.map((s) => ({ name: s.name, type: s.type, flags: s.flags, size: s.size, alignment: s.alignment, link: s.link, info: s.info, data: s.type === 9 || s.type === 2 || s.type === 3 ? '' : hex(s.data) }));
    assert.deepEqual(describeSections(ours), describeSections(reference));
    const describeSymbols = (o: ElfObject) => o.symbols.map((s) => ({ name: s.name, value: s.value, size: s.size, binding: s.binding, type: s.type, section: s.section, visibility: s.visibility }));
    assert.deepEqual(describeSymbols(ours), describeSymbols(reference));
    assert.deepEqual([...ours.relocations], [...reference.relocations]);
    const { dir, cleanup } = temporaryDirectory();
    try {
      writeBuiltinHeaders(join(dir, 'include'));
      const output = join(dir, 'reference.o');
      run('gcc', ['-m32', '-c', '-D__ASSEMBLY__', '-I', join(dir, 'include'), lguestFiles[which], '-o', output]);
      assert.equal(hex(oursImage), hex(new Uint8Array(readFileSync(output))), 'byte-identical ELF image');
    } finally {
      cleanup();
    }
  });
}
