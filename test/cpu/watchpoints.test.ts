// Data watchpoints: a watched access stops the run after the accessing instruction completes, with
// the address, size, direction and value; accesses beside the range do not; linear and physical
// ranges differ once paging maps one onto the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlatCpu, CODE_BASE } from '../helpers/cpuFixture';
import { flushForCr3Load } from '../../src/emu/cpu/paging';
import { CR0_PG } from '../../src/emu/cpu/cpuState';

// movl %eax, 0x2000 ; movl 0x3000, %ebx ; movw %cx, 0x2004 ; nop
const CODE = [0xa3, 0x00, 0x20, 0x00, 0x00, 0x8b, 0x1d, 0x00, 0x30, 0x00, 0x00, 0x66, 0x89, 0x0d, 0x04, 0x20, 0x00, 0x00, 0x90];

test('a write watchpoint stops after the write, a read watchpoint after the read', () => {
  const { cpu, memory, load } = createFlatCpu();
  load(CODE);
  memory.write32(0x3000, 0x11223344);
  cpu.regs[0] = 0xcafe;
  cpu.setWatchpoints([
    { space: 'linear', address: 0x2000, length: 4, access: 'write' },
    { space: 'physical', address: 0x3002, length: 1, access: 'read' },
  ]);
  const first = cpu.run(100);
  assert.equal(first.kind, 'watchpoint');
  assert.deepEqual(first.kind === 'watchpoint' && [first.address, first.access, first.size, first.value], [0x2000, 'write', 4, 0xcafe]);
  assert.equal(cpu.eip, CODE_BASE + 5, 'the writing instruction has completed');
  assert.equal(memory.read32(0x2000), 0xcafe);
  const second = cpu.run(100);
  assert.deepEqual(second.kind === 'watchpoint' && [second.address, second.access, second.value], [0x3000, 'read', 0x11223344]);
  assert.equal(cpu.regs[3], 0x11223344);
  assert.deepEqual(cpu.run(2), { kind: 'budget' }, 'the 16-bit write at 0x2004 is beside the watched range');
});

test('no watchpoints, and cleared watchpoints, cost no stops', () => {
  const { cpu, load } = createFlatCpu();
  load(CODE);
  cpu.setWatchpoints([{ space: 'linear', address: 0x2000, length: 4, access: 'readwrite' }]);
  cpu.setWatchpoints([]);
  assert.deepEqual(cpu.run(4), { kind: 'budget' });
});

test('with paging, a linear watchpoint follows the linear address and a physical one the frame', () => {
  const { cpu, memory, load } = createFlatCpu();
  // Identity-map the first 4 MiB, except that linear page 0x2000 maps to physical 0x5000.
  const directory = 0x200000;
  const table = 0x201000;
  for (let page = 0; page < 1024; page++) memory.write32(table + page * 4, (page << 12) | 3);
  memory.write32(table + 2 * 4, 0x5000 | 3);
  memory.write32(directory, table | 3);
  cpu.cr3 = directory;
  cpu.cr0 |= CR0_PG;
  flushForCr3Load(cpu);
  load(CODE);
  cpu.setWatchpoints([{ space: 'physical', address: 0x2000, length: 4, access: 'write' }]);
  assert.deepEqual(cpu.run(3), { kind: 'budget' }, 'physical 0x2000 is not written: linear 0x2000 is frame 0x5000');
  assert.equal(memory.read32(0x5000), 0);
  load(CODE);
  cpu.regs[0] = 7;
  cpu.setWatchpoints([{ space: 'physical', address: 0x5000, length: 4, access: 'write' }]);
  const stop = cpu.run(3);
  assert.deepEqual(stop.kind === 'watchpoint' && [stop.address, stop.value], [0x5000, 7]);
  assert.equal(memory.read32(0x5000), 7);
});
