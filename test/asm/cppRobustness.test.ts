// Inputs built to hurt: deep nesting of every kind, long macro chains, mutual recursion, huge
// lines and a 10 MB file. Nothing may throw, hang or overflow the stack; problems are
// diagnostics. Timing is printed for information only, never asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import { MAX_CHAIN_FRAMES } from '../../src/emu/asm/cpp/expansionChains';
import { MAX_ARGUMENT_NESTING } from '../../src/emu/asm/cpp/macroExpander';
import type { PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';

const MAIN = '/src/t.S';

function run(text: string): PreprocessResult {
  return preprocess(MAIN, new InMemoryFileSystem({ [MAIN]: text }));
}

function messages(result: PreprocessResult): string[] {
  return result.diagnostics.map((d) => `${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
}

test('macro calls nested in arguments expand up to the limit, and beyond it report instead of overflowing', () => {
  const ok = MAX_ARGUMENT_NESTING - 10;
  const fine = run(`#define F(x) x\n${'F('.repeat(ok)}1${')'.repeat(ok)}\n`);
  assert.deepEqual(fine.lines.map((l) => l.text), ['1']);
  assert.deepEqual(fine.diagnostics, []);
  const depth = 50_000;
  const result = run(`#define F(x) x\n${'F('.repeat(depth)}1${')'.repeat(depth)}\nafter\n`);
  assert.deepEqual(messages(result), [`2:${2 * MAX_ARGUMENT_NESTING + 3}: error: macro arguments nested more than ${MAX_ARGUMENT_NESTING} deep; inner macros left unexpanded`]);
  assert.equal(result.lines.at(-1)!.text, 'after');
});

test('a chain of 100,000 object-like macros expands without recursion; its chain keeps both ends', () => {
  const count = 100_000;
  let text = '';
  for (let i = 0; i < count; i++) text += `#define M${i} M${i + 1}\n`;
  const result = run(`${text}M0\n`);
  assert.deepEqual(result.lines.map((l) => l.text), [`M${count}`]);
  const chain = result.lines[0]!.pieces[0]!.expansion;
  assert.equal(chain.length, MAX_CHAIN_FRAMES);
  assert.equal(chain[0]!.name, `M${count - 1}`);
  assert.deepEqual(chain.at(-1), { kind: 'cpp-macro', name: 'M0', site: { file: MAIN, line: count + 1, column: 1 } });
});

test('100,000 nested conditionals and mutual recursion end normally', () => {
  const depth = 100_000;
  const result = run(`${'#if 1\n'.repeat(depth)}inside\n${'#endif\n'.repeat(depth)}#define A B\n#define B A\nA\n`);
  assert.deepEqual(result.lines.map((l) => l.text), ['inside', 'A']);
  assert.deepEqual(result.diagnostics, []);
});

test('a 1 MB line and a 100,000-line macro invocation are handled', () => {
  const long = 'x '.repeat(500_000);
  const many = `#define F(...) [__VA_ARGS__]\nF(${'a,\n'.repeat(100_000)}z)\nend\n`;
  assert.equal(run(`${long}\n`).lines[0]!.text.length, long.length - 1);
  const result = run(many);
  assert.equal(result.lines.length, 2);
  assert.ok(result.lines[0]!.text.startsWith('[a, a,'));
  assert.equal(result.lines[1]!.location.line, 100_003);
});

test('a 10 MB file of macro uses preprocesses in linear time (timing printed for information)', () => {
  const block = '\tmovl $FOO, %eax\n'.repeat(7) + '\taddl BAR(%ecx), %edx /* note */\n';
  const repeats = Math.ceil(10_000_000 / block.length);
  const count = repeats * 8;
  const text = `#define FOO 42\n#define BAR(r) (r+FOO)\n${block.repeat(repeats)}`;
  const started = performance.now();
  const result = run(text);
  const elapsed = performance.now() - started;
  console.log(`# cpp: ${(text.length / 1e6).toFixed(1)} MB, ${count} lines in ${elapsed.toFixed(0)} ms (${((text.length / 1e6) / (elapsed / 1000)).toFixed(1)} MB/s)`);
  assert.equal(result.lines.length, count);
  assert.equal(result.lines[count - 2]!.text, '\tmovl $42, %eax');
  assert.equal(result.lines[count - 1]!.text, '\taddl (%ecx+42), %edx');
  assert.deepEqual(result.diagnostics, []);
});
