// Malformed input: every problem is a diagnostic at the right file:line:column with a clear
// message (GCC's wording where GCC has one), preprocessing goes on after it, and nothing throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import type { PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { formatDiagnostic } from '../../src/emu/asm/diagnostics';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string, files: Record<string, string> = {}): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text, ...files }), { includePaths: ['/inc'] });
}

function texts(result: PreprocessResult): string[] {
  return result.lines.map((line) => line.text);
}

/** `file:line:col: severity: message` of every diagnostic (file shortened for the main file). */
function reported(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => formatDiagnostic(d).split('\n')[0]!.replace(`${MAIN}:`, ''));
}

test('unterminated comment: error at the comment start, the rest of the file is dropped', () => {
  const result = run('a\n  b /* open\nc\n');
  assert.deepEqual(reported(result), ['2:5: error: unterminated comment']);
  assert.deepEqual(texts(result), ['a', '  b']);
});

test('unterminated #if at the end of the file: error at the #if line', () => {
  const result = run('x\n#ifdef X\n#else\ny\n');
  assert.deepEqual(reported(result), ['2:2: error: unterminated #else']);
  assert.deepEqual(texts(result), ['x', 'y']);
  assert.deepEqual(reported(run('#if 1\n#if 0\n#endif\n')), ['1:2: error: unterminated #if']);
});

test('stray #else, #elif and #endif', () => {
  assert.deepEqual(reported(run('#else\n#elif 1\n#endif\nok\n')), ['1:2: error: #else without #if', '2:2: error: #elif without #if', '3:2: error: #endif without #if']);
});

test('#else after #else and #elif after #else, with a note at the conditional', () => {
  assert.deepEqual(reported(run('#if 0\n#else\n#else\n#elif 1\n#endif\n')), [
    '3:2: error: #else after #else',
    '1:2: note: the conditional began here',
    '4:2: error: #elif after #else',
    '1:2: note: the conditional began here',
  ]);
});

test('bad #if expressions: missing operand, missing operator, parentheses, invalid tokens', () => {
  const cases: [string, string][] = [
    ['#if 1 +', '1:8: error: operator \'+\' has no right operand'],
    ['#if', '1:4: error: #if with no expression'],
    ['#if 1 2', '1:7: error: missing binary operator before token "2"'],
    ['#if (1', "1:5: error: missing ')' in expression"],
    ['#if 1)', "1:6: error: missing '(' in expression"],
    ['#if ()', "1:6: error: missing expression between '(' and ')'"],
    ['#if 1 = 2', '1:7: error: token "=" is not valid in preprocessor expressions'],
    ['#if "s"', '1:5: error: token ""s"" is not valid in preprocessor expressions'],
    ['#if 1 ? 2', "1:10: error: '?' without following ':'"],
    ['#if 1 : 2', "1:7: error: ':' without preceding '?'"],
    ['#if * 2', "1:5: error: operator '*' has no left operand"],
    ['#if F(1)', '1:6: error: missing binary operator before token "("'],
  ];
  for (const [line, expected] of cases) assert.deepEqual(reported(run(`${line}\nyes\n#endif\n`)), [expected], line);
});

test('bad numbers and characters in #if', () => {
  const cases: [string, string][] = [
    ['#if 1f', '1:5: error: invalid suffix "f" on integer constant'],
    ['#if 09', '1:5: error: invalid digit "9" in octal constant'],
    ['#if 1.5', '1:5: error: floating constant in preprocessor expression'],
    ['#if 0x', '1:5: error: invalid suffix "x" on integer constant'],
    ["#if ''", '1:5: error: empty character constant'],
    ['#if 1i', '1:5: error: imaginary number in preprocessor expression'],
  ];
  for (const [line, expected] of cases) assert.deepEqual(reported(run(`${line}\n#endif\n`)), [expected], line);
});

test('division by zero in an evaluated operand is an error at the operator; the group is skipped', () => {
  const result = run('#if 2 + 1 % 0\nno\n#else\nelse\n#endif\n');
  assert.deepEqual(reported(result), ['1:11: error: division by zero in #if']);
  assert.deepEqual(texts(result), ['else']);
});

test('defined without an identifier or without its )', () => {
  assert.deepEqual(reported(run('#if defined\n#endif\n#if defined(X\n#endif\n#if defined 3\n#endif\n')), [
    '1:12: error: operator "defined" requires an identifier',
    '3:14: error: missing \')\' after "defined"',
    '5:13: error: operator "defined" requires an identifier',
  ]);
});

test('missing ) in a macro call: unterminated argument list at the macro name, rest of the file consumed', () => {
  const result = run('#define F(a) a\nx F(1,\n2\n');
  assert.deepEqual(reported(result), ['2:3: error: unterminated argument list invoking macro "F"']);
  assert.deepEqual(texts(result), ['x F']);
});

test('wrong argument counts: error at the ) with a note at the definition; the call is left as written', () => {
  const result = run('#define TWO(a, b) a b\nTWO(1)\n  TWO(1, 2, 3) z\n#define NONE() n\nNONE(1)\n');
  assert.deepEqual(reported(result), [
    '2:6: error: macro "TWO" requires 2 arguments, but only 1 given',
    '1:9: note: macro "TWO" defined here',
    '3:14: error: macro "TWO" passed 3 arguments, but takes just 2',
    '1:9: note: macro "TWO" defined here',
    '5:7: error: macro "NONE" passed 1 arguments, but takes just 0',
    '4:9: note: macro "NONE" defined here',
  ]);
  assert.deepEqual(texts(result), ['TWO', '  TWO z', 'NONE']);
});

test('#include of an unknown file: error at the header naming it and where we looked, then go on', () => {
  const result = run('#include "nope.h"\n#include <sys/nope.h>\nafter\n');
  assert.deepEqual(reported(result), [
    '1:10: error: #include "nope.h": file not found (searched the built-in headers, /src, /inc)',
    '2:10: error: #include <sys/nope.h>: file not found (searched the built-in headers, /inc)',
  ]);
  assert.deepEqual(texts(result), ['after']);
});

test('an error inside an included file is reported there, with the include chain', () => {
  const result = run('\n#include <bad.h>\n', { '/inc/bad.h': 'ok\n#error broken here\n' });
  const [diagnostic] = result.diagnostics;
  assert.equal(formatDiagnostic(diagnostic!), '/inc/bad.h:2:2: error: #error broken here\n/src/t.S:2:1: note: included from here');
});

test('recursive #include: "nested too deeply" at the innermost #include, showing the chain', () => {
  const result = run('#include "loop.h"\n', { '/src/loop.h': '#include "loop.h"\n' });
  assert.equal(result.diagnostics.length, 1);
  const text = formatDiagnostic(result.diagnostics[0]!).split('\n');
  assert.equal(text[0], '/src/loop.h:1:10: error: #include nested too deeply: "/src/loop.h" would be at depth 201, the maximum is 200 (recursive #include?)');
  assert.equal(text.length, 1 + 199);
  assert.equal(text.at(-1), '/src/t.S:1:1: note: included from here');
});

test('#error and #warning report their text', () => {
  assert.deepEqual(reported(run('#error  stop   here /* c */ now\n  #  warning it\'s odd\n')), ['1:2: error: #error stop here now', "2:6: warning: #warning it's odd"]);
});

test('#define errors: no name, not an identifier, reserved, bad parameters, ## at an end', () => {
  const cases: [string, string][] = [
    ['#define', '1:8: error: no macro name given in #define directive'],
    ['#define 3 x', '1:9: error: macro names must be identifiers'],
    ['#define defined 1', '1:9: error: "defined" cannot be used as a macro name'],
    ['#define F(a, a) a', '1:14: error: duplicate macro parameter "a"'],
    ['#define F(a', "1:12: error: expected ')' before end of line"],
    ['#define F(a b) a', '1:13: error: expected \',\' or \')\', found "b"'],
    ['#define F(1) a', '1:11: error: expected parameter name, found "1"'],
    ['#define F(a...,b) a', '1:15: error: expected \')\' after "..."'],
    ['#define J ## x', "1:11: error: '##' cannot appear at either end of a macro expansion"],
    ['#define K x ##', "1:13: error: '##' cannot appear at either end of a macro expansion"],
    ['#define V(...) __VA_OPT__ x', '1:16: error: __VA_OPT__ must be followed by an open parenthesis'],
  ];
  for (const [line, expected] of cases) assert.deepEqual(reported(run(`${line}\n`)), [expected], line);
});

test('pasting into an invalid token warns at the left operand inside the macro body', () => {
  const result = run('#define CAT(a, b) a##b\n#define PLUS(x) x ## +\nCAT(., ;) PLUS(y)\n');
  assert.deepEqual(reported(result), [
    '3:5: warning: pasting "." and ";" does not give a valid preprocessing token',
    '3:16: warning: pasting "y" and "+" does not give a valid preprocessing token',
  ]);
  assert.equal(result.diagnostics[1]!.expansion![0]!.name, 'PLUS');
  assert.deepEqual(texts(result), ['. ; y +']);
});

test('#include and #line operands that are not what they should be', () => {
  assert.deepEqual(reported(run('#include\n#include <>\n#include foo\n#line x\n#line 5 foo\n')), [
    '1:9: error: #include expects "FILENAME" or <FILENAME>',
    '2:10: error: empty filename in #include',
    '3:10: error: #include expects "FILENAME" or <FILENAME>',
    '4:7: error: "x" after #line is not a positive integer',
    '5:9: error: "foo" is not a valid filename',
  ]);
});

test('extra tokens after a directive warn; a bad #ifdef name is an error', () => {
  assert.deepEqual(reported(run('#ifdef X junk\n#endif junk\n#ifndef 3\n#endif\n#undef X Y\n')), [
    '1:10: warning: extra tokens at end of #ifdef directive',
    '2:8: warning: extra tokens at end of #endif directive',
    '3:9: error: macro names must be identifiers',
    '5:10: warning: extra tokens at end of #undef directive',
  ]);
});

test('_Pragma without a string literal is an error at _Pragma', () => {
  assert.deepEqual(reported(run('  _Pragma(x) y\n')), ['1:3: error: _Pragma takes a parenthesized string literal']);
});

test('a missing main file is a diagnostic, not an exception', () => {
  const result = preprocess('/none.S', new InMemoryFileSystem({}));
  assert.deepEqual(result.lines, []);
  assert.deepEqual(reported(result), ['/none.S:1:1: error: cannot read "/none.S"']);
});

test('garbage never throws: random bytes and directive fragments', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = ['#', 'define', 'if', 'elif', 'endif', 'include', ' ', '\n', '\\\n', '(', ')', ',', '##', '"', "'", '/*', '*/', '//', 'A', 'B', 'A(', '...', '__VA_ARGS__', '__VA_OPT__', '1', '0x', '?', ':', '<', '>', '$', '\t'];
  for (let round = 0; round < 300; round++) {
    let text = '#define A(x, ...) x ## __VA_ARGS__ #x\n#define B A(\n';
    for (let i = 0; i < 80; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    const result = run(text);
    assert.ok(Array.isArray(result.lines));
  }
});

test('#pragma GCC poison forbids later uses and definitions; #pragma GCC error reports', () => {
  assert.deepEqual(reported(run('#pragma GCC poison bad\n  bad\n#define bad 1\n#pragma GCC error "stop"\n')), [
    '2:3: error: attempt to use poisoned "bad"',
    '3:9: error: attempt to use poisoned "bad"',
    '4:2: error: stop',
  ]);
});

test('a macro name glued to its replacement warns, as GCC does for assembler files', () => {
  const result = run('#define X+1\nX\n');
  assert.deepEqual(reported(result), ['1:9: warning: missing whitespace after the macro name']);
  assert.deepEqual(texts(result), ['+1']);
});
