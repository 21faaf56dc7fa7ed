// Hardware task switches: JMP to a TSS, CALL through a task gate and IRET with NT back, an
// exception through an IDT task gate with its error code, busy bits, the back link, NT, CR0.TS,
// CR3, and the #TS/#GP checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEL, TSS_A, TSS_B, createSystemCpu, descriptor, execute, gate, type SystemCpu } from './systemTestKit';
import { CpuFault, EXC_DF, EXC_GP, EXC_TS } from '../../src/emu/cpu/faults';
import { SEG_CS, SEG_DS, SEG_SS } from '../../src/emu/isa/registers';
import { CR0_PG, CR0_TS } from '../../src/emu/cpu/cpuState';
import { EFLAGS_NT, getEflags, setEflags } from '../../src/emu/cpu/eflags';
import { raiseException } from '../../src/emu/cpu/interrupts';

const TSS_A_INDEX = 7;
const TSS_B_INDEX = 8;

function prepareTaskB(sys: SystemCpu, overrides: { eip?: number; cs?: number; cr3?: number } = {}): void {
  const m = sys.memory;
  m.write32(TSS_B + 0x1c, overrides.cr3 ?? 0);
  m.write32(TSS_B + 0x20, overrides.eip ?? 0x40000);
  m.write32(TSS_B + 0x24, 0x2);
  for (let i = 0; i < 8; i++) m.write32(TSS_B + 0x28 + i * 4, 0x1000 * (i + 1));
  m.write32(TSS_B + 0x38, 0x70000); // ESP
  [SEL.data0, overrides.cs ?? SEL.code0, SEL.data0, SEL.data0, 0, 0].forEach((sel, i) => m.write16(TSS_B + 0x48 + i * 4, sel));
  m.write16(TSS_B + 0x60, 0);
}

function busy(sys: SystemCpu, index: number): boolean {
  return ((sys.gdtHigh(index) >>> 9) & 1) === 1;
}

test('JMP to an available TSS: saves the old task, swaps busy bits, loads the new one, sets CR0.TS', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  prepareTaskB(sys);
  cpu.regs[0] = 0xaaaa;
  cpu.eip = 0x12000;
  assert.equal(execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssB }, 7), undefined);
  assert.equal(memory.read32(TSS_A + 0x20), 0x12007);
  assert.equal(memory.read32(TSS_A + 0x28), 0xaaaa);
  assert.equal(memory.read16(TSS_A + 0x4c), SEL.code0);
  assert.equal(busy(sys, TSS_A_INDEX), false);
  assert.equal(busy(sys, TSS_B_INDEX), true);
  assert.equal(cpu.tr.selector, SEL.tssB);
  assert.equal(cpu.tr.flags & 0xf00, 0xb00);
  assert.equal(cpu.eip, 0x40000);
  assert.equal(cpu.regs[0], 0x1000);
  assert.equal(cpu.regs[4], 0x70000);
  assert.equal(cpu.segSel[SEG_SS], SEL.data0);
  assert.equal(cpu.cr0 & CR0_TS, CR0_TS);
  assert.equal(getEflags(cpu) & EFLAGS_NT, 0);
  assert.equal(memory.read16(TSS_B), 0, 'no back link for JMP');
});

test('CALL through a task gate nests (back link, NT); IRET returns and clears the busy bit', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  prepareTaskB(sys);
  sys.setGdt(13, gate(SEL.tssB, 0, 5, 0));
  cpu.eip = 0x12000;
  cpu.regs[3] = 0xbbbb;
  assert.equal(execute(cpu, 'call_far', { imm: 0, imm2: 0x68 }, 7), undefined);
  assert.equal(memory.read16(TSS_B), SEL.tssA);
  assert.equal(busy(sys, TSS_A_INDEX), true);
  assert.equal(busy(sys, TSS_B_INDEX), true);
  assert.equal(getEflags(cpu) & EFLAGS_NT, EFLAGS_NT);
  assert.equal(execute(cpu, 'iret', {}, 1), undefined);
  assert.equal(cpu.tr.selector, SEL.tssA);
  assert.equal(cpu.eip, 0x12007);
  assert.equal(cpu.regs[3], 0xbbbb);
  assert.equal(busy(sys, TSS_B_INDEX), false);
  assert.equal(busy(sys, TSS_A_INDEX), true);
  assert.equal(memory.read32(TSS_B + 0x24) & EFLAGS_NT, 0, 'NT cleared in the saved image of the returning task');
});

test('an exception through an IDT task gate pushes its error code on the new task stack', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  prepareTaskB(sys);
  sys.setIdt(EXC_DF, gate(SEL.tssB, 0, 5, 0));
  cpu.eip = 0x12000;
  cpu.instructionStart = 0x12000;
  raiseException(cpu, new CpuFault(EXC_DF, 0, 'test'));
  assert.equal(cpu.tr.selector, SEL.tssB);
  assert.equal(cpu.regs[4], 0x70000 - 4);
  assert.equal(memory.read32(0x70000 - 4), 0);
  assert.equal(memory.read16(TSS_B), SEL.tssA);
});

test('JMP to a busy TSS is #GP(sel); a TSS below 0x67 bytes is #TS(sel)', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssA }, 7)), [EXC_GP, SEL.tssA]);
  sys.setGdt(TSS_B_INDEX, descriptor(TSS_B, 0x20, 0x89));
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssB }, 7)), [EXC_TS, SEL.tssB]);
  assert.equal(cpu.tr.selector, SEL.tssA);
});

test('a bad CS in the new TSS faults in the new task: TR switched, #TS(cs), EIP of the new task', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  prepareTaskB(sys, { cs: SEL.data0 });
  cpu.eip = 0x12000;
  const fault = execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssB }, 7);
  assert.deepEqual(pick(fault), [EXC_TS, SEL.data0]);
  assert.equal(cpu.tr.selector, SEL.tssB);
  assert.equal(cpu.eip, 0x40000);
});

test('a task switch loads CR3 when paging is on', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  // Identity-map the first 4 MiB with a 4 KiB page table in both directories.
  for (const pd of [0x200000, 0x202000]) memory.write32(pd, 0x201000 | 3);
  for (let i = 0; i < 1024; i++) memory.write32(0x201000 + i * 4, (i << 12) | 3);
  cpu.cr3 = 0x200000;
  cpu.cr0 |= CR0_PG;
  prepareTaskB(sys, { cr3: 0x202000 });
  setEflags(cpu, 2);
  assert.equal(execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssB }, 7), undefined);
  assert.equal(cpu.cr3, 0x202000);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0);
  assert.equal(cpu.segSel[SEG_DS], SEL.data0);
});

function pick(fault: { vector: number; errorCode: number } | undefined): [number, number] | undefined {
  return fault ? [fault.vector, fault.errorCode] : undefined;
}

test('a 16-bit TSS: JMP loads IP, FLAGS, the low register words and ES/CS/SS/DS from the 44-byte layout', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setGdt(TSS_B_INDEX, descriptor(TSS_B, 0x2b, 0x81, { big: false }));
  memory.write16(TSS_B + 0x0e, 0x4321);
  memory.write16(TSS_B + 0x10, 0x0002);
  for (let i = 0; i < 8; i++) memory.write16(TSS_B + 0x12 + i * 2, 0x100 + i);
  [SEL.data0, SEL.code0, SEL.data0, SEL.data0].forEach((sel, i) => memory.write16(TSS_B + 0x22 + i * 2, sel));
  cpu.regs[0] = 0x12340000;
  assert.equal(execute(cpu, 'jmp_far', { imm: 0, imm2: SEL.tssB }, 7), undefined);
  assert.equal(cpu.eip, 0x4321);
  assert.equal(cpu.regs[0]! >>> 0, 0x12340100);
  assert.equal(cpu.tr.flags & 0xf00, 0x300, '16-bit TSS, busy');
  assert.equal(busy(sys, TSS_B_INDEX), true);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0);
});
