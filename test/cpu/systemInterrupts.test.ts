// Interrupt and exception delivery: interrupt/trap gates from each ring with the TSS stack switch
// (ss0/esp0 and lguest's ss1/esp1), gate DPL checks for INT n, error codes with EXT, RF in fault
// images (as QEMU), double and triple faults, and IRET within and to an outer ring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEL, TSS_A, createSystemCpu, execute, gate } from './systemTestKit';
import { CpuFault, EXC_DF, EXC_GP, EXC_NP, EXC_PF, EXC_TS } from '../../src/emu/cpu/faults';
import { SEG_CS, SEG_DS, SEG_SS } from '../../src/emu/isa/registers';
import { loadSegmentCache, setCpl } from '../../src/emu/cpu/segmentCache';
import { deliverExternalInterrupt, raiseException } from '../../src/emu/cpu/interrupts';
import { EFLAGS_IF, EFLAGS_IOPL, EFLAGS_RF, getEflags, setEflags } from '../../src/emu/cpu/eflags';
import type { Cpu } from '../../src/emu/cpu/cpu';

const ESP = 4;

function enterRing(cpu: Cpu, ring: 1 | 3, esp: number): void {
  const code = ring === 3 ? SEL.code3 : SEL.code1;
  const data = ring === 3 ? SEL.data3 : SEL.data1;
  const dpl = ring << 13;
  loadSegmentCache(cpu, SEG_CS, code, 0, 0xffffffff, 0x00cf9b00 | dpl);
  loadSegmentCache(cpu, SEG_SS, data, 0, 0xffffffff, 0x00cf9300 | dpl);
  loadSegmentCache(cpu, SEG_DS, data, 0, 0xffffffff, 0x00cf9300 | dpl);
  setCpl(cpu, ring);
  cpu.regs[ESP] = esp;
}

test('an interrupt gate from ring 3 switches to ss0:esp0, pushes the 5-word frame and clears IF', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setIdt(0x20, gate(SEL.code0, 0x21000, 0xe, 0));
  enterRing(cpu, 3, 0x50000);
  setEflags(cpu, 0x202);
  cpu.eip = 0x12345;
  deliverExternalInterrupt(cpu, 0x20, 'external');
  assert.equal(cpu.cpl, 0);
  assert.equal(cpu.eip, 0x21000);
  assert.equal(cpu.segSel[SEG_SS], SEL.data0);
  assert.equal(cpu.regs[ESP], 0x90000 - 20);
  assert.deepEqual([0, 4, 8, 12, 16].map((o) => memory.read32(0x90000 - 20 + o)), [0x12345, SEL.code3, 0x202, 0x50000, SEL.data3]);
  assert.equal(getEflags(cpu) & EFLAGS_IF, 0);
  // IRET back to ring 3: DS (DPL 3) is kept, SS:ESP restored, IF back on.
  assert.equal(execute(cpu, 'iret', {}, 1), undefined);
  assert.equal(cpu.cpl, 3);
  assert.equal(cpu.eip, 0x12345);
  assert.equal(cpu.regs[ESP], 0x50000);
  assert.equal(cpu.segSel[SEG_DS], SEL.data3);
  assert.equal(getEflags(cpu) & EFLAGS_IF, EFLAGS_IF);
});

test('a DPL 3 trap gate to ring 1 (lguest direct trap) uses ss1:esp1 and keeps IF', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setIdt(0x80, gate(SEL.code1, 0x31000, 0xf, 3));
  enterRing(cpu, 3, 0x50000);
  setEflags(cpu, 0x202);
  cpu.eip = 0x12000;
  assert.equal(execute(cpu, 'int', { imm: 0x80 }, 2), undefined);
  assert.equal(cpu.cpl, 1);
  assert.equal(cpu.segSel[SEG_CS], SEL.code1);
  assert.equal(cpu.segSel[SEG_SS], SEL.data1);
  assert.equal(cpu.regs[ESP], 0x80000 - 20);
  assert.equal(memory.read32(0x80000 - 20), 0x12002);
  assert.equal(getEflags(cpu) & EFLAGS_IF, EFLAGS_IF);
});

test('INT n through a gate with DPL < CPL is #GP((n<<3)|2); an exception ignores the gate DPL', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  sys.setIdt(0x1f, gate(SEL.code0, 0x22000, 0xe, 1));
  sys.setIdt(13, gate(SEL.code0, 0x23000, 0xe, 0));
  enterRing(cpu, 3, 0x50000);
  const fault = execute(cpu, 'int', { imm: 0x1f }, 2);
  assert.deepEqual([fault?.vector, fault?.errorCode], [EXC_GP, (0x1f << 3) | 2]);
  raiseException(cpu, fault!);
  assert.equal(cpu.eip, 0x23000);
  assert.equal(cpu.regs[ESP], 0x90000 - 24);
  assert.equal(sys.memory.read32(0x90000 - 24), (0x1f << 3) | 2, 'error code pushed');
  assert.equal(sys.memory.read32(0x90000 - 12) & EFLAGS_RF, EFLAGS_RF, 'RF set in a fault image (Intel SDM §17.3.1.1)');
});

test('from ring 1, int $0x1f through a DPL 1 gate reaches ring 0 on the TSS esp0 stack', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  sys.setIdt(0x1f, gate(SEL.code0, 0x22000, 0xe, 1));
  enterRing(cpu, 1, 0x60000);
  assert.equal(execute(cpu, 'int', { imm: 0x1f }, 2), undefined);
  assert.equal(cpu.cpl, 0);
  assert.equal(cpu.regs[ESP], 0x90000 - 20);
});

test('an external interrupt through a missing gate raises #NP with EXT; #GP during #NP is a double fault', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setIdt(EXC_NP, gate(SEL.code0, 0x24000, 0xe, 0));
  const [low, high] = gate(SEL.code0, 0x21000, 0xe, 0);
  sys.setIdt(0x40, [low, high & ~0x8000]);
  deliverExternalInterrupt(cpu, 0x40, 'external');
  assert.equal(cpu.eip, 0x24000);
  assert.equal(memory.read32(cpu.regs[ESP]!), (0x40 << 3) | 3);
  // Now #NP's handler is a null selector: #GP while delivering #NP escalates to #DF.
  const sys2 = createSystemCpu();
  sys2.setIdt(EXC_NP, gate(0, 0x24000, 0xe, 0));
  sys2.setIdt(EXC_DF, gate(SEL.code0, 0x25000, 0xe, 0));
  raiseException(sys2.cpu, new CpuFault(EXC_NP, 0x18, 'test'));
  assert.equal(sys2.cpu.eip, 0x25000);
  assert.equal(sys2.memory.read32(sys2.cpu.regs[ESP]!), 0, '#DF error code is 0');
});

test('a fault while delivering #DF is a triple fault: state intact, description chain readable', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  cpu.idtrLimit = 0;
  cpu.eip = 0x10000;
  cpu.instructionStart = 0x10000;
  const esp = cpu.regs[ESP];
  raiseException(cpu, new CpuFault(EXC_PF, 2, 'page fault at 0x0'));
  assert.match(cpu.tripleFault ?? '', /triple fault.*#PF.*#GP.*#DF.*#GP/);
  assert.equal(cpu.eip, 0x10000);
  assert.equal(cpu.regs[ESP], esp);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0);
});

test('a TSS too small for the ring stack is #TS(TR); a null ss0 is #TS(EXT)', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setIdt(0x20, gate(SEL.code0, 0x21000, 0xe, 3));
  sys.setIdt(EXC_TS, gate(SEL.code1, 0x26000, 0xe, 0));
  enterRing(cpu, 3, 0x50000);
  cpu.tr = { ...cpu.tr, limit: 8 };
  assert.deepEqual(pick(execute(cpu, 'int', { imm: 0x20 }, 2)), [EXC_TS, SEL.tssA]);
  cpu.tr = { ...cpu.tr, limit: 0x67 };
  memory.write16(TSS_A + 8, 0);
  assert.deepEqual(pick(execute(cpu, 'int', { imm: 0x20 }, 2)), [EXC_TS, 0]);
});

test('IRET at CPL 1 changes neither IF nor IOPL; at CPL 0 it changes both', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  enterRing(cpu, 1, 0x60000);
  setEflags(cpu, 0x202);
  memory.write32(0x60000, 0x12000);
  memory.write32(0x60004, SEL.code1);
  memory.write32(0x60008, 0x3002);
  assert.equal(execute(cpu, 'iret', {}, 1), undefined);
  assert.equal(getEflags(cpu) & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IF);
  const sys0 = createSystemCpu();
  setEflags(sys0.cpu, 0x202);
  const esp = sys0.cpu.regs[ESP]!;
  sys0.memory.write32(esp, 0x12000);
  sys0.memory.write32(esp + 4, SEL.code0);
  sys0.memory.write32(esp + 8, 0x3002);
  assert.equal(execute(sys0.cpu, 'iret', {}, 1), undefined);
  assert.equal(getEflags(sys0.cpu) & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IOPL);
});

test('IRET ends NMI blocking', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  sys.setIdt(2, gate(SEL.code0, 0x27000, 0xe, 0));
  cpu.raiseNmi();
  cpu.nmiPending = false;
  cpu.nmiBlocked = true;
  const esp = cpu.regs[ESP]!;
  memory.write32(esp, 0x12000);
  memory.write32(esp + 4, SEL.code0);
  memory.write32(esp + 8, 2);
  assert.equal(execute(cpu, 'iret', {}, 1), undefined);
  assert.equal(cpu.nmiBlocked, false);
  assert.equal(cpu.eventPending, true);
});

test('garbage IDTs and GDT limit 0 end in a delivered fault or a triple fault, never a throw', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let round = 0; round < 200; round++) {
    const sys = createSystemCpu();
    const { cpu, memory } = sys;
    for (let i = 0; i < 0x800; i += 4) memory.write32(0x800 + i, random() ^ (random() << 16));
    if (round % 3 === 0) cpu.gdtrLimit = 0;
    if (round % 5 === 0) cpu.tr = { ...cpu.tr, limit: 0 };
    if (round % 2 === 0) enterRing(cpu, 3, 0x50000);
    cpu.instructionStart = cpu.eip;
    assert.doesNotThrow(() => raiseException(cpu, new CpuFault(random() % 20, 0, 'random')));
    assert.doesNotThrow(() => deliverExternalInterrupt(cpu, random() & 0xff, 'external'));
  }
});

function pick(fault: { vector: number; errorCode: number } | undefined): [number, number] | undefined {
  return fault ? [fault.vector, fault.errorCode] : undefined;
}

test('through the run loop: an empty IDT ends in a tripleFault stop with the chain, state intact', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  sys.load([0x0f, 0x0b]); // ud2
  cpu.idtrLimit = 0;
  const esp = cpu.regs[ESP];
  const stop = cpu.run(10);
  assert.equal(stop.kind, 'tripleFault');
  assert.match(stop.kind === 'tripleFault' ? stop.description : '', /#UD.*then #GP.*#DF.*then #GP/);
  assert.equal(cpu.eip, 0x10000);
  assert.equal(cpu.regs[ESP], esp);
  assert.equal(cpu.run(10).kind, 'tripleFault', 'the stop persists');
});

test('through the run loop: GDT limit 0 and a zero-size TSS end as delivered faults or a typed stop', () => {
  for (const variant of ['gdt', 'tss'] as const) {
    const sys = createSystemCpu();
    const { cpu } = sys;
    sys.setIdt(0x20, gate(SEL.code0, 0x21000, 0xe, 3));
    sys.load([0xcd, 0x20]); // int $0x20
    enterRing(cpu, 3, 0x50000);
    if (variant === 'gdt') cpu.gdtrLimit = 0;
    else cpu.tr = { ...cpu.tr, limit: 0 };
    const stop = cpu.run(5);
    assert.ok(['tripleFault', 'budget'].includes(stop.kind), `${variant}: ${JSON.stringify(stop)}`);
    if (stop.kind === 'tripleFault') assert.match(stop.description, /#(GP|TS)/);
  }
});
