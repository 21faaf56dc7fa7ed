// Breakpoints by linear address: a run stops before the instruction; the next run executes it;
// a run that merely begins at a breakpoint (the machine slices runs at device events) still stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlatCpu, CODE_BASE } from '../helpers/cpuFixture';

const NOP = 0x90;

test('stop before, resume through, and stop again on the next pass', () => {
  const { cpu, load } = createFlatCpu();
  load([NOP, NOP, NOP, 0xeb, 0xfb]); // nop; nop; nop; jmp back to the first nop
  cpu.addBreakpoint(CODE_BASE + 1);
  assert.deepEqual(cpu.run(100), { kind: 'breakpoint', address: CODE_BASE + 1 });
  assert.equal(cpu.eip, CODE_BASE + 1);
  assert.equal(cpu.instructionCount, 1);
  assert.deepEqual(cpu.run(100), { kind: 'breakpoint', address: CODE_BASE + 1 }, 'one lap later');
  assert.equal(cpu.instructionCount, 5);
});

test('a run that starts on a breakpoint it did not stop at stops at once', () => {
  const { cpu, load } = createFlatCpu();
  load([NOP, NOP, NOP]);
  assert.deepEqual(cpu.run(1), { kind: 'budget' });
  cpu.addBreakpoint(CODE_BASE + 1);
  assert.deepEqual(cpu.run(10), { kind: 'breakpoint', address: CODE_BASE + 1 });
  assert.equal(cpu.instructionCount, 1);
  assert.equal(cpu.step().kind, 'step', 'stepping from a breakpoint executes it');
  assert.equal(cpu.eip, CODE_BASE + 2);
});

test('removing breakpoints restores free running', () => {
  const { cpu, load } = createFlatCpu();
  load([NOP, NOP, NOP, NOP]);
  cpu.addBreakpoint(CODE_BASE + 2);
  cpu.removeBreakpoint(CODE_BASE + 2);
  assert.deepEqual(cpu.run(4), { kind: 'budget' });
});
