// Macro definition and expansion: object-like and function-like macros, GNU and C99 variadic
// parameters, `#`, `##`, __VA_OPT__, rescanning rules, built-in macros, GCC's output spacing, and
// the location and expansion chain of every piece of macro output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import { pieceAt, type PreprocessOptions, type PreprocessResult, type TextPiece } from '../../src/emu/asm/cpp/preprocessedText';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string, options: PreprocessOptions = {}, files: Record<string, string> = {}): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text, ...files }), options);
}

function texts(result: PreprocessResult): string[] {
  return result.lines.map((line) => line.text);
}

function messages(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => `${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
}

/** The piece covering the first occurrence of `needle` in output line `index`. */
function pieceOf(result: PreprocessResult, index: number, needle: string): TextPiece {
  const line = result.lines[index]!;
  const offset = line.text.indexOf(needle);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} not in ${JSON.stringify(line.text)}`);
  return pieceAt(line, offset)!;
}

/** `file:line:col` of a piece and its chain as `kind name@line:col` frames. */
function describe(piece: TextPiece): string {
  const frames = piece.expansion.map((f) => `${f.kind} ${f.name}@${f.site.file === MAIN ? '' : f.site.file + ':'}${f.site.line}:${f.site.column}`);
  const file = piece.location.file === MAIN ? '' : `${piece.location.file}:`;
  return [`${file}${piece.location.line}:${piece.location.column}`, ...frames].join(' < ');
}

test('an object-like macro: its text points at the #define body, with a cpp-macro frame at the use', () => {
  const result = run('#define FOO 42\n\tmovl $FOO, %eax\n');
  assert.deepEqual(texts(result), ['\tmovl $42, %eax']);
  const piece = pieceOf(result, 0, '42');
  assert.equal(describe(piece), '1:13 < cpp-macro FOO@2:8');
  assert.equal(piece.verbatim, false);
  assert.equal(describe(pieceOf(result, 0, ', %eax')), '2:11');
});

test('nested macros chain innermost first: ALIGN inside ENTRY, then the #include frames of the use', () => {
  const headers = new Map([['linux/linkage.h', '#define ALIGN .align 4,0x90\n#define ENTRY(name) \\\n  .globl name; ALIGN; name:\n']]);
  const files = { '/src/inc.h': 'ENTRY(inner)\n' };
  const result = run('#include <linux/linkage.h>\nENTRY(start)\n#include "inc.h"\n', { builtinHeaders: headers }, files);
  assert.deepEqual(texts(result), ['.globl start; .align 4,0x90; start:', '.globl inner; .align 4,0x90; inner:']);
  assert.equal(describe(pieceOf(result, 0, '.align')), '<builtin>/linux/linkage.h:1:15 < cpp-macro ALIGN@<builtin>/linux/linkage.h:3:16 < cpp-macro ENTRY@2:1');
  assert.equal(describe(pieceOf(result, 0, '.globl')), '<builtin>/linux/linkage.h:3:3 < cpp-macro ENTRY@2:1');
  assert.equal(describe(pieceOf(result, 0, 'start')), '2:7 < cpp-macro ENTRY@2:1');
  assert.equal(
    describe(pieceOf(result, 1, '.align')),
    '<builtin>/linux/linkage.h:1:15 < cpp-macro ALIGN@<builtin>/linux/linkage.h:3:16 < cpp-macro ENTRY@/src/inc.h:1:1 < include inc.h@3:1',
  );
  assert.equal(describe(pieceOf(result, 1, 'inner')), '/src/inc.h:1:7 < cpp-macro ENTRY@/src/inc.h:1:1 < include inc.h@3:1');
  assert.deepEqual(result.files, [MAIN, '<builtin>/linux/linkage.h', '/src/inc.h']);
});

test('arguments keep their call-site locations and get the macro frame; whitespace around them is trimmed', () => {
  const result = run('#define F(a, b) [a|b]\n  F(  x y  ,z)\n');
  assert.deepEqual(texts(result), ['  [x y|z]']);
  assert.equal(describe(pieceOf(result, 0, 'x')), '2:7 < cpp-macro F@2:3');
  assert.equal(describe(pieceOf(result, 0, 'z')), '2:13 < cpp-macro F@2:3');
  assert.equal(describe(pieceOf(result, 0, '[')), '1:17 < cpp-macro F@2:3');
});

test('an invocation over several lines is one output line at its first line', () => {
  const result = run('#define F(a, b) a+b\nF(1,\n  2) tail\nnext\n');
  assert.deepEqual(texts(result), ['1 +2 tail', 'next']);
  assert.deepEqual(result.lines.map((l) => l.location.line), [2, 4]);
  assert.equal(describe(pieceOf(result, 0, '2')), '3:3 < cpp-macro F@2:1');
  assert.equal(describe(pieceOf(result, 0, 'tail')), '3:6');
});

test('a function-like macro name without ( is left alone, even when ( is on the next line it is used', () => {
  const result = run('#define F(a) <a>\nF + F\nF\n(9) x\nF\n+ 1\n');
  assert.deepEqual(texts(result), ['F + F', '<9> x', 'F', '+ 1']);
});

test('GNU named variadic parameters take the remaining arguments with their commas', () => {
  const result = run('#define PATCH(name, insns...) start_##name: insns; end_##name:\nPATCH(cli, movl $0, data+4)\nPATCH(nop)\n');
  assert.deepEqual(texts(result), ['start_cli: movl $0, data+4; end_cli:', 'start_nop: ; end_nop:']);
  assert.equal(describe(pieceOf(result, 0, 'data')), '2:21 < cpp-macro PATCH@2:1');
  assert.equal(describe(pieceOf(result, 0, 'start_cli')), '1:31 < cpp-macro PATCH@2:1');
});

test('C99 __VA_ARGS__ and GNU comma swallowing with , ## __VA_ARGS__', () => {
  const result = run(
    '#define V(a, ...) x , ## __VA_ARGS__ y\n#define W(...) [__VA_ARGS__]\n#define N(a, rest...) <a , ## rest>\nV(1) V(1,) V(1,2,3)\nW() W(a, b)\nN(1) N(1, 2)\n',
  );
  assert.deepEqual(texts(result), ['x y x , y x ,2,3 y', '[] [a, b]', '<1> <1 , 2>']);
});

test('__VA_OPT__ keeps its group only when the variable arguments expand to something', () => {
  const result = run('#define E\n#define VO(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\n#define S(...) #__VA_OPT__(x __VA_ARGS__)\nVO(1) VO(1, E) VO(1, 2)\nS() S(y)\n');
  assert.deepEqual(texts(result), ['f(1 ) f(1 ) f(1 , 2)', '"" "x y"']);
});

test('# stringifies with single spaces and escapes inside literals only', () => {
  const result = run('#define S(x) #x\n#define XS(x) S(x)\n#define N 4\nS(  a  +  b ) S("a\\n" \'"\' \\ c) S() S(N) XS(N)\n');
  assert.deepEqual(texts(result), ['"a + b" "\\"a\\\\n\\" \'\\"\' \\ c" "" "N" "4"']);
});

test('## pastes, re-lexes, and a pasted name can be a macro', () => {
  const result = run('#define CAT(a, b) a ## b\n#define XY done\nCAT(X, Y) CAT(1, 2) CAT(<<, =) CAT(, z) CAT(q, ) CAT(,)\n');
  assert.deepEqual(texts(result), ['done 12 <<= z q']);
});

test('an invalid paste keeps both tokens (GCC is silent for .S files; we warn)', () => {
  const result = run('#define CAT(a, b) a ## b\nCAT(/, /) CAT(+, -) CAT($, x)\n');
  assert.deepEqual(texts(result), ['/ / + - $ x']);
  assert.deepEqual(messages(result), [
    '2:5: warning: pasting "/" and "/" does not give a valid preprocessing token',
    '2:15: warning: pasting "+" and "-" does not give a valid preprocessing token',
    '2:25: warning: pasting "$" and "x" does not give a valid preprocessing token',
  ]);
});

test('in a function-like macro, # before a non-parameter is an ordinary token in assembler mode', () => {
  const result = run('#define IMM(a) movl #a, #b\nIMM(5)\n');
  assert.deepEqual(texts(result), ['movl "5", #b']);
});

test('self-reference does not recurse: names of macros being expanded are painted', () => {
  const result = run('#define A B\n#define B A\n#define foo foo + 1\n#define f(x) x f\nA B foo f(1)(2)\n');
  assert.deepEqual(texts(result), ['A B foo + 1 1 f(2)']);
});

test('rescanning picks up a call formed across the end of an expansion', () => {
  const result = run('#define f(a) a*g\n#define g(a) f(a)\n#define h g\nf(2)(9) h(3)\n');
  assert.deepEqual(texts(result), ['2*9*g 3*g']);
});

test('GCC spacing: a space only where tokens would otherwise paste', () => {
  const result = run('#define P +\n#define M -\n#define E\n#define F(x) x\nP+ M- F(a)b F(1)x F(-)> F(.)1 (E) E+E F(a)1.5\n');
  assert.deepEqual(texts(result), ['+ + - - a b 1 x - > . 1 () + a1.5']);
});

test('#undef removes a macro; an identical redefinition is silent, a different one warns', () => {
  const result = run('#define X 1\n#define X  1\n#define X 2\nX\n#undef X\nX\n#undef NOT_DEFINED\n');
  assert.deepEqual(texts(result), ['2', 'X']);
  assert.deepEqual(messages(result), ['3:9: warning: "X" redefined', '2:9: note: this is the location of the previous definition']);
});

test('__LINE__ is the line of the outermost invocation; __FILE__, __COUNTER__ and __INCLUDE_LEVEL__ work', () => {
  const files = { '/src/h.h': '__INCLUDE_LEVEL__ __FILE__ __BASE_FILE__\n' };
  const result = run('#define L __LINE__\n#define F(a, b) L a b\nF(__LINE__,\n__LINE__) __LINE__\n__COUNTER__ __COUNTER__ __INCLUDE_LEVEL__\n#include "h.h"\n', {}, files);
  assert.deepEqual(texts(result), ['3 3 4 4', '0 1 0', '1 "/src/h.h" "/src/t.S"']);
});

test('#line changes __LINE__ and __FILE__ but never the real positions', () => {
  const result = run('#line 100 "other.S"\n__LINE__ __FILE__\n');
  assert.deepEqual(texts(result), ['100 "other.S"']);
  assert.deepEqual(result.lines[0]!.location, { file: MAIN, line: 2, column: 1 });
});

test('_Pragma vanishes; #pragma push_macro/pop_macro save and restore a definition', () => {
  const result = run('#define X 1\n#pragma push_macro("X")\n#undef X\n#define X 2\nX _Pragma("GCC warning \\"w\\"") a\n#pragma pop_macro("X")\nX\n');
  assert.deepEqual(texts(result), ['2 a', '1']);
  assert.deepEqual(messages(result), ['5:3: warning: w']);
});

test('directives inside macro arguments run (as in GCC), and an assembler # line separates arguments', () => {
  const result = run('#define F(a, b) [a|b]\nF(1,\n#ifdef NOPE\nno\n#else\nyes\n#endif\n)\nF(x\n# comment\n)\n');
  assert.deepEqual(texts(result), ['[1|yes]', '[x|comment]']);
});

test('the string made by # points at the # in the body; a ## result takes its left operand\'s position', () => {
  const result = run('#define S(x) [#x]\n#define CAT(a, b) a ## b\n  S(one two) CAT(ab, cd)\n');
  assert.deepEqual(texts(result), ['  ["one two"] abcd']);
  assert.equal(describe(pieceOf(result, 0, '"one')), '1:15 < cpp-macro S@3:3');
  assert.equal(describe(pieceOf(result, 0, 'abcd')), '3:18 < cpp-macro CAT@3:14');
});
