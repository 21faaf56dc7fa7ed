// Malformed input: each case asserts the diagnostics (file:line:col, severity and message) the
// assembler reports, that it recovers to report later errors in the same file, and that it never
// throws. Messages follow GNU as's wording where GAS has one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleProgram } from '../../src/emu/asm/assemble';
import { formatDiagnostic } from '../../src/emu/asm/diagnostics';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';
import { assembleText } from './asmTestSupport';

/** [file:line:col, severity, message pattern] */
type Expected = readonly [string, 'error' | 'warning' | 'note', RegExp];

interface Case {
  readonly name: string;
  readonly source: string;
  readonly file?: string;
  readonly files?: Record<string, string>;
  readonly expected: readonly Expected[];
}

const E = (where: string, message: RegExp): Expected => [where, 'error', message];
const W = (where: string, message: RegExp): Expected => [where, 'warning', message];

const cases: readonly Case[] = [
  { name: 'unknown mnemonic', source: 'nop\n\tfoo %eax\n', expected: [E('t.s:2:2', /^no such instruction: `foo %eax'$/)] },
  { name: 'operand size mismatch', source: '\tmovl %eax, %ax\n', expected: [E('t.s:1:13', /operand (type|size) mismatch|%ax/)] },
  { name: 'duplicate label', source: 'x: nop\n  x: nop\n', expected: [E('t.s:2:3', /^symbol `x' is already defined$/)] },
  { name: 'recursive .include', source: '.include "b.s"\n', files: { 'b.s': 'nop\n  .include "t.s"\n' }, expected: [E('b.s:2:12', /^recursive \.include of `t\.s'/)] },
  { name: 'missing .include file', source: '.include "nope.s"\nfoo\n', expected: [E('t.s:1:10', /^can't open nope\.s for reading/), E('t.s:2:1', /no such instruction/)] },
  { name: 'recursive .macro', source: '.macro r\n r\n.endm\nr\n', expected: [E('t.s:2:2', /^macros nested too deeply/)] },
  { name: 'runaway .rept count', source: '.rept 1000000000\nnop\n.endr\n', expected: [E('t.s:1:1', /^expansion too large/)] },
  { name: 'negative .rept count', source: '.rept -1\nnop\n.endr\nfoo\n', expected: [E('t.s:1:7', /^negative count for \.rept/), E('t.s:4:1', /no such instruction/)] },
  { name: 'non-constant .rept count', source: '.rept later\n.endr\n', expected: [E('t.s:1:7', /^the \.rept count is not a constant$/)] },
  { name: 'unterminated .macro', source: 'nop\n.macro m\nnop\n', expected: [E('t.s:2:1', /^unexpected end of file in macro `m' definition/)] },
  { name: 'unterminated .rept', source: '  .rept 2\nnop\n', expected: [E('t.s:1:3', /^unexpected end of file in \.rept/)] },
  { name: '.if without .endif', source: '.if 1\nnop\n', expected: [E('t.s:1:1', /^end of file inside conditional/)] },
  { name: '.endr without .rept', source: 'nop\n.endr\n', expected: [E('t.s:2:1', /^\.endr encountered without preceding \.rept/)] },
  { name: '.endm without .macro', source: '.endm\n', expected: [E('t.s:1:1', /^\.endm encountered without preceding \.macro$/)] },
  { name: 'bad expression: missing operand', source: '.long 1 +\n', expected: [E('t.s:1:10', /^missing operand$/)] },
  { name: 'bad expression: unbalanced parenthesis', source: '.long (1 + 2\n', expected: [E('t.s:1:13', /^missing '\)'$/)] },
  { name: 'bad expression: stray operator', source: '.long 1 ** 2\n', expected: [E('t.s:1:10', /^bad expression: unexpected '\*'$/)] },
  { name: 'division by zero', source: '.long 4, 1/0\n.long 5 % (2 - 2)\n', expected: [E('t.s:1:10', /^division by zero$/), E('t.s:2:7', /^division by zero$/)] },
  { name: '.org backwards', source: '.byte 1, 2, 3\n\t.org 1\n', expected: [E('t.s:2:2', /^attempt to move \.org backwards$/)] },
  { name: 'value too large for .byte (known later)', source: '.byte 1\n.byte x\nx = 300\n', expected: [E('t.s:2:7', /^value of 300 too large for field of 1 byte at 00000001$/)] },
  { name: 'value truncated in .byte (known now)', source: '.byte 256\n', expected: [W('t.s:1:7', /^value 0x100 truncated to 0x0$/)] },
  { name: 'jcxz out of range', source: 'jcxz 1f\n.fill 200, 1, 0x90\n1:\n', expected: [E('t.s:1:1', /^value of 200 too large for field of 1 byte at 00000002$/)] },
  { name: 'bad section flags', source: '.section .foo,"aq"\n', expected: [E('t.s:1:17', /^unknown section flag 'q'/)] },
  { name: 'bad section type', source: '.section .foo,"a",@bits\n', expected: [E('t.s:1:19', /^unrecognized section type `@bits'$/)] },
  { name: 'missing section name', source: '.section\n', expected: [E('t.s:1:9', /^missing section name$/)] },
  { name: 'unknown pseudo-op', source: '.foo 1\n.bar\n', expected: [E('t.s:1:1', /^unknown pseudo-op: `\.foo'$/), E('t.s:2:1', /^unknown pseudo-op: `\.bar'$/)] },
  { name: '.equiv redefinition', source: '.equiv a, 1\n.equiv a, 2\n', expected: [E('t.s:2:8', /^symbol `a' is already defined$/)] },
  { name: 'assignment to a label', source: 'l: nop\nl = 4\n', expected: [E('t.s:2:1', /^symbol `l' is already defined$/)] },
  { name: 'undefined numeric local label', source: 'jmp 1f\n', expected: [E('t.s:1:1', /^local label `"1" \(instance number 1 of a fb label\)' is not defined$/)] },
  { name: 'undefined .L label', source: '.long .Lnowhere\n', expected: [E('t.s:1:7', /^local symbol `\.Lnowhere' is not defined$/)] },
  { name: 'junk after operands', source: '.long 1 2\n', expected: [E('t.s:1:9', /^junk at end of line, first unrecognized character is `2'$/)] },
  { name: 'missing required macro argument', source: '.macro m a:req\n.endm\nm\n', expected: [E('t.s:3:1', /^Missing value for required parameter `a' of macro `m'$/)] },
  { name: 'too many macro arguments', source: '.macro m a\n.endm\nm 1 2\n', expected: [E('t.s:3:1', /^too many positional arguments for macro `m'$/)] },
  { name: 'unknown keyword argument', source: '.macro m a\n.endm\nm b=1\n', expected: [E('t.s:3:1', /^Parameter named `b' does not exist for macro `m'$/)] },
  { name: 'macro redefinition', source: '.macro m\n.endm\n.macro m\n.endm\n', expected: [E('t.s:3:1', /^Macro `m' was already defined$/)] },
  { name: 'duplicate .else', source: '.if 1\n.else\n.else\n.endif\n', expected: [E('t.s:3:1', /^duplicate "\.else" \(the previous "\.else" is at line 2, column 1\)$/)] },
  { name: '.else, .elseif and .endif without .if', source: '.else\n.elseif 1\n.endif\n', expected: [E('t.s:1:1', /^"\.else" without matching "\.if"$/), E('t.s:2:1', /^"\.elseif" without matching "\.if"$/), E('t.s:3:1', /^"\.endif" without "\.if"$/)] },
  { name: 'non-constant .if', source: '.if undefined_symbol\n.endif\n', expected: [E('t.s:1:5', /^the condition of \.if is not a constant$/)] },
  { name: '.err, .error and .warning', source: '.err\n.error "custom failure"\n.warning "careful"\n', expected: [E('t.s:1:1', /^\.err encountered$/), E('t.s:2:1', /^custom failure$/), W('t.s:3:1', /^careful$/)] },
  { name: '.align not a power of two', source: '.align 3\n.p2align 40\n', expected: [E('t.s:1:1', /^alignment not a power of 2: 3$/), E('t.s:2:1', /^alignment too large/)] },
  { name: 'bad register', source: 'movl %foo, %eax\n', expected: [E('t.s:1:6', /^bad register name `%foo'$/)] },
  { name: 'bad scale factor', source: 'movl (%eax,%ebx,3), %ecx\n', expected: [E('t.s:1:17', /^scale factor of 3 is not one of 1, 2, 4 or 8$/)] },
  { name: 'immediate with indirect jump', source: 'jmp *$4\n', expected: [E('t.s:1:6', /^immediate operand illegal with absolute jump$/)] },
  { name: 'non-zero data in .bss', source: '.bss\n.byte 1\n.byte 0\n', expected: [E('t.s:2:1', /^attempt to store non-zero value in section `\.bss'$/)] },
  { name: 'unterminated string', source: '.ascii "abc\n', expected: [E('t.s:1:8', /^unterminated string$/)] },
  { name: 'string expected', source: '.ascii abc\n', expected: [E('t.s:1:8', /^expected a string in double quotes$/)] },
  { name: 'symbol definition loop', source: 'a = b\nb = a\n.long a\n', expected: [E('t.s:3:7', /^symbol definition loop/), E('t.s:1:1', /loop/), E('t.s:2:1', /loop/)] },
  { name: 'difference across sections', source: '.data\nd: .long 0\n.text\nt: .long t - d\n', expected: [E('t.s:4:10', /^can't resolve the difference: the symbols are in different sections$/)] },
  { name: 'number too large', source: '.long 0x1ffffffffffffffff\n.long 09\n', expected: [E('t.s:1:7', /^integer constant does not fit in 64 bits$/), E('t.s:2:8', /^bad digit '9' in base-8 number$/)] },
  { name: 'oversized .fill', source: '.fill 1000000000, 8, 0\n', expected: [E('t.s:1:1', /^\.fill of 8000000000 bytes is too large/)] },
  { name: 'intel syntax refused', source: '.intel_syntax noprefix\n', expected: [E('t.s:1:1', /^\.intel_syntax is not supported/)] },
  { name: 'bad .type', source: '.type x, @bogus\n', expected: [E('t.s:1:10', /^unrecognized symbol type "bogus"$/)] },
  { name: 'error inside a macro body points at the body, noting the invocation', source: '.macro m\n  foo\n.endm\nm\n', expected: [E('t.s:2:3', /^no such instruction: `foo'$/)] },
  {
    name: 'several errors in one file, each at its line',
    source: 'nop\nbogus1\n.long 1 +\nx: x:\n.byte 300\njmp 1b\nmovl $1, %nope\n.section .s,"k"\nnop\n',
    expected: [
      E('t.s:2:1', /no such instruction: `bogus1'/), E('t.s:3:10', /missing operand/), E('t.s:4:4', /symbol `x' is already defined/),
      W('t.s:5:7', /value 0x12c truncated to 0x2c/), E('t.s:7:10', /bad register name `%nope'/), E('t.s:8:14', /unknown section flag 'k'/),
      E('t.s:6:1', /local label `"1" \(instance number 0 of a fb label\)' is not defined/),
    ],
  },
];

function check(testCase: Case): void {
  const file = testCase.file ?? 't.s';
  const module = assembleText(testCase.source, { name: file, ...(testCase.files ? { files: testCase.files } : {}) });
  const actual = module.diagnostics.filter((d) => d.severity !== 'note').map((d) => ({ where: `${d.location.file}:${d.location.line}:${d.location.column}`, severity: d.severity, message: d.message }));
  const shown = actual.map((a) => `${a.where}: ${a.severity}: ${a.message}`).join('\n');
  assert.equal(actual.length, testCase.expected.length, `diagnostics:\n${shown}`);
  for (const [where, severity, pattern] of testCase.expected) {
    assert.ok(actual.some((a) => a.where === where && a.severity === severity && pattern.test(a.message)), `expected ${where}: ${severity}: ${pattern}\nactual:\n${shown}`);
  }
}

for (const testCase of cases) test(`malformed: ${testCase.name}`, () => check(testCase));

test('malformed: an error inside a macro carries the invocation as an expansion note', () => {
  const module = assembleText('.macro m\n  foo\n.endm\n  m\n', { name: 't.s' });
  const text = formatDiagnostic(module.diagnostics[0]!);
  assert.equal(text, "t.s:2:3: error: no such instruction: `foo'\nt.s:4:3: note: in expansion of gas-macro 'm'");
});

test('malformed: an error in cpp macro text is located in the #define body with the call as a note', () => {
  const module = assembleText('#define BAD foo %eax\n  BAD\n', { name: 't.S' });
  const text = formatDiagnostic(module.diagnostics[0]!);
  assert.match(text, /^t\.S:1:13: error: no such instruction: `foo %eax'\nt\.S:2:3: note: in expansion of cpp-macro 'BAD'$/);
});

test('malformed: undefined symbol at link time is reported at the first reference', () => {
  const fs = new InMemoryFileSystem({ 'a.s': 'nop\n  call missing_fn\n  call missing_fn\n', 'b.s': '.globl other\nother: ret\n' });
  const program = assembleProgram(['a.s', 'b.s'], fs);
  assert.deepEqual(program.diagnostics.map((d) => formatDiagnostic(d)), ["a.s:2:3: error: undefined reference to `missing_fn'"]);
});

test('malformed: duplicate global definitions across files name both places', () => {
  const fs = new InMemoryFileSystem({ 'a.s': '.globl twice\ntwice: nop\n', 'b.s': 'nop\n.globl twice\n twice: ret\n' });
  const program = assembleProgram(['a.s', 'b.s'], fs);
  assert.deepEqual(program.diagnostics.map((d) => formatDiagnostic(d)), ["b.s:3:2: error: multiple definition of `twice' (first defined at a.s:2:1)"]);
});

test('malformed: a missing input file is a diagnostic, not an exception', () => {
  const program = assembleProgram(['absent.s'], new InMemoryFileSystem());
  assert.deepEqual(program.diagnostics.map((d) => formatDiagnostic(d)), ["absent.s:1:1: error: can't open absent.s for reading: No such file or directory"]);
});

test('malformed: deeply nested parentheses are an error, not a stack overflow', () => {
  const module = assembleText(`.long ${'('.repeat(100_000)}1${')'.repeat(100_000)}\n`);
  assert.match(module.diagnostics[0]?.message ?? '', /expression nested too deeply/);
});

test('malformed: random junk never throws or hits an internal error', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = ' \t.,;:#$%()*+-/<>=!&|^~"\'\\0123456789abcdefxyz_LMN\n';
  const fragments = ['.macro ', '.endm', '.rept 3', '.endr', '.if 1', '.endif', '.else', 'movl ', '%eax', '1:', '1b', '1f', '.long ', '.section .x', '.irp a,1,2', '\\a', '.org 4', '.align 4'];
  for (let round = 0; round < 400; round++) {
    let text = '';
    for (let i = 0; i < 60; i++) text += random() < 0.2 ? fragments[Math.floor(random() * fragments.length)] : alphabet[Math.floor(random() * alphabet.length)];
    const module = assembleText(text);
    const internal = module.diagnostics.filter((d) => d.message.startsWith('internal'));
    assert.deepEqual(internal, [], `input: ${JSON.stringify(text)}`);
  }
});
