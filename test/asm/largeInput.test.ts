// Large inputs: a 10 MB source file, a single 1 MB line and long macro/.rept expansions assemble
// without a stack overflow and with linear-size results (no timing assertions: the point is that
// they finish and are right).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleText, errorsOf } from './asmTestSupport';

function tenMegabyteSource(): { text: string; blocks: number } {
  const parts: string[] = [];
  let size = 0;
  let blocks = 0;
  while (size < 10 * 1024 * 1024) {
    const block = `block_${blocks}:\n\t# a comment line that takes some room in the file\n\tmovl %eax, %ebx\n\t.long block_${blocks}, 0x12345678\n\t/* a block comment */ .ascii "text of the block"\n\t.byte 1, 2, 3, 4\n\n`;
    parts.push(block);
    size += block.length;
    blocks++;
  }
  return { text: parts.join(''), blocks };
}

test('a 10 MB file assembles, with one relocation per block and every label defined', () => {
  const { text, blocks } = tenMegabyteSource();
  const module = assembleText(text, { name: 'big.s' });
  assert.deepEqual(errorsOf(module), []);
  const section = module.sections.find((s) => s.name === '.text')!;
  assert.equal(section.size, blocks * (2 + 8 + 17 + 4));
  assert.equal(section.relocations.length, blocks);
  assert.equal(module.symbols.filter((s) => s.name.startsWith('block_')).length, blocks);
  assert.equal(section.lines.length, blocks * 4);
});

test('a single 1 MB line of data assembles', () => {
  const text = `.byte ${Array.from({ length: 400_000 }, (_, i) => i & 0x7f).join(',')}\n`;
  assert.ok(text.length > 1_000_000);
  const module = assembleText(text);
  assert.deepEqual(errorsOf(module), []);
  assert.equal(module.sections[0]!.size, 400_000);
});

test('a long .rept of a jump back to a label relaxes every copy', () => {
  const module = assembleText('top:\n.rept 20000\njmp top\n.endr\n');
  assert.deepEqual(errorsOf(module), []);
  const text = module.sections[0]!;
  // The first 63 jumps reach back with rel8 (2 bytes), the rest need rel32 (5 bytes).
  const short = 64;
  assert.equal(text.size, short * 2 + (20000 - short) * 5);
});

test('macros nested 90 deep (under the limit of 100) expand', () => {
  const module = assembleText('.macro down n\n.if \\n\n.byte \\n\ndown "(\\n-1)"\n.endif\n.endm\ndown 90\n');
  assert.deepEqual(errorsOf(module), []);
  assert.equal(module.sections[0]!.size, 90);
});

test('a chain of 50000 symbols each defined from the previous one evaluates without a stack overflow', () => {
  const lines = ['start: nop', 'x0 = start'];
  for (let i = 1; i < 50_000; i++) lines.push(`x${i} = x${i - 1} + 1`);
  lines.push('.long x49999');
  const module = assembleText(`${lines.join('\n')}\n`);
  assert.deepEqual(errorsOf(module), []);
  assert.deepEqual(module.sections[0]!.relocations.map((r) => r.addend), [49_999]);
});
