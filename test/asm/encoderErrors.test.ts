// The encoder's complaints: GNU as's wording (checked against `as --32` 2.40 where GNU as has one),
// one clear sentence each, and the culprit operand (AT&T order) when there is one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeInstruction } from '../../src/emu/asm/encoder/encodeInstruction';
import { evaluateConstant, parseStatement } from './corpus/attStatementParser';

interface ErrorCase {
  readonly text: string;
  readonly message: string;
  readonly operandIndex?: number;
}

const CASES: readonly ErrorCase[] = [
  { text: 'foo %eax', message: "no such instruction: `foo %eax'" },
  { text: 'addl %eax', message: "number of operands mismatch for `add'" },
  { text: 'inc', message: "number of operands mismatch for `inc'" },
  { text: 'pushb %al', message: "invalid instruction suffix for `push'" },
  { text: 'lldtl %eax', message: "invalid instruction suffix for `lldt'" },
  { text: 'jmpl label', message: "invalid instruction suffix for `jmp'" },
  { text: 'movl %foo,%eax', message: "bad register name `%foo'", operandIndex: 0 },
  { text: 'movl (%eax,%esp),%ebx', message: "`(%eax,%esp)' is not a valid base/index expression", operandIndex: 0 },
  { text: 'movw (%bx,%ax),%cx', message: "`(%bx,%ax)' is not a valid base/index expression", operandIndex: 0 },
  { text: 'movl (%eax),(%ebx)', message: "too many memory references for `mov'" },
  { text: 'movw %eax,%ds', message: "incorrect register `%eax' used with `w' suffix", operandIndex: 0 },
  { text: 'movb %eax,%eax', message: "`%eax' not allowed with `movb'", operandIndex: 1 },
  { text: 'movw %eax,0x1234', message: "incorrect register `%eax' used with `w' suffix", operandIndex: 0 },
  { text: 'movl %cr0,%ax', message: "operand type mismatch for `mov'", operandIndex: 1 },
  { text: 'leal %eax,%ebx', message: "operand type mismatch for `lea'", operandIndex: 0 },
  { text: 'movl $1,%cs', message: "operand type mismatch for `mov'", operandIndex: 1 },
  { text: 'movl *%eax,%ebx', message: "operand type mismatch for `mov'", operandIndex: 0 },
  { text: 'movl %eax,$1', message: "operand type mismatch for `mov'", operandIndex: 1 },
  { text: 'lldt %eax', message: "operand size mismatch for `lldt'", operandIndex: 0 },
  { text: 'int $256', message: "operand size mismatch for `int'", operandIndex: 0 },
  { text: 'shll $256,%eax', message: "operand type mismatch for `shl'", operandIndex: 0 },
  { text: 'enter $0x10000,$0', message: "operand type mismatch for `enter'", operandIndex: 0 },
  { text: 'loop 0x1000', message: "operand size mismatch for `loop'" },
  { text: 'lock movl %eax,(%ebx)', message: "expecting lockable instruction after `lock'" },
  { text: 'lock addl %eax,%ebx', message: "expecting lockable instruction after `lock'" },
  { text: 'rep addl %eax,%ebx', message: "invalid instruction `add' after `rep'" },
  { text: 'movsb (%esi),%fs:(%edi)', message: "`movs' operand 2 must use `%es' segment", operandIndex: 1 },
  { text: 'movsb (%esi),(%di)', message: "`(%di)' is not a valid string address expression" },
  { text: 'data32 nop', message: 'redundant data32 prefix' },
  { text: 'cs ds nop', message: 'same type of prefix used twice' },
  { text: 'data16 movw %ax,%bx', message: 'same type of prefix used twice' },
  { text: 'ljmpw $0x10,$0x12345678', message: '16-bit jump out of range' },
  { text: 'movsd (%esi),(%edi)', message: "number of operands mismatch for `movsd'" },
  { text: 'movl %eax,%ebx,%ecx', message: "number of operands mismatch for `mov'" },
];

for (const { text, message, operandIndex } of CASES) {
  test(`rejects \`${text}'`, () => {
    const result = encodeInstruction(parseStatement(text), { constantValue: evaluateConstant, codeSize: 32 });
    assert.equal(result.ok, false, `${text} was accepted`);
    if (result.ok) return;
    assert.equal(result.message, message);
    assert.equal(result.operandIndex, operandIndex);
    assert.match(result.message, /^[`a-z0-9%(].*[^.\s]$/, 'one GNU as-style sentence');
  });
}

test('there are at least fifteen bad-operand cases', () => {
  assert.ok(CASES.length >= 15);
});
