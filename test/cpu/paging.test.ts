// The page walk: 4 KiB and 4 MiB pages, U/S and R/W with CR0.WP, A/D updates, #PF codes and CR2,
// TLB flushes and the side-effect-free peek the debugger uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlatCpu } from '../helpers/cpuFixture';
import { translate, flushForCr3Load, peekTranslate, invalidatePage } from '../../src/emu/cpu/paging';
import { CpuFault, EXC_PF } from '../../src/emu/cpu/faults';
import { CR0_PG, CR0_WP, CR4_PSE } from '../../src/emu/cpu/cpuState';
import { readLinear32, writeLinear32, resolveWrite, writeResolved32 } from '../../src/emu/cpu/memoryAccess';
import { setCpl } from '../../src/emu/cpu/segmentCache';

const PD = 0x200000;
const PT = 0x201000;

function pagedCpu() {
  const fixture = createFlatCpu();
  const { cpu, memory } = fixture;
  memory.write32(PD + (0x400000 >>> 22) * 4, PT | 0x7); // 4-8 MiB through a page table, user RW
  memory.write32(PT + 0 * 4, 0x300000 | 0x7); // 0x400000 -> 0x300000 user RW
  memory.write32(PT + 1 * 4, 0x301000 | 0x1); // 0x401000 -> 0x301000 supervisor RO
  memory.write32(PT + 2 * 4, 0x302000 | 0x5); // 0x402000 -> user RO
  memory.write32(PD + (0x800000 >>> 22) * 4, 0x000000 | 0x83); // 8-12 MiB: 4 MiB page at 0, supervisor RW
  cpu.cr3 = PD;
  cpu.cr0 |= CR0_PG;
  cpu.cr4 |= CR4_PSE;
  flushForCr3Load(cpu);
  return fixture;
}

function expectPageFault(action: () => void, code: number) {
  assert.throws(action, (e: unknown) => e instanceof CpuFault && e.vector === EXC_PF && e.errorCode === code);
}

test('4 KiB pages translate and set accessed, then dirty on write', () => {
  const { cpu, memory } = pagedCpu();
  assert.equal(translate(cpu, 0x400123, false, false), 0x300123);
  assert.equal(memory.read32(PT) & 0x60, 0x20);
  assert.equal(memory.read32(PD + 4) & 0x20, 0x20);
  writeLinear32(cpu, 0x400010, 0x11223344);
  assert.equal(memory.read32(0x300010), 0x11223344);
  assert.equal(memory.read32(PT) & 0x60, 0x60);
  assert.equal(readLinear32(cpu, 0x400010), 0x11223344);
});

test('4 MiB pages need CR4.PSE', () => {
  const { cpu, memory } = pagedCpu();
  memory.write32(0x123454, 0xcafef00d);
  assert.equal(readLinear32(cpu, 0x923454) >>> 0, 0xcafef00d);
  assert.equal(memory.read32(PD + 8) & 0x20, 0x20);
});

test('#PF error codes and CR2', () => {
  const { cpu } = pagedCpu();
  expectPageFault(() => translate(cpu, 0x1000000, false, false), 0);
  assert.equal(cpu.cr2 >>> 0, 0x1000000);
  expectPageFault(() => translate(cpu, 0x1000004, true, true), 6);
  expectPageFault(() => translate(cpu, 0x401000, false, true), 5); // user read of a supervisor page
  expectPageFault(() => translate(cpu, 0x402000, true, true), 7); // user write to a read-only page
  assert.equal(cpu.cr2 >>> 0, 0x402000);
});

test('CR0.WP decides supervisor writes to read-only pages', () => {
  const { cpu, memory } = pagedCpu();
  writeLinear32(cpu, 0x401000, 7); // WP clear: allowed
  assert.equal(memory.read32(0x301000), 7);
  cpu.cr0 |= CR0_WP;
  flushForCr3Load(cpu);
  expectPageFault(() => writeLinear32(cpu, 0x401004, 1), 3);
});

test('user-mode fast path refuses supervisor pages', () => {
  const { cpu } = pagedCpu();
  readLinear32(cpu, 0x401000); // filled as supervisor
  setCpl(cpu, 3);
  expectPageFault(() => readLinear32(cpu, 0x401000), 5);
  setCpl(cpu, 0);
});

test('a CR3 load and INVLPG drop stale translations', () => {
  const { cpu, memory } = pagedCpu();
  assert.equal(translate(cpu, 0x400000, false, false), 0x300000);
  memory.write32(PT, 0x305000 | 0x7);
  assert.equal(translate(cpu, 0x400000, false, false), 0x300000, 'stale until invalidated');
  invalidatePage(cpu, 0x400000);
  assert.equal(translate(cpu, 0x400000, false, false), 0x305000);
  memory.write32(PT, 0x306000 | 0x7);
  flushForCr3Load(cpu);
  assert.equal(translate(cpu, 0x400000, false, false), 0x306000);
});

test('read-modify-write checks every page before writing', () => {
  const { cpu, memory } = pagedCpu();
  // 0x401ffe..0x402001 crosses from a supervisor RO page into a user RO page: with WP set, no write happens.
  cpu.cr0 |= CR0_WP;
  flushForCr3Load(cpu);
  memory.write32(0x301ffc, 0);
  expectPageFault(() => resolveWrite(cpu, 3, 0x401ffe, 4), 3);
  assert.equal(memory.read32(0x301ffc), 0);
  const physical = resolveWrite(cpu, 3, 0x400008, 4);
  writeResolved32(cpu, physical, 0x55);
  assert.equal(memory.read32(0x300008), 0x55);
});

test('peekTranslate has no side effects', () => {
  const { cpu, memory } = pagedCpu();
  memory.write32(PT + 8, 0x302000 | 0x5);
  assert.equal(peekTranslate(cpu, 0x402abc), 0x302abc);
  assert.equal(memory.read32(PT + 8) & 0x20, 0, 'accessed bit untouched');
  assert.equal(peekTranslate(cpu, 0x5000000), undefined);
});
