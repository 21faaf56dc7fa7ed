// Conditional inclusion: #if/#ifdef/#ifndef/#elif/#elifdef/#else/#endif nesting, and #if
// expressions with C's 64-bit intmax/uintmax arithmetic, short-circuit evaluation, character
// constants, `defined` and __has_include.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import type { PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string, files: Record<string, string> = {}): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text, ...files }), { includePaths: ['/inc'] });
}

function texts(result: PreprocessResult): string[] {
  return result.lines.map((line) => line.text);
}

function messages(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => `${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
}

/** True when `#if expression` takes its group (and reports nothing). */
function holds(expression: string, prelude = ''): boolean {
  const result = run(`${prelude}#if ${expression}\nyes\n#else\nno\n#endif\n`);
  assert.deepEqual(messages(result), [], expression);
  return texts(result)[0] === 'yes';
}

test('#ifdef, #ifndef, #elif, #elifdef, #else and #endif choose one group and nest', () => {
  const result = run(
    '#define A\n#ifdef A\na\n#ifndef B\nnotb\n#elif 1\nwrong\n#else\nwrong\n#endif\n#else\nwrong\n#endif\n#if 0\n#elifdef A\nelifdef\n#endif\n#ifndef A\n#elifndef B\nelifndef\n#endif\n',
  );
  assert.deepEqual(texts(result), ['a', 'notb', 'elifdef', 'elifndef']);
});

test('a skipped group is only scanned for conditionals: bad directives and expressions there are ignored', () => {
  const result = run("#if 0\n#bogus directive\n#if 1/0 +\n#endif\n#error not this\n'unterminated\n#else\nkept\n#endif\n");
  assert.deepEqual(texts(result), ['kept']);
  assert.deepEqual(result.diagnostics, []);
});

test('#elif is not evaluated once a group was taken', () => {
  const result = run('#if 1\none\n#elif 1/0\ntwo\n#else\nthree\n#endif\n');
  assert.deepEqual(texts(result), ['one']);
  assert.deepEqual(result.diagnostics, []);
});

test('arithmetic follows C precedence and 64-bit intmax_t', () => {
  assert.ok(holds('1 + 2 * 3 == 7'));
  assert.ok(holds('(1 + 2) * 3 == 9'));
  assert.ok(holds('-1 < 0 && ~0 == -1'));
  assert.ok(holds('7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1'));
  assert.ok(holds('1 << 62 > 0 && (1 << 62) / 2 == 1 << 61 && 1 << 3 + 1 == 16'));
  assert.ok(holds('0x7fffffffffffffff + 0 > 0'));
  assert.ok(holds('(0x10 | 0x01) == 17 && (6 & 3) == 2 && (6 ^ 3) == 5'));
  assert.ok(holds('!0 && !!5 == 1'));
  assert.ok(holds('1 ? 2 : 3') && holds('(0 ? 1 : 0 ? 0 : 4) == 4'));
  assert.ok(holds('(1, 0, 5) == 5'));
  assert.ok(holds('-8 >> 1 == -4 && 8 >> -1 == 16 && 1u << 64 == 0 && -1 >> 70 == -1'));
  assert.ok(holds('0b101 == 5 && 010 == 8 && 0XfF == 255'));
});

test('unsigned arithmetic: u suffixes, huge constants and the usual conversions', () => {
  assert.ok(holds('-1 > 0u'));
  assert.ok(holds('0u - 1 == 0xffffffffffffffff'));
  assert.ok(holds('0xffffffffffffffff == -1'));
  assert.ok(holds('(-1 > 0 ? 1 : 0u) == 0'));
  assert.ok(holds('1UL == 1 && 2llu == 2 && 3LL == 3'));
  assert.ok(holds('0xffffffffffffffff >> 63 == 1'));
  assert.ok(!holds('-1 < 0u'));
});

test('&& and || short-circuit: division by zero in an unevaluated operand is fine', () => {
  assert.ok(holds('1 || 1/0'));
  assert.ok(!holds('0 && 1/0'));
  assert.ok(holds('1 ? 1 : 1/0'));
  assert.ok(holds('0 ? 1/0 : 1'));
  assert.ok(holds('(0 && (1/0 + 1 % 0)) == 0'));
});

test('character constants are signed chars, multi-character ones ints', () => {
  assert.ok(holds("'a' == 97 && '\\n' == 10 && '\\0' == 0 && '\\x41' == 65 && '\\101' == 65"));
  assert.ok(holds("'\\377' == -1 && '\\xff' < 0"));
  assert.ok(holds("L'\\xff' == 255"));
  const result = run("#if 'ab' == 0x6162\nyes\n#endif\n");
  assert.deepEqual(texts(result), ['yes']);
  assert.deepEqual(messages(result), ['1:5: warning: multi-character character constant']);
});

test('identifiers left after expansion are 0; defined X and defined(X) see macros and builtins', () => {
  assert.ok(holds('UNDEFINED == 0'));
  assert.ok(holds('defined A && defined(A) && !defined B', '#define A 0\n'));
  assert.ok(holds('A + 1 == 1', '#define A 0\n'));
  assert.ok(holds('defined __FILE__ && defined(__LINE__) && defined __has_include && defined __i386__'));
  assert.ok(holds('HAS_A && !HAS_B', '#define A\n#define HAS_A defined(A)\n#define HAS_B defined B\n'));
  assert.ok(holds('X == 3', '#define Y 3\n#define X Y\n'));
});

test('__has_include looks where #include would', () => {
  const files = { '/src/near.h': '', '/inc/far.h': '' };
  const result = run(
    '#if __has_include("near.h") && __has_include(<far.h>) && !__has_include(<near.h>) && !__has_include("none.h")\nyes\n#endif\n#define H <far.h>\n#if __has_include(H)\nmacro\n#endif\n',
    files,
  );
  assert.deepEqual(texts(result), ['yes', 'macro']);
  assert.deepEqual(result.diagnostics, []);
});

test('overflow in an evaluated signed operation warns and wraps', () => {
  const result = run('#if 0x7fffffffffffffff + 1 < 0\nwrapped\n#endif\n#if 0 && (0x7fffffffffffffff + 1)\n#endif\n');
  assert.deepEqual(texts(result), ['wrapped']);
  assert.deepEqual(messages(result), ['1:24: warning: integer overflow in preprocessor expression']);
});

test('an expression over many nesting levels is parsed without recursion', () => {
  const depth = 50_000;
  assert.ok(holds(`${'('.repeat(depth)}1${')'.repeat(depth)}`));
  assert.ok(holds(`${'- '.repeat(depth)}1 == 1`));
});
