// System instructions: LGDT/LIDT/SGDT/SIDT, LLDT, LTR and the busy bit (with lguest's trick of
// clearing it by hand), LAR/LSL/VERR/VERW, ARPL, MOV CR/DR, LMSW/SMSW/CLTS, HLT, CLI/STI, POPF,
// IN/OUT with IOPL and the I/O bitmap, RDMSR/WRMSR, RDTSC, RDPMC, SYSENTER/SYSEXIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEL, TSS_A, TSS_B, createSystemCpu, descriptor, execute, mem, rm } from './systemTestKit';
import { EXC_DB, EXC_GP, EXC_UD } from '../../src/emu/cpu/faults';
import { SEG_CS, SEG_SS } from '../../src/emu/isa/registers';
import { CR0_PE, CR0_PG, CR0_TS, CR0_WP, CR4_DE, CR4_TSD } from '../../src/emu/cpu/cpuState';
import { loadSegmentCache, setCpl } from '../../src/emu/cpu/segmentCache';
import { EFLAGS_IF, EFLAGS_IOPL, EFLAGS_ZF, getEflags, setEflags } from '../../src/emu/cpu/eflags';

const EAX = 0;
const ECX = 1;
const EDX = 2;
const ESP = 4;

function zf(cpu: { flags: number }): boolean {
  return (getEflags(cpu as never) & EFLAGS_ZF) !== 0;
}

test('LGDT/LIDT read limit16 and base32; a 16-bit operand keeps 24 base bits; SGDT stores them back', () => {
  const { cpu, memory } = createSystemCpu();
  memory.write16(0x3000, 0x00ff);
  memory.write32(0x3002, 0xffc01890 | 0);
  assert.equal(execute(cpu, 'lgdt', mem(0x3000), 7), undefined);
  assert.equal(cpu.gdtrLimit, 0xff);
  assert.equal(cpu.gdtrBase >>> 0, 0xffc01890);
  assert.equal(execute(cpu, 'lidt', { ...mem(0x3000), opsize32: false }, 7), undefined);
  assert.equal(cpu.idtrBase >>> 0, 0xc01890);
  assert.equal(execute(cpu, 'sgdt', mem(0x3100), 7), undefined);
  assert.equal(memory.read16(0x3100), 0xff);
  assert.equal(memory.read32(0x3102) >>> 0, 0xffc01890);
  assert.equal(cpu.segSel[SEG_CS], SEL.code0, 'caches untouched');
});

test('LTR marks the TSS busy in memory; LTR of a busy TSS is #GP(sel); clearing the bit by hand allows it again', () => {
  const sys = createSystemCpu();
  const { cpu, memory } = sys;
  cpu.regs[EAX] = SEL.tssB;
  assert.equal(execute(cpu, 'ltr', rm(EAX), 3), undefined);
  assert.equal(cpu.tr.selector, SEL.tssB);
  assert.equal(cpu.tr.base, TSS_B);
  assert.equal(cpu.tr.flags & 0xf00, 0xb00);
  assert.equal((sys.gdtHigh(8) >>> 8) & 0xff, 0x8b);
  const fault = execute(cpu, 'ltr', rm(EAX), 3);
  assert.deepEqual([fault?.vector, fault?.errorCode], [EXC_GP, SEL.tssB]);
  // andb $0xFD, 5(descriptor)
  memory.write8(0x500 + 8 * 8 + 5, memory.read8(0x500 + 8 * 8 + 5) & 0xfd);
  assert.equal(execute(cpu, 'ltr', rm(EAX), 3), undefined);
  cpu.regs[EAX] = SEL.code0;
  assert.equal(execute(cpu, 'ltr', rm(EAX), 3)?.errorCode, SEL.code0);
  cpu.regs[EAX] = 0;
  assert.equal(execute(cpu, 'ltr', rm(EAX), 3)?.errorCode, 0);
  setCpl(cpu, 1);
  cpu.regs[EAX] = SEL.tssB;
  assert.equal(execute(cpu, 'ltr', rm(EAX), 3)?.errorCode, 0);
  assert.equal(execute(cpu, 'str', rm(EDX), 3), undefined);
  assert.equal(cpu.regs[EDX], SEL.tssB);
});

test('LAR/LSL/VERR/VERW answer in ZF and never fault for bad selectors', () => {
  const sys = createSystemCpu();
  const { cpu } = sys;
  sys.setGdt(13, descriptor(0x1000, 0x2345, 0xf2, { big: false }));
  const cases: [string, number, boolean, number?][] = [
    ['lar', SEL.code3, true, 0x00cffb00 & 0x00f0ff00],
    ['lar', 0, false],
    ['lar', 0xfff8, false],
    ['lar', SEL.tssA, true, 0x00008b00],
    ['lsl', 0x6b, true, 0x2345],
    ['lsl', SEL.code3, true, 0xffffffff],
    ['verr', SEL.code3, true],
    ['verw', SEL.code3, false],
    ['verw', SEL.data3, true],
    ['verr', 0x0c, false],
  ];
  for (const [op, selector, ok, value] of cases) {
    cpu.regs[EAX] = selector;
    cpu.regs[EDX] = -1;
    assert.equal(execute(cpu, op, { reg: EDX, ...rm(EAX) }, 3), undefined, `${op} ${selector}`);
    assert.equal(zf(cpu), ok, `${op} ${selector.toString(16)} ZF`);
    if (value !== undefined) assert.equal(cpu.regs[EDX]! >>> 0, value >>> 0, `${op} ${selector.toString(16)} value`);
  }
  setCpl(cpu, 3);
  cpu.regs[EAX] = SEL.data0;
  assert.equal(execute(cpu, 'verr', rm(EAX), 3), undefined);
  assert.equal(zf(cpu), false, 'a DPL 0 segment is not visible from CPL 3');
});

test('ARPL raises the RPL and reports it in ZF', () => {
  const { cpu } = createSystemCpu();
  cpu.regs[EAX] = 0x10;
  cpu.regs[ECX] = 0x1b;
  assert.equal(execute(cpu, 'arpl', { reg: ECX, ...rm(EAX) }), undefined);
  assert.equal(cpu.regs[EAX], 0x13);
  assert.equal(zf(cpu), true);
  assert.equal(execute(cpu, 'arpl', { reg: ECX, ...rm(EAX) }), undefined);
  assert.equal(zf(cpu), false);
});

test('MOV CR0/CR3/CR4: validity rules, ET forced, reserved CR4 bits #GP, CR1 #UD', () => {
  const { cpu } = createSystemCpu();
  cpu.regs[EAX] = CR0_PG;
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 0, rm: EAX, mod: 3 }, 3)?.vector, EXC_GP);
  cpu.regs[EAX] = CR0_PE | CR0_WP | 0x20000000;
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 0, rm: EAX, mod: 3 }, 3)?.vector, EXC_GP, 'NW without CD');
  cpu.regs[EAX] = CR0_PE | CR0_WP;
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 0, rm: EAX, mod: 3 }, 3), undefined);
  assert.equal(cpu.cr0, CR0_PE | CR0_WP | 0x10);
  cpu.regs[EAX] = 0x20;
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 4, rm: EAX, mod: 3 }, 3)?.vector, EXC_GP, 'PAE is not modelled');
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 1, rm: EAX, mod: 3 }, 3)?.vector, EXC_UD);
  cpu.regs[EAX] = 0x123000;
  assert.equal(execute(cpu, 'mov_cr_r', { reg: 3, rm: EAX, mod: 3 }, 3), undefined);
  assert.equal(execute(cpu, 'mov_r_cr', { reg: 3, rm: ECX, mod: 3 }, 3), undefined);
  assert.equal(cpu.regs[ECX], 0x123000);
  setCpl(cpu, 1);
  assert.equal(execute(cpu, 'mov_r_cr', { reg: 3, rm: ECX, mod: 3 }, 3)?.errorCode, 0);
});

test('LMSW cannot clear PE; SMSW r32 stores CR0; CLTS clears TS', () => {
  const { cpu } = createSystemCpu();
  cpu.cr0 |= CR0_TS;
  cpu.regs[EAX] = 0;
  assert.equal(execute(cpu, 'lmsw', rm(EAX), 3), undefined);
  assert.equal(cpu.cr0 & (CR0_PE | CR0_TS), CR0_PE);
  cpu.cr0 |= CR0_TS | CR0_WP;
  assert.equal(execute(cpu, 'smsw', rm(ECX), 3), undefined);
  assert.equal(cpu.regs[ECX], cpu.cr0);
  assert.equal(execute(cpu, 'clts', {}, 2), undefined);
  assert.equal(cpu.cr0 & CR0_TS, 0);
});

test('debug registers: DR4/5 alias DR6/7 unless CR4.DE; fixed bits; GD raises #DB', () => {
  const { cpu } = createSystemCpu();
  cpu.regs[EAX] = 0;
  assert.equal(execute(cpu, 'mov_dr_r', { reg: 6, rm: EAX, mod: 3 }, 3), undefined);
  assert.equal(cpu.dr[6]! >>> 0, 0xffff0ff0);
  assert.equal(execute(cpu, 'mov_r_dr', { reg: 5, rm: ECX, mod: 3 }, 3), undefined);
  assert.equal(cpu.regs[ECX], 0x400);
  cpu.cr4 |= CR4_DE;
  assert.equal(execute(cpu, 'mov_r_dr', { reg: 5, rm: ECX, mod: 3 }, 3)?.vector, EXC_UD);
  cpu.dr[7] = 0x2400;
  assert.equal(execute(cpu, 'mov_r_dr', { reg: 0, rm: ECX, mod: 3 }, 3)?.vector, EXC_DB);
  assert.equal(cpu.dr[6]! & 0x2000, 0x2000);
  assert.equal(cpu.dr[7], 0x400);
});

test('HLT is privileged and halts; CLI/STI follow IOPL; STI opens a one-instruction shadow', () => {
  const { cpu } = createSystemCpu();
  assert.equal(execute(cpu, 'hlt', {}, 1), undefined);
  assert.equal(cpu.halted, true);
  cpu.halted = false;
  assert.equal(execute(cpu, 'sti', {}, 1), undefined);
  assert.equal(cpu.interruptShadow, true);
  assert.equal(getEflags(cpu) & EFLAGS_IF, EFLAGS_IF);
  setCpl(cpu, 1);
  assert.equal(execute(cpu, 'hlt', {}, 1)?.errorCode, 0);
  assert.equal(execute(cpu, 'cli', {}, 1)?.vector, EXC_GP);
  setEflags(cpu, getEflags(cpu) | 0x1000);
  assert.equal(execute(cpu, 'cli', {}, 1), undefined);
});

test('POPF at CPL 1 with IOPL 0 changes neither IF nor IOPL; at CPL 0 it changes both', () => {
  const { cpu, memory } = createSystemCpu();
  const esp = cpu.regs[ESP]!;
  memory.write32(esp, 0x3202);
  assert.equal(execute(cpu, 'popf', {}, 1), undefined);
  assert.equal(getEflags(cpu) & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IF | EFLAGS_IOPL);
  setEflags(cpu, 0x2);
  setCpl(cpu, 1);
  cpu.regs[ESP] = esp;
  assert.equal(execute(cpu, 'popf', {}, 1), undefined);
  assert.equal(getEflags(cpu) & (EFLAGS_IF | EFLAGS_IOPL), 0);
});

test('IN/OUT: CPL > IOPL needs the TSS bitmap; lguest\'s bitmap base beyond the limit means #GP(0)', () => {
  const sys = createSystemCpu();
  const { cpu, memory, io } = sys;
  const seen: number[] = [];
  io.register(0x80, 0x80, { readPort: () => 0x5a, writePort: (_p, _s, v) => void seen.push(v) });
  setCpl(cpu, 1);
  loadSegmentCache(cpu, SEG_SS, SEL.data1, 0, 0xffffffff, 0x00cfb300);
  // io_bitmap_base = 0x68, limit 0x67 (as in lguest's guest TSS): no bitmap.
  assert.equal(execute(cpu, 'out', { opcode: 0xe6, imm: 0x80 }, 2)?.errorCode, 0);
  // Give TSS A a bitmap allowing port 0x80 only.
  sys.setGdt(7, descriptor(TSS_A, 0x68 + 0x2000, 0x8b));
  cpu.tr = { ...cpu.tr, limit: 0x68 + 0x2000 };
  for (let i = 0; i < 0x2000; i++) memory.write8(TSS_A + 0x68 + i, 0xff);
  memory.write8(TSS_A + 0x68 + 0x10, 0xfe);
  cpu.regs[EAX] = 0x77;
  assert.equal(execute(cpu, 'out', { opcode: 0xe6, imm: 0x80 }, 2), undefined);
  assert.deepEqual(seen, [0x77]);
  assert.equal(execute(cpu, 'out', { opcode: 0xe7, imm: 0x80 }, 2)?.vector, EXC_GP, 'a word at 0x80 also needs 0x81');
  assert.equal(execute(cpu, 'in', { opcode: 0xe4, imm: 0x80 }, 2), undefined);
  assert.equal(cpu.regs[EAX]! & 0xff, 0x5a);
});

test('RDMSR/WRMSR: the SYSENTER MSRs and the TSC; unknown MSRs #GP; RDTSC is deterministic and honours CR4.TSD', () => {
  const { cpu } = createSystemCpu();
  cpu.regs[ECX] = 0x174;
  cpu.regs[EAX] = SEL.code0;
  cpu.regs[EDX] = 0;
  assert.equal(execute(cpu, 'wrmsr', {}, 2), undefined);
  assert.equal(cpu.sysenterCs, SEL.code0);
  cpu.regs[ECX] = 0x1234;
  assert.equal(execute(cpu, 'rdmsr', {}, 2)?.vector, EXC_GP);
  cpu.instructionCount = 1000;
  assert.equal(execute(cpu, 'rdtsc', {}, 2), undefined);
  assert.deepEqual([cpu.regs[EAX], cpu.regs[EDX]], [1000, 0]);
  cpu.regs[ECX] = 0x10;
  cpu.regs[EAX] = 0;
  cpu.regs[EDX] = 1;
  assert.equal(execute(cpu, 'wrmsr', {}, 2), undefined);
  assert.equal(execute(cpu, 'rdtsc', {}, 2), undefined);
  assert.deepEqual([cpu.regs[EAX], cpu.regs[EDX]], [1, 1]);
  cpu.cr4 |= CR4_TSD;
  setCpl(cpu, 3);
  assert.equal(execute(cpu, 'rdtsc', {}, 2)?.vector, EXC_GP);
  assert.equal(execute(cpu, 'rdpmc', {}, 2)?.vector, EXC_GP);
});

test('SYSENTER enters ring 0 on flat segments from the MSRs; SYSEXIT returns to ring 3', () => {
  const { cpu } = createSystemCpu();
  assert.equal(execute(cpu, 'sysenter', {}, 2)?.vector, EXC_GP);
  cpu.sysenterCs = SEL.code0;
  cpu.sysenterEsp = 0x88000;
  cpu.sysenterEip = 0x33000;
  cpu.regs[ECX] = 0x51000;
  cpu.regs[EDX] = 0x12345;
  assert.equal(execute(cpu, 'sysexit', {}, 2), undefined);
  assert.equal(cpu.cpl, 3);
  assert.equal(cpu.segSel[SEG_CS], 0x1b);
  assert.equal(cpu.segSel[SEG_SS], 0x23);
  assert.equal(cpu.eip, 0x12345);
  setEflags(cpu, 0x202);
  assert.equal(execute(cpu, 'sysenter', {}, 2), undefined);
  assert.equal(cpu.cpl, 0);
  assert.equal(cpu.segSel[SEG_SS], 0x10);
  assert.equal(cpu.regs[ESP], 0x88000);
  assert.equal(cpu.eip, 0x33000);
  assert.equal(getEflags(cpu) & EFLAGS_IF, 0);
});
