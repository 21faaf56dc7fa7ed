// The GNU as front end without external tools: what reaches the encoder (prefixes, operands,
// GAS's "constant now" rule, .code16), macro/.rept/.irp expansion and their frames, conditionals,
// numeric local labels, assignments, strings, sections, .include, symbol attributes, .org/.space,
// line entry kinds and the listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EncodeContext, Encoder } from '../../src/emu/asm/encoder/encoderContract';
import type { Expr } from '../../src/emu/asm/expression';
import type { ParsedInstruction } from '../../src/emu/asm/instructionSyntax';
import { formatListing } from '../../src/emu/asm/listing';
import { assembleText, errorsOf, sectionBytes } from './asmTestSupport';

/** A test double: one byte per instruction (0x90), remembering what it was asked. */
function recordingEncoder(): { encoder: Encoder; seen: { instruction: ParsedInstruction; constants: (bigint | undefined)[]; codeSize: number }[] } {
  const seen: { instruction: ParsedInstruction; constants: (bigint | undefined)[]; codeSize: number }[] = [];
  const valueOf = (context: EncodeContext, expr: Expr | undefined) => (expr ? context.constantValue(expr) : undefined);
  const encoder: Encoder = (instruction, context) => {
    const constants = instruction.operands.map((o) => (o.kind === 'immediate' ? valueOf(context, o.value) : o.kind === 'memory' ? valueOf(context, o.displacement) : undefined));
    seen.push({ instruction, constants, codeSize: context.codeSize });
    if (instruction.mnemonic === 'bad') return { ok: false, message: 'bad operand', operandIndex: 1 };
    if (instruction.mnemonic === 'rep' && instruction.operands.length === 0) return { ok: true, instruction: { bytes: Uint8Array.of(0xf3), fixups: [], prefixOnly: true } };
    return { ok: true, instruction: { bytes: Uint8Array.of(0x90), fixups: [] } };
  };
  return { encoder, seen };
}

test('instructions: prefixes on the statement, AT&T operands, GAS constant rule, .code16', () => {
  const { encoder, seen } = recordingEncoder();
  const source = 'k = 5\nrep movsl\nlock addl $k, (%eax)\nmovl $later, %eax\nmovl $lab, %ebx\nmovl %ss:(k+2)(%ebx,%ecx,4), %edx\nlab: jmp *%edx\n.code16\nnop\nlater = 9\n';
  const module = assembleText(source, { encoder });
  assert.deepEqual(errorsOf(module), []);
  assert.deepEqual(seen.map((s) => [s.instruction.prefixes, s.instruction.mnemonic]), [[['rep'], 'movsl'], [['lock'], 'addl'], [[], 'movl'], [[], 'movl'], [[], 'movl'], [[], 'jmp'], [[], 'nop']]);
  assert.deepEqual(seen[1]!.constants, [5n, undefined]);
  assert.deepEqual(seen[2]!.constants, [undefined, undefined], 'a forward reference is not a constant yet');
  assert.deepEqual(seen[3]!.constants, [undefined, undefined], 'a label is not a constant');
  const memory = seen[4]!.instruction.operands[0]!;
  assert.equal(memory.kind, 'memory');
  if (memory.kind === 'memory') assert.deepEqual([memory.segment, memory.base, memory.index, memory.scale], ['ss', 'ebx', 'ecx', 4]);
  assert.deepEqual(seen[4]!.constants, [7n, undefined]);
  assert.deepEqual(seen[5]!.instruction.operands[0], { kind: 'register', register: 'edx', indirect: true });
  assert.equal(seen[6]!.codeSize, 16);
  assert.equal(seen[0]!.instruction.location.line, 2);
});

test('instructions: a prefix alone is a prefix entry; encoder errors point at the operand', () => {
  const { encoder } = recordingEncoder();
  const module = assembleText('rep\nmovsb\nbad %eax,   %ebx\n', { encoder });
  assert.deepEqual(errorsOf(module), ['test.s:3:13: error: bad operand']);
  assert.deepEqual(module.sections[0]!.lines.map((l) => [l.kind, l.location.line]), [['prefix', 1], ['instruction', 2]]);
});

test('absolute symbols are frozen where used: irq = irq + 1 in a .rept', () => {
  const module = assembleText('irq = 3\n.rept 3\n.byte irq\nirq = irq + 1\n.endr\n.byte irq\n');
  assert.equal(sectionBytes(module), '0304050' + '6');
  assert.deepEqual(module.symbols.map((s) => [s.name, s.value, s.section]), [['irq', 6, null]]);
});

test('macros: defaults, :req, :vararg, keyword arguments, \\@ and \\(), nesting, .exitm, .purgem', () => {
  const source = [
    '.macro m a b=7 c:vararg', '.byte \\a, \\b', '.ascii "\\c"', '.endm',
    'm 1', 'm 2 3 x y', 'm b=9 a=10',
    '.macro n x', '.ascii "\\x\\()z"', '.byte \\@', '.endm', 'n q',
    '.macro outer', '.macro inner', '.byte 0x11', '.endm', '.endm', 'outer', 'inner',
    '.macro e', '.byte 0x21', '.exitm', '.byte 0x22', '.endm', 'e',
    '.purgem e', '.macro e', '.byte 0x23', '.endm', 'e',
  ].join('\n');
  const module = assembleText(`${source}\n`);
  assert.deepEqual(errorsOf(module), []);
  assert.equal(sectionBytes(module), '0107' + '0203' + '7820' + '79' + '0a09' + '717a' + '03' + '11' + '21' + '23');
});

test('expansion frames: .rept inside a macro records macro, rept iteration and call site', () => {
  const module = assembleText('.macro many n\n .rept \\n\n  nop\n .endr\n.endm\n  many 3\n');
  const lines = module.sections[0]!.lines;
  assert.equal(lines.length, 3);
  lines.forEach((entry, k) => {
    assert.equal(entry.location.line, 3);
    assert.deepEqual(entry.expansion.map((f) => [f.kind, f.name, f.site.line, f.site.column, f.iteration]), [['rept', '.rept', 2, 2, k], ['gas-macro', 'many', 6, 3, undefined]]);
  });
});

test('.irp and .irpc substitute each value and number their iterations', () => {
  const module = assembleText('.irp r, 1, 2,3\n.byte \\r\n.endr\n.irpc c, 456\n.byte \\c\n.endr\n');
  assert.equal(sectionBytes(module), '010203040506');
  assert.deepEqual(module.sections[0]!.lines.map((l) => [l.expansion[0]!.kind, l.expansion[0]!.iteration]), [['irp', 0], ['irp', 1], ['irp', 2], ['irpc', 0], ['irpc', 1], ['irpc', 2]]);
});

test('conditionals: nesting, .elseif chains, false branches not evaluated', () => {
  const source = '.if 0\n.if 1/0\n.byte 1\n.endif\n.elseif 1\n.byte 2\n.elseif 1\n.byte 3\n.else\n.byte 4\n.endif\n.ifnes "a","b"\n.byte 5\n.endif\n.ifle -1\n.byte 6\n.endif\n';
  const module = assembleText(source);
  assert.deepEqual(errorsOf(module), []);
  assert.equal(sectionBytes(module), '020506');
});

test('numeric local labels: Nb/Nf resolve to the nearest instance, never clash, never reach the symbol table', () => {
  const module = assembleText('1: .long 1f\n1: .long 1b\n2: .long 1b, 2b\n');
  const data = module.sections[0]!;
  assert.deepEqual(data.relocations.map((r) => [r.offset, r.addend]), [[0, 4], [4, 4], [8, 4], [12, 8]]);
  assert.deepEqual(module.symbols.filter((s) => s.type !== 'section'), []);
});

test('strings: escapes, concatenation, .asciz/.string terminators', () => {
  const module = assembleText('.ascii "a\\tb\\101\\x41\\x141\\\\\\"\\e"\n.ascii "x" "y"\n.asciz "u", "v"\n.byte \'\\n\n.ascii "\\1234"\n');
  assert.equal(Buffer.from(module.sections[0]!.bytes).toString('latin1'), 'a\tbAAA\\"exyu\0v\0\nS4');
});

test('sections: flags by name, .previous, .pushsection/.popsection, alignment recorded', () => {
  const module = assembleText('.section .text.x\n.byte 1\n.section .rodata.y\n.previous\n.byte 2\n.pushsection .data.z\n.p2align 3\n.byte 3\n.popsection\n.byte 4\n.bss\n.space 8\n');
  const named = (n: string) => module.sections.find((s) => s.name === n)!;
  assert.deepEqual(named('.text.x').flags, { alloc: true, write: false, exec: true });
  assert.equal(sectionBytes(module, '.text.x'), '010204');
  assert.deepEqual(named('.rodata.y').flags, { alloc: true, write: false, exec: false });
  assert.equal(named('.data.z').alignment, 8);
  assert.equal(named('.bss').type, 'nobits');
  assert.equal(named('.bss').size, 8);
});

test('.include: GAS\'s own include, searched beside the file, with an include frame', () => {
  const module = assembleText('.byte 1\n.include "sub/inc.s"\n.byte 3\n', { files: { 'sub/inc.s': '.byte 2\n' } });
  assert.equal(sectionBytes(module), '010203');
  const entry = module.sections[0]!.lines[1]!;
  assert.deepEqual([entry.location.file, entry.location.line, entry.expansion[0]!.kind, entry.expansion[0]!.site.line], ['sub/inc.s', 1, 'include', 2]);
  assert.ok(module.files.includes('sub/inc.s'));
});

test('symbols: .globl/.weak/.hidden, .type/.size, .set with a label, locations', () => {
  const module = assembleText('.globl f\n.type f, @function\nf: nop\n  ret\n.size f, . - f\n.weak w\nw:\n.hidden f\nalias = f + 1\n.long alias\n');
  const f = module.symbols.find((s) => s.name === 'f')!;
  assert.deepEqual([f.binding, f.type, f.size, f.visibility, f.location?.line], ['global', 'func', 2, 'hidden', 3]);
  const alias = module.symbols.find((s) => s.name === 'alias')!;
  assert.deepEqual([alias.value, alias.section, alias.binding], [1, '.text', 'local']);
  assert.equal(module.symbols.find((s) => s.name === 'w')?.binding, 'weak');
});

test('.org and .space with a size known only after layout', () => {
  const module = assembleText('a: .byte 1\n.p2align 2, 0x77\nc: .space c - a, 0xee\n.byte 2\n.org 12, 0x55\n.byte 3\n. = 16\n.byte 4\n');
  assert.deepEqual(errorsOf(module), []);
  assert.equal(sectionBytes(module), '01777777' + 'eeeeeeee' + '02' + '555555' + '03' + '000000' + '04');
});

test('a size that depends on its own position is an error, not a hang', () => {
  const module = assembleText('a: .byte 1\n.space b - a\nb: .byte 2\n');
  assert.deepEqual(errorsOf(module).map((e) => e.replace(/`.*'/, '`...\'')), ["test.s:2:1: error: layout does not converge: the size of `...' keeps changing (it depends on its own position)"]);
});

test('line entries: kinds, locations and statement text', () => {
  const module = assembleText('start: nop\n.long 1\n.align 8\n.byte 2 ; nop\n');
  assert.deepEqual(module.sections[0]!.lines.map((l) => [l.kind, l.address, l.size, l.location.line, l.location.column, l.text]), [
    ['instruction', 0, 1, 1, 8, 'nop'], ['data', 1, 4, 2, 1, '.long 1'], ['padding', 5, 3, 3, 1, '.align 8'], ['data', 8, 1, 4, 1, '.byte 2'], ['instruction', 9, 1, 4, 11, 'nop'],
  ]);
});

test('listing: offsets, bytes, text and expansion chains', () => {
  const module = assembleText('.macro two\n nop\n nop\n.endm\n two\n.long 0x11223344\n');
  const listing = formatListing(module);
  assert.match(listing, /^\s+2 0000 90\s+\tnop\t# two at 5$/m);
  assert.match(listing, /^\s+6 0002 44332211\s+\t\.long 0x11223344$/m);
});

test("character constants: 'c, 'c' (closing quote), escapes, as GNU as 2.40 reads them", () => {
  const module = assembleText(".byte 'a, 'a', '\\n', '\\n, '\\'', '\\\\', ' ', 'a'+1, '''\nmovb $'!', %al\ncmpl $'=', %eax\n");
  assert.deepEqual(errorsOf(module), []);
  assert.equal(sectionBytes(module, '.text'), '61610a0a275c206227' + 'b021' + '83f83d');
});
