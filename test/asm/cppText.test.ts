// The preprocessor on text without macros: comments, `\` continuations, GCC's assembler-with-cpp
// token rules ($ is no identifier character, pp-numbers, lone quotes), `#` lines that are not
// directives, output lines, and the pieces that map every output character back to the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import { locateInLine, type PreprocessOptions, type PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string, options: PreprocessOptions = {}): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text }), options);
}

function texts(result: PreprocessResult): string[] {
  return result.lines.map((line) => line.text);
}

function messages(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => `${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
}

/** `line:column` of output character `offset` of output line `index`. */
function where(result: PreprocessResult, index: number, offset: number): string {
  const { location } = locateInLine(result.lines[index]!, offset);
  return `${location.line}:${location.column}`;
}

test('plain text is copied unchanged, tabs and spacing kept; blank and directive lines vanish', () => {
  const result = run('\tmovl\t$1,  %eax\n\n#define X 1\n   nop   \n');
  assert.deepEqual(texts(result), ['\tmovl\t$1,  %eax', '   nop']);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.files, [MAIN]);
});

test('a plain line is one verbatim piece whose columns advance one to one', () => {
  const result = run('  movl %eax, %ebx\n');
  const [line] = result.lines;
  assert.equal(line!.pieces.length, 1);
  assert.deepEqual(line!.pieces[0], { start: 2, end: 17, location: { file: MAIN, line: 1, column: 3 }, expansion: [], verbatim: true });
  assert.deepEqual(line!.location, { file: MAIN, line: 1, column: 1 });
  assert.equal(where(result, 0, 7), '1:8');
});

test('each comment becomes one space and pieces split around it', () => {
  const result = run('a/* x */b // tail\nc /* multi\nline */ d\n');
  assert.deepEqual(texts(result), ['a b', 'c   d']);
  const first = result.lines[0]!;
  assert.deepEqual(first.pieces.map((p) => [p.start, p.end, p.location.column]), [[0, 1, 1], [2, 3, 9]]);
  const second = result.lines[1]!;
  assert.equal(second.location.line, 2);
  assert.equal(where(result, 1, 4), '3:9');
});

test('a comment at the start of a line makes the line start where the comment began', () => {
  const result = run('x\n/* one\n two */ movl\n');
  assert.deepEqual(texts(result), ['x', '  movl']);
  assert.deepEqual(result.lines[1]!.location, { file: MAIN, line: 2, column: 1 });
  assert.equal(where(result, 1, 2), '3:9');
});

test('backslash-newline joins lines anywhere, even inside a word and inside comments', () => {
  const result = run('mo\\\nvl %eax, %ebx /* a \\\n b */ ; nop\n');
  assert.deepEqual(texts(result), ['movl %eax, %ebx   ; nop']);
  const pieces = result.lines[0]!.pieces;
  assert.deepEqual(pieces[0], { start: 0, end: 4, location: { file: MAIN, line: 1, column: 1 }, expansion: [], verbatim: false });
  assert.deepEqual(pieces[1]!.location, { file: MAIN, line: 2, column: 4 });
  assert.equal(pieces[1]!.verbatim, true);
  assert.equal(where(result, 0, 18), '3:7');
});

test('pieces are sorted, do not overlap and cover every non-space character', () => {
  const result = run('#define F(a) a+1\n\tx /*c*/ F( y ) z\n  "str"  F(F(2))\n');
  for (const line of result.lines) {
    let previousEnd = 0;
    for (const piece of line.pieces) {
      assert.ok(piece.start >= previousEnd && piece.end > piece.start, JSON.stringify(line));
      previousEnd = piece.end;
    }
    for (let i = 0; i < line.text.length; i++) {
      if (/\s/.test(line.text[i]!)) continue;
      assert.ok(line.pieces.some((p) => p.start <= i && i < p.end), `character ${i} of ${JSON.stringify(line.text)} uncovered`);
    }
  }
});

test('$ is not an identifier character, so $NAME expands NAME', () => {
  const result = run('#define LHCALL_X 7\n\tmovl $LHCALL_X, %eax\n\tmovl $$LHCALL_X, %eax\n');
  assert.deepEqual(texts(result), ['\tmovl $7, %eax', '\tmovl $$7, %eax']);
});

test('pp-numbers such as 1f, 1b, 0x1F, 12 and 0xe+X are never expanded', () => {
  const result = run('#define f 9\n#define b 8\n#define F 7\n#define X 6\n\tjmp 1f; jmp 1b; 0x1F 12 0xe+X 1p+X 1x+X f\n');
  assert.deepEqual(texts(result), ['\tjmp 1f; jmp 1b; 0x1F 12 0xe+X 1p+X 1x+6 9']);
});

test('a lone quote is not an error: it runs to the end of the line as one token', () => {
  const result = run("#define FOO 1\n\tmovb $'a, %al  # FOO\n\tmovb $'a', %al ; FOO\n\tmovb $'a, %al # it's FOO\n");
  assert.deepEqual(texts(result), ["\tmovb $'a, %al  # FOO", "\tmovb $'a', %al ; 1", "\tmovb $'a, %al # it's 1"]);
  assert.deepEqual(result.diagnostics, []);
});

test('a # line that is not a directive is assembler text, with its macros expanded', () => {
  const result = run('#define FOO 3\n# this is a comment FOO\n#APP\n# 12 "x.c"\n#\n  #  NOAPP\n');
  assert.deepEqual(texts(result), ['# this is a comment 3', '#APP', '# 12 "x.c"', '  #  NOAPP']);
  assert.deepEqual(result.diagnostics, []);
});

test('string and character literals keep their contents, comment-like text included', () => {
  const result = run('#define X 1\n.ascii "/* X */", "a\\"X"\n');
  assert.deepEqual(texts(result), ['.ascii "/* X */", "a\\"X"']);
});

test('carriage returns are line ends, and a file without a final newline is fine', () => {
  const result = run('a\r\nb\rc');
  assert.deepEqual(texts(result), ['a', 'b', 'c']);
  assert.deepEqual(result.lines.map((l) => l.location.line), [1, 2, 3]);
});

test('a backslash followed by blanks still continues the line, with GCC\'s warning', () => {
  const result = run('#define A 1 \\  \n 2\nA\n');
  assert.deepEqual(texts(result), ['1 2']);
  assert.deepEqual(messages(result), ['1:13: warning: backslash and newline separated by space']);
});

test('a backslash-newline at the very end of the file warns', () => {
  const result = run('nop \\\n');
  assert.deepEqual(texts(result), ['nop']);
  assert.deepEqual(messages(result), ['1:5: warning: backslash-newline at end of file']);
});

test('-D definitions and the predefined macros assembly relies on are there', () => {
  const result = run('__ASSEMBLY__ __ASSEMBLER__ __i386__ __linux__ __ELF__ __GNUC__ __SIZEOF_POINTER__ __CHAR_BIT__ linux unix i386 X Y\n', {
    defines: { __ASSEMBLY__: '1', X: '', Y: 'a b' },
  });
  assert.deepEqual(texts(result), ['1 1 1 1 1 12 4 8 1 1 1 a b']);
});
