// Segment register loads: MOV/POP/LxS to DS/ES/FS/GS/SS with their null, type, privilege and
// presence checks and error codes; accessed bits; PUSH sreg slot width; the MOV SS shadow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE0, DATA0, DATA3, SEL, createSystemCpu, descriptor, execute, mem, rm } from './systemTestKit';
import { EXC_GP, EXC_NP, EXC_SS } from '../../src/emu/cpu/faults';
import { SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../../src/emu/isa/registers';
import { setCpl } from '../../src/emu/cpu/segmentCache';
import { loadSegmentCache } from '../../src/emu/cpu/segmentCache';

const EAX = 0;
const ESP = 4;

function movSreg(seg: number, selector: number) {
  const sys = createSystemCpu();
  sys.cpu.regs[EAX] = selector;
  return { sys, fault: execute(sys.cpu, 'mov_sreg_rm', { reg: seg, ...rm(EAX) }) };
}

test('MOV DS loads the cache and sets the accessed bit in memory', () => {
  const sys = createSystemCpu();
  sys.setGdt(13, descriptor(0x123000, 0xfff, 0x92, { big: true }));
  sys.cpu.regs[EAX] = 13 * 8;
  assert.equal(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_DS, ...rm(EAX) }), undefined);
  assert.equal(sys.cpu.segSel[SEG_DS], 0x68);
  assert.equal(sys.cpu.segBase[SEG_DS], 0x123000);
  assert.equal(sys.cpu.segLimit[SEG_DS], 0xfff);
  assert.equal(sys.cpu.segFlags[SEG_DS], 0x00409300);
  assert.equal((sys.gdtHigh(13) >>> 8) & 0xff, 0x93);
});

test('a null selector is allowed in DS/ES/FS/GS and makes the register unusable', () => {
  for (const seg of [SEG_DS, SEG_ES, SEG_FS, SEG_GS]) {
    const { sys, fault } = movSreg(seg, 3);
    assert.equal(fault, undefined);
    assert.equal(sys.cpu.segSel[seg], 3);
    assert.equal(sys.cpu.segFlags[seg], 0);
  }
});

test('MOV SS: null is #GP(0), RPL/DPL mismatch #GP(sel), not present #SS(sel)', () => {
  assert.deepEqual(pick(movSreg(SEG_SS, 0).fault), [EXC_GP, 0]);
  assert.deepEqual(pick(movSreg(SEG_SS, SEL.data3).fault), [EXC_GP, 0x20]);
  assert.deepEqual(pick(movSreg(SEG_SS, SEL.code0).fault), [EXC_GP, 0x08]);
  const sys = createSystemCpu();
  sys.setGdt(13, descriptor(0, 0xffffffff, DATA0 & 0x7f));
  sys.cpu.regs[EAX] = 0x68;
  assert.deepEqual(pick(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_SS, ...rm(EAX) })), [EXC_SS, 0x68]);
});

test('MOV SS sets the interrupt shadow', () => {
  const { sys, fault } = movSreg(SEG_SS, SEL.data0);
  assert.equal(fault, undefined);
  assert.equal(sys.cpu.interruptShadow, true);
});

test('data segment privilege: DPL must be >= max(CPL, RPL) unless conforming code', () => {
  assert.deepEqual(pick(movSreg(SEG_DS, SEL.data0 | 3).fault), [EXC_GP, 0x10]);
  assert.equal(movSreg(SEG_DS, SEL.data3).fault, undefined);
  assert.equal(movSreg(SEG_DS, SEL.conforming | 3).fault, undefined);
  const sys = createSystemCpu();
  setCpl(sys.cpu, 3);
  sys.cpu.regs[EAX] = SEL.data0;
  assert.deepEqual(pick(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_DS, ...rm(EAX) })), [EXC_GP, 0x10]);
});

test('non-readable code, system descriptors and out-of-limit selectors are #GP(sel); not present is #NP', () => {
  const sys = createSystemCpu();
  sys.setGdt(13, descriptor(0, 0xffff, CODE0 & ~2));
  sys.setGdt(14, descriptor(0, 0xffff, DATA0 & 0x7f));
  for (const [selector, vector] of [[0x68, EXC_GP], [SEL.tssA, EXC_GP], [0x100, EXC_GP], [0x70, EXC_NP]] as const) {
    sys.cpu.regs[EAX] = selector;
    assert.deepEqual(pick(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_ES, ...rm(EAX) })), [vector, selector & 0xfffc], `selector ${selector}`);
  }
});

test('LDT selectors need a usable LDTR (LLDT of null makes it unusable)', () => {
  const sys = createSystemCpu();
  sys.cpu.regs[EAX] = 0;
  assert.equal(execute(sys.cpu, 'lldt', rm(EAX)), undefined);
  sys.cpu.regs[EAX] = 0x0c;
  assert.deepEqual(pick(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_DS, ...rm(EAX) })), [EXC_GP, 0x0c]);
  sys.memory.write32(0x1200 + 8, descriptor(0x5000, 0xff, 0x92)[0]);
  sys.memory.write32(0x1200 + 12, descriptor(0x5000, 0xff, 0x92)[1]);
  sys.cpu.regs[EAX] = SEL.ldt;
  assert.equal(execute(sys.cpu, 'lldt', rm(EAX)), undefined);
  sys.cpu.regs[EAX] = 0x0c;
  assert.equal(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_DS, ...rm(EAX) }), undefined);
  assert.equal(sys.cpu.segBase[SEG_DS], 0x5000);
});

test('PUSH sreg writes a zero-extended 32-bit slot; POP sreg checks before moving ESP', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  const esp = cpu.regs[ESP]!;
  memory.write32(esp - 4, 0xdeadbeef | 0);
  assert.equal(execute(cpu, 'push_sreg', { opcode: 0x1e }), undefined);
  assert.equal(cpu.regs[ESP], esp - 4);
  assert.equal(memory.read32(esp - 4), SEL.data0);
  assert.equal(execute(cpu, 'push_sreg', { opcode: 0x1a8, opsize32: false }), undefined);
  assert.equal(cpu.regs[ESP], esp - 6);
  memory.write32(esp - 10, 0x12340000 | SEL.data3);
  cpu.regs[ESP] = esp - 10;
  assert.equal(execute(cpu, 'pop_sreg', { opcode: 0x07 }), undefined);
  assert.equal(cpu.segSel[SEG_ES], SEL.data3);
  assert.equal(cpu.regs[ESP], esp - 6);
  memory.write32(esp - 6, 0x1234);
  cpu.regs[ESP] = esp - 6;
  assert.deepEqual(pick(execute(cpu, 'pop_sreg', { opcode: 0x1f })), [EXC_GP, 0x1234 & 0xfffc]);
  assert.equal(cpu.regs[ESP], esp - 6, 'ESP unchanged by a faulting POP');
});

test('LSS loads SS:ESP from memory, LFS FS:reg with a 16-bit offset', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  memory.write32(0x3000, 0x88000);
  memory.write16(0x3004, SEL.data0);
  assert.equal(execute(cpu, 'lss', { opcode: 0x1b2, reg: ESP, ...mem(0x3000) }), undefined);
  assert.equal(cpu.regs[ESP], 0x88000);
  memory.write16(0x3010, 0x4321);
  memory.write16(0x3012, SEL.data3);
  cpu.regs[1] = 0xaaaa0000 | 0;
  assert.equal(execute(cpu, 'lfs', { opcode: 0x1b4, reg: 1, opsize32: false, ...mem(0x3010) }), undefined);
  assert.equal(cpu.regs[1]! >>> 0, 0xaaaa4321);
  assert.equal(cpu.segSel[SEG_FS], SEL.data3);
});

test('expand-down data segments accept offsets above the limit only', () => {
  const sys = createSystemCpu();
  sys.setGdt(13, descriptor(0, 0xfff, 0x97, { big: true }));
  sys.cpu.regs[EAX] = 0x68;
  assert.equal(execute(sys.cpu, 'mov_sreg_rm', { reg: SEG_DS, ...rm(EAX) }), undefined);
  assert.equal(sys.cpu.segReadLo[SEG_DS], 0x1000);
  assert.equal(sys.cpu.segReadHi[SEG_DS], 0xffffffff);
});

test('MOV r/m, sreg zero-extends into a 32-bit register', () => {
  const sys = createSystemCpu();
  sys.cpu.regs[EAX] = -1;
  loadSegmentCache(sys.cpu, SEG_GS, 0x2b, 0, 0xffff, 0x9300);
  assert.equal(execute(sys.cpu, 'mov_rm_sreg', { reg: SEG_GS, ...rm(EAX) }), undefined);
  assert.equal(sys.cpu.regs[EAX], 0x2b);
  assert.equal(DATA3, 0xf3);
});

function pick(fault: { vector: number; errorCode: number } | undefined): [number, number] | undefined {
  return fault ? [fault.vector, fault.errorCode] : undefined;
}
