// Encoder behaviour that does not need GNU as installed: the lguest instructions with the bytes
// reference/lguest-facts.md lists, the shape of fixups and relaxable branches, constants known at
// encoding time, prefix-only statements and .code16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantExpr, symbolExpr, type Expr } from '../../src/emu/asm/expression';
import type { EncodeContext, EncodedInstruction } from '../../src/emu/asm/encoder/encoderContract';
import { encodeInstruction } from '../../src/emu/asm/encoder/encodeInstruction';
import type { ParsedInstruction } from '../../src/emu/asm/instructionSyntax';
import { evaluateConstant, parseStatement } from './corpus/attStatementParser';

const CODE32: EncodeContext = { constantValue: evaluateConstant, codeSize: 32 };

function encode(text: string | ParsedInstruction, context: EncodeContext = CODE32): EncodedInstruction {
  const parsed = typeof text === 'string' ? parseStatement(text) : text;
  const result = encodeInstruction(parsed, context);
  if (!result.ok) assert.fail(`${parsed.text}: ${result.message}`);
  return result.instruction;
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** Statements of switcher.S and i386_head.S with the bytes GNU as gives them (symbols as zero fields). */
const LGUEST_ENCODINGS: readonly [string, string][] = [
  ['pushl %es', '06'], ['pushl %ds', '1e'], ['pushl %gs', '0f a8'], ['pushl %fs', '0f a0'], ['popl %gs', '0f a9'],
  ['movl %esp,0x1014(%eax)', '89 a0 14 10 00 00'], ['movl %eax,%edx', '89 c2'], ['addl $0xfb8,%edx', '81 c2 b8 0f 00 00'],
  ['lgdt 0x1020(%eax)', '0f 01 90 20 10 00 00'], ['lidt 0x1018(%eax)', '0f 01 98 18 10 00 00'], ['movl $0x80,%edx', 'ba 80 00 00 00'],
  ['ltr %dx', '0f 00 da'], ['andb $0xFD,0x85(%edx)', '80 a2 85 00 00 00 fd'], ['movl %ebx,%cr3', '0f 22 db'], ['addl $8,%esp', '83 c4 08'],
  ['iret', 'cf'], ['movl $0x58,%eax', 'b8 58 00 00 00'], ['movl %eax,%ds', '8e d8'], ['movl %esp,%eax', '89 e0'],
  ['movl 0xfe4(%eax),%ebx', '8b 98 e4 0f 00 00'], ['leal (%edx,%ebx,8),%eax', '8d 04 da'], ['movzwl (%eax),%edx', '0f b7 10'],
  ['movl 4(%eax),%eax', '8b 40 04'], ['xorw %ax,%ax', '66 31 c0'], ['orl %eax,%edx', '09 c2'], ['jmp *%edx', 'ff e2'],
  ['pushl $0', '6a 00'], ['pushl $0x80', '68 80 00 00 00'], ['int $0x1F', 'cd 1f'], ['rep movsl', 'f3 a5'], ['pushl %eax', '50'],
  ['movl 12(%esp),%eax', '8b 44 24 0c'], ['popl %eax', '58'], ['movl %ss:(%esp),%eax', '8b 04 24'], ['int $3', 'cd 03'], ['int3', 'cc'],
];

test('lguest statements encode to the bytes GNU as gives them', () => {
  for (const [text, bytes] of LGUEST_ENCODINGS) assert.equal(hex(encode(text).bytes), bytes, text);
});

test('andl with GAS-precedence constant ~(1 << 12 - 1) uses the eAX short form', () => {
  const parsed = parseStatement('andl $0,%eax');
  const instruction = encode({ ...parsed, operands: [{ kind: 'immediate', value: constantExpr(-4096n) }, parsed.operands[1]!] });
  assert.equal(hex(instruction.bytes), '25 00 f0 ff ff');
});

test('symbolic addresses and immediates become fixups with zero fields', () => {
  const cli = encode('movl $0,lguest_data');
  assert.equal(hex(cli.bytes), 'c7 05 00 00 00 00 00 00 00 00');
  assert.deepEqual(cli.fixups.map((f) => [f.offset, f.size, f.pcRelative]), [[2, 4, false]]);
  const popf = encode('movl %eax,lguest_data');
  assert.equal(hex(popf.bytes), 'a3 00 00 00 00');
  assert.deepEqual(popf.fixups.map((f) => [f.offset, f.size]), [[1, 4]]);
  const iret = encode('movl %eax,%ss:lguest_data');
  assert.equal(hex(iret.bytes), '36 a3 00 00 00 00');
  assert.equal(iret.fixups[0]!.offset, 2);
  const entry = encode('lcall *lguest_entry');
  assert.equal(hex(entry.bytes), 'ff 1d 00 00 00 00');
  const byte = encode('movb $sym,%al');
  assert.deepEqual(byte.fixups.map((f) => [f.offset, f.size, f.range]), [[1, 1, 'either']]);
  const wide = encode('addl $sym,%ebx');
  assert.equal(hex(wide.bytes), '81 c3 00 00 00 00', 'a symbol never takes the sign-extended imm8 form');
  assert.deepEqual((wide.fixups[0]!.value as Expr), symbolExpr('sym'));
});

test('jmp and jcc to a label are relaxable branches; call, loop and jecxz are PC-relative fixups', () => {
  const jne = encode('jne target');
  assert.ok(jne.branch);
  assert.deepEqual([...jne.branch.shortOpcode], [0x75]);
  assert.deepEqual([...jne.branch.longOpcode], [0x0f, 0x85]);
  assert.deepEqual(jne.branch.target, symbolExpr('target'));
  const jmp = encode('jmp target');
  assert.deepEqual([[...jmp.branch!.shortOpcode], [...jmp.branch!.longOpcode]], [[0xeb], [0xe9]]);
  assert.deepEqual([...encode('ds jne target').branch!.prefixes], [0x3e], 'branch hints are kept');
  assert.deepEqual([...encode('fs jmp target').branch!.prefixes], [], 'GNU as skips other prefixes on jumps');
  const call = encode('call target');
  assert.equal(hex(call.bytes), 'e8 00 00 00 00');
  assert.deepEqual(call.fixups.map((f) => [f.offset, f.size, f.pcRelative]), [[1, 4, true]]);
  const loop = encode('loop target');
  assert.deepEqual(loop.fixups.map((f) => [f.offset, f.size, f.pcRelative, f.range]), [[1, 1, true, 'signed']]);
  assert.equal(hex(encode('jcxz target').bytes), '67 e3 00');
  assert.equal(hex(encode('ljmp $0x10,$0x1000').bytes), 'ea 00 10 00 00 10 00');
});

test('constants known at encoding time pick the short immediate and displacement forms', () => {
  const known: EncodeContext = {
    codeSize: 32,
    constantValue: (expr) => (expr.kind === 'symbol' && expr.name === 'FOUR' ? 4n : evaluateConstant(expr)),
  };
  assert.equal(hex(encode('addl $FOUR,%eax', known).bytes), '83 c0 04');
  assert.equal(hex(encode('movl FOUR(%eax),%ebx', known).bytes), '8b 58 04');
  assert.equal(hex(encode('addl $FOUR,%eax').bytes), '05 00 00 00 00', 'unknown now: 32-bit immediate');
  assert.equal(hex(encode('movl FOUR(%eax),%ebx').bytes), '8b 98 00 00 00 00', 'unknown now: disp32');
});

test('a prefix written as its own statement is just the prefix byte', () => {
  for (const [word, byte] of [['rep', 0xf3], ['lock', 0xf0], ['fs', 0x64], ['data16', 0x66]] as const) {
    const instruction = encode(word);
    assert.equal(instruction.prefixOnly, true);
    assert.deepEqual([...instruction.bytes], [byte]);
  }
});

test('.code16 flips the operand- and address-size prefixes', () => {
  const code16: EncodeContext = { constantValue: evaluateConstant, codeSize: 16 };
  assert.equal(hex(encode('movw %ax,%bx', code16).bytes), '89 c3');
  assert.equal(hex(encode('movl %eax,%ebx', code16).bytes), '66 89 c3');
  assert.equal(hex(encode('movw (%bx,%si),%ax', code16).bytes), '8b 00');
  assert.equal(hex(encode('movl (%eax),%ebx', code16).bytes), '67 66 8b 18');
  assert.equal(hex(encode('pushw $1', code16).bytes), '6a 01');
});

test('the encoder does not keep state between calls', () => {
  const first = hex(encode('movl %eax,%ebx').bytes);
  encode('lock incl (%eax)');
  encode('rep movsb');
  assert.equal(hex(encode('movl %eax,%ebx').bytes), first);
});
