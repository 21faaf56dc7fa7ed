// #include: built-in headers first for both forms, then the includer's directory for "...",
// then the include paths; include frames on every piece; #pragma once, #import, include guards,
// #include_next, macro-named headers, and the depth limit that stops recursive includes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import type { PreprocessOptions, PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string, files: Record<string, string>, options: PreprocessOptions = {}): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text, ...files }), { includePaths: ['/inc1', '/inc2'], ...options });
}

function texts(result: PreprocessResult): string[] {
  return result.lines.map((line) => line.text);
}

function messages(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
}

test('search order: built-in headers first for both forms, then the includer directory for "...", then -I paths', () => {
  const files = { '/src/a.h': 'src_a', '/inc1/a.h': 'inc1_a', '/inc1/b.h': 'inc1_b', '/inc2/b.h': 'inc2_b', '/inc2/c.h': 'inc2_c', '/src/d.h': 'src_d' };
  const builtinHeaders = new Map([['c.h', 'builtin_c'], ['asm/x.h', 'builtin_x\n#include "y.h"'], ['asm/y.h', 'builtin_y']]);
  const result = run('#include "a.h"\n#include <a.h>\n#include <b.h>\n#include "c.h"\n#include <c.h>\n#include <asm/x.h>\n#include "d.h"\n', files, { builtinHeaders });
  assert.deepEqual(texts(result), ['src_a', 'inc1_a', 'inc1_b', 'builtin_c', 'builtin_c', 'builtin_x', 'builtin_y', 'src_d']);
  assert.deepEqual(result.files, [MAIN, '/src/a.h', '/inc1/a.h', '/inc1/b.h', '<builtin>/c.h', '<builtin>/asm/x.h', '<builtin>/asm/y.h', '/src/d.h']);
  assert.deepEqual(result.diagnostics, []);
});

test('text from an included file carries include frames, innermost first, sited at the #include', () => {
  const files = { '/inc1/outer.h': '\n  #include "inner.h"\n', '/inc1/inner.h': 'deep' };
  const result = run('x\n#include <outer.h>\n', files);
  const piece = result.lines[1]!.pieces[0]!;
  assert.deepEqual(piece.location, { file: '/inc1/inner.h', line: 1, column: 1 });
  assert.deepEqual(piece.expansion, [
    { kind: 'include', name: 'inner.h', site: { file: '/inc1/outer.h', line: 2, column: 3 } },
    { kind: 'include', name: 'outer.h', site: { file: MAIN, line: 2, column: 1 } },
  ]);
  assert.equal(piece.verbatim, true);
  assert.deepEqual(result.lines[1]!.location, { file: '/inc1/inner.h', line: 1, column: 1 });
});

test('the header can come from a macro, in either form', () => {
  const files = { '/inc1/m.h': 'from_m' };
  const result = run('#define Q "m.h"\n#define A <m.h>\n#include Q\n#include A\n', files);
  assert.deepEqual(texts(result), ['from_m', 'from_m']);
});

test('include guards, #pragma once and #import include a file once', () => {
  const files = { '/inc1/g.h': '#ifndef G\n#define G\nguarded\n#endif\n', '/inc1/o.h': '#pragma once\nonce\n', '/inc1/i.h': 'imported\n' };
  const result = run('#include <g.h>\n#include <g.h>\n#include <o.h>\n#include <o.h>\n#import <i.h>\n#import <i.h>\n', files);
  assert.deepEqual(texts(result), ['guarded', 'once', 'imported']);
  assert.deepEqual(messages(result), ['/src/t.S:5:2: warning: #import is a deprecated GCC extension', '/src/t.S:6:2: warning: #import is a deprecated GCC extension']);
});

test('#include_next continues the search after the path the current file came from', () => {
  const files = { '/inc1/n.h': 'first\n#include_next <n.h>\n', '/inc2/n.h': 'second\n' };
  const result = run('#include <n.h>\n', files);
  assert.deepEqual(texts(result), ['first', 'second']);
});

test('a function-like macro call cannot take its arguments from beyond the end of an included file', () => {
  const files = { '/inc1/f.h': '#define F(a) <a>\nF\n' };
  const result = run('#include <f.h>\n(1)\n', files);
  assert.deepEqual(texts(result), ['F', '(1)']);
});

test('a conditional must end in the file that opened it', () => {
  const files = { '/inc1/open.h': '#if 1\ninside\n' };
  const result = run('#include <open.h>\n#endif\nafter\n', files);
  assert.deepEqual(texts(result), ['inside', 'after']);
  assert.deepEqual(messages(result), ['/inc1/open.h:1:2: error: unterminated #if', '/src/t.S:2:2: error: #endif without #if']);
});

test('a self-including header stops at the depth limit with one error per runaway chain, quickly', () => {
  const files = { '/inc1/self.h': 'level\n#include <self.h>\n#include <self.h>\n' };
  const result = run('#include <self.h>\nend\n', files);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 2);
  assert.deepEqual(errors[0]!.location, { file: '/inc1/self.h', line: 2, column: 10 });
  assert.match(errors[0]!.message, /^#include nested too deeply: "\/inc1\/self\.h" would be at depth 201, the maximum is 200/);
  assert.equal(errors[0]!.expansion!.length, 199);
  assert.equal(texts(result).at(-1), 'end');
  // Depths 2..200 the first time; after the error the recursion unwinds to the first self.h, whose
  // second #include runs depths 3..200 again.
  assert.equal(texts(result).filter((t) => t === 'level').length, 199 + 198);
});

test('maxIncludeDepth lowers the limit', () => {
  const files = { '/inc1/a.h': '#include <b.h>\n', '/inc1/b.h': '#include <c.h>\n', '/inc1/c.h': 'c\n' };
  const result = run('#include <a.h>\n', files, { maxIncludeDepth: 3 });
  assert.deepEqual(texts(result), []);
  assert.deepEqual(messages(result), ['/inc1/b.h:1:10: error: #include nested too deeply: "/inc1/c.h" would be at depth 4, the maximum is 3 (recursive #include?)']);
});
