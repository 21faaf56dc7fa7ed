// MOV to/from control and debug registers, MOV to/from test registers (#UD on this P6-class CPU),
// LMSW, SMSW, CLTS, INVD, WBINVD and INVLPG.
// Owns: operand plumbing and the CPL 0 checks. Must not know: the validity rules of each register
// (controlRegisters.ts) or the TLB (paging.ts).
// Models Intel SDM Vol. 2 MOV (control/debug registers), LMSW, SMSW, CLTS, INVD, WBINVD, INVLPG.
import type { Handler } from '../../instruction';
import { CR0_PE, CR0_TS } from '../../cpuState';
import { invalidOpcode } from '../../faults';
import { invalidatePage } from '../../paging';
import { readControlRegister, readDebugRegister, writeControlRegister, writeCr0, writeDebugRegister } from '../../controlRegisters';
import { memoryOperand, readRm16, requireCpl0, writeRmWordOrRegister } from './systemOperands';

/** MOV r32, CRn: ModRM.reg names the control register, ModRM.rm the general register. */
const movFromCr: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'MOV from CR');
  cpu.regs[instruction.rm] = readControlRegister(cpu, instruction.reg);
};

const movToCr: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'MOV to CR');
  writeControlRegister(cpu, instruction.reg, cpu.regs[instruction.rm]!);
};

const movFromDr: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'MOV from DR');
  cpu.regs[instruction.rm] = readDebugRegister(cpu, instruction.reg);
};

const movToDr: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'MOV to DR');
  writeDebugRegister(cpu, instruction.reg, cpu.regs[instruction.rm]!);
};

const testRegister: Handler = () => {
  throw invalidOpcode('test registers TR3-TR7 do not exist on Pentium and later processors');
};

/** LMSW loads PE, MP, EM and TS; it can set PE but never clear it. */
const lmsw: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'LMSW');
  const word = readRm16(cpu, instruction);
  writeCr0(cpu, (cpu.cr0 & ~0xe) | (word & 0xf) | (cpu.cr0 & CR0_PE));
};

/** SMSW: a register destination of 32 bits receives all of CR0 (as P6 and QEMU do); memory a word. */
const smsw: Handler = (cpu, instruction) => {
  writeRmWordOrRegister(cpu, instruction, instruction.mod === 3 && instruction.opsize32 ? cpu.cr0 : cpu.cr0 & 0xffff);
};

const invlpg: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'INVLPG');
  const offset = memoryOperand(cpu, instruction, 'INVLPG');
  invalidatePage(cpu, (cpu.segBase[instruction.segment]! + offset) | 0);
};

export const controlHandlers: Readonly<Record<string, Handler>> = {
  mov_r_cr: movFromCr,
  mov_cr_r: movToCr,
  mov_r_dr: movFromDr,
  mov_dr_r: movToDr,
  mov_r_tr: testRegister,
  mov_tr_r: testRegister,
  lmsw,
  smsw,
  clts: (cpu) => {
    requireCpl0(cpu, 'CLTS');
    cpu.cr0 &= ~CR0_TS;
  },
  invd: (cpu) => requireCpl0(cpu, 'INVD'),
  wbinvd: (cpu) => requireCpl0(cpu, 'WBINVD'),
  invlpg,
};
