// Far JMP/CALL/RET: direct and through a far pointer in memory (lguest's `lcall *lguest_entry`),
// call gates to an inner ring with parameter copying, RET imm16 to an outer ring nulling data
// segments, and the privilege checks with their error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE0, SEL, createSystemCpu, descriptor, execute, gate, mem } from './systemTestKit';
import { EXC_GP, EXC_NP } from '../../src/emu/cpu/faults';
import { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_SS } from '../../src/emu/isa/registers';
import { loadSegmentCache, setCpl } from '../../src/emu/cpu/segmentCache';

const ESP = 4;

test('lcall *ptr: same-privilege far call pushes CS then EIP and lands on the target', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  memory.write32(0x4000, 0x20000);
  memory.write16(0x4004, SEL.code0);
  const esp = cpu.regs[ESP]!;
  cpu.eip = 0x10000;
  assert.equal(execute(cpu, 'call_far_indirect', mem(0x4000), 6), undefined);
  assert.equal(cpu.eip, 0x20000);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0);
  assert.equal(cpu.regs[ESP], esp - 8);
  assert.equal(memory.read32(esp - 4), SEL.code0);
  assert.equal(memory.read32(esp - 8), 0x10006);
  // RET far returns.
  assert.equal(execute(cpu, 'retf', { opcode: 0xcb }, 1), undefined);
  assert.equal(cpu.eip, 0x10006);
  assert.equal(cpu.regs[ESP], esp);
});

test('far JMP to non-conforming code of another DPL is #GP(sel); not present #NP(sel); beyond limit #GP(0)', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0x1000, imm2: SEL.code3 }, 7)), [EXC_GP, SEL.code3 & 0xfffc]);
  sys.setGdt(13, descriptor(0, 0xffff, CODE0 & 0x7f));
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0x1000, imm2: 0x68 }, 7)), [EXC_NP, 0x68]);
  sys.setGdt(13, descriptor(0, 0xffff, CODE0));
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0x10000, imm2: 0x68 }, 7)), [EXC_GP, 0]);
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0x10000, imm2: 0 }, 7)), [EXC_GP, 0]);
  assert.equal(execute(cpu, 'jmp_far', { imm: 0xfff0, imm2: 0x68 }, 7), undefined);
  assert.equal(cpu.eip, 0xfff0);
  assert.equal(cpu.segSel[SEG_CS], 0x68);
});

test('far JMP to conforming code keeps CPL; a 16-bit operand truncates the offset', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  loadSegmentCache(cpu, SEG_CS, SEL.code3, 0, 0xffffffff, 0x00cffb00);
  setCpl(cpu, 3);
  assert.equal(execute(cpu, 'jmp_far', { imm: 0x12345, imm2: SEL.conforming, opsize32: false }, 5), undefined);
  assert.equal(cpu.cpl, 3);
  assert.equal(cpu.segSel[SEG_CS], SEL.conforming | 3);
  assert.equal(cpu.eip, 0x2345);
});

test('CALL through a call gate from ring 3 to ring 0 switches stacks and copies parameters', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setGdt(13, gate(SEL.code0, 0x30000, 0xc, 3, 2));
  loadSegmentCache(cpu, SEG_CS, SEL.code3, 0, 0xffffffff, 0x00cffb00);
  loadSegmentCache(cpu, SEG_SS, SEL.data3, 0, 0xffffffff, 0x00cff300);
  loadSegmentCache(cpu, SEG_DS, SEL.data3, 0, 0xffffffff, 0x00cff300);
  setCpl(cpu, 3);
  cpu.regs[ESP] = 0x50000;
  memory.write32(0x50000, 0x1111);
  memory.write32(0x50004, 0x2222);
  cpu.eip = 0x12000;
  assert.equal(execute(cpu, 'call_far', { imm: 0, imm2: 0x68 | 3 }, 7), undefined);
  assert.equal(cpu.cpl, 0);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0);
  assert.equal(cpu.segSel[SEG_SS], SEL.data0);
  assert.equal(cpu.eip, 0x30000);
  const top = 0x90000 - 24;
  assert.equal(cpu.regs[ESP], top);
  assert.deepEqual([0, 4, 8, 12, 16, 20].map((o) => memory.read32(top + o)), [0x12007, SEL.code3, 0x1111, 0x2222, 0x50000, SEL.data3]);
  // RET 8 back to ring 3 releases the parameters on both stacks.
  assert.equal(execute(cpu, 'retf', { opcode: 0xca, imm: 8 }, 3), undefined);
  assert.equal(cpu.cpl, 3);
  assert.equal(cpu.eip, 0x12007);
  assert.equal(cpu.regs[ESP], 0x50008);
  assert.equal(cpu.segSel[SEG_SS], SEL.data3);
  assert.equal(cpu.segSel[SEG_DS], SEL.data3, 'a DPL 3 data segment survives');
});

test('call gate DPL below CPL is #GP(gate); JMP through a gate cannot change privilege', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  sys.setGdt(13, gate(SEL.code0, 0x30000, 0xc, 0));
  loadSegmentCache(cpu, SEG_CS, SEL.code3, 0, 0xffffffff, 0x00cffb00);
  setCpl(cpu, 3);
  assert.deepEqual(pick(execute(cpu, 'call_far', { imm: 0, imm2: 0x6b }, 7)), [EXC_GP, 0x68]);
  sys.setGdt(13, gate(SEL.code0, 0x30000, 0xc, 3));
  assert.deepEqual(pick(execute(cpu, 'jmp_far', { imm: 0, imm2: 0x6b }, 7)), [EXC_GP, SEL.code0]);
});

test('RET far to an outer ring nulls data segments whose DPL is below the new CPL', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  const esp = cpu.regs[ESP]!;
  memory.write32(esp, 0x40000);
  memory.write32(esp + 4, SEL.code3);
  memory.write32(esp + 8, 0x60000);
  memory.write32(esp + 12, SEL.data3);
  loadSegmentCache(cpu, SEG_FS, SEL.data3, 0, 0xffffffff, 0x00cff300);
  assert.equal(execute(cpu, 'retf', { opcode: 0xcb }, 1), undefined);
  assert.equal(cpu.cpl, 3);
  assert.equal(cpu.regs[ESP], 0x60000);
  assert.equal(cpu.segSel[SEG_DS], 0);
  assert.equal(cpu.segSel[SEG_ES], 0);
  assert.equal(cpu.segSel[SEG_FS], SEL.data3);
  assert.equal(cpu.segFlags[SEG_DS]! & 0x8000, 0);
});

test('RET far: RPL below CPL is #GP(sel); bad outer SS is #GP(ss)', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  const esp = cpu.regs[ESP]!;
  memory.write32(esp, 0x40000);
  memory.write32(esp + 4, SEL.code3);
  memory.write32(esp + 8, 0x60000);
  memory.write32(esp + 12, SEL.data1);
  assert.deepEqual(pick(execute(cpu, 'retf', { opcode: 0xcb }, 1)), [EXC_GP, SEL.data1 & 0xfffc]);
  assert.equal(cpu.regs[ESP], esp);
  loadSegmentCache(cpu, SEG_CS, SEL.code3, 0, 0xffffffff, 0x00cffb00);
  setCpl(cpu, 3);
  loadSegmentCache(cpu, SEG_SS, SEL.data3, 0, 0xffffffff, 0x00cff300);
  memory.write32(esp + 4, SEL.code0);
  assert.deepEqual(pick(execute(cpu, 'retf', { opcode: 0xcb }, 1)), [EXC_GP, SEL.code0]);
});

function pick(fault: { vector: number; errorCode: number } | undefined): [number, number] | undefined {
  return fault ? [fault.vector, fault.errorCode] : undefined;
}
