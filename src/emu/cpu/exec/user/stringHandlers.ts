// Handlers for the string instructions MOVS CMPS STOS LODS SCAS (A4-A7, AA-AF) in byte, word and
// dword forms, alone or with REP/REPE/REPNE. The source is DS:eSI (segment overridable), the
// destination ES:eDI; eSI/eDI/eCX are 16- or 32-bit by address size; DF steps backwards.
// A repeated instruction is restartable: every iteration commits its registers, a fault leaves
// them describing the work done, and after a slice of iterations (or when an event is pending:
// interrupt, single-step trap, watchpoint) EIP is put back on the instruction to resume it later.
// Owns: iteration order and termination. Must not know: INS/OUTS (system, port I/O).
// Models Intel SDM Vol. 2 (MOVS, CMPS, STOS, LODS, SCAS, REP/REPE/REPZ/REPNE/REPNZ) and Vol. 3A
// §6.6 (interrupts between iterations of a repeated string instruction).
import type { CpuState } from '../../cpuState';
import { REP_NE, REP_NONE, type Handler, type Instruction } from '../../instruction';
import { SEG_ES } from '../../../isa/registers';
import { EFLAGS_DF, getZF } from '../../eflags';
import { ALU_CMP, aluOperation } from '../../alu';
import { getRegister, readMemory, setRegister, writeMemory } from './operands';

const REG_EAX = 0;
const REG_ECX = 1;
const REG_ESI = 6;
const REG_EDI = 7;

/** Iterations per execution before EIP is put back to let the run loop look at events. */
const REP_SLICE = 4096;

function indexOf(cpu: CpuState, reg: number, addr32: boolean): number {
  return addr32 ? cpu.regs[reg]! : cpu.regs[reg]! & 0xffff;
}

function step(cpu: CpuState, reg: number, i: Instruction): void {
  const delta = cpu.flags & EFLAGS_DF ? -i.width : i.width;
  const value = cpu.regs[reg]!;
  cpu.regs[reg] = i.addrsize32 ? value + delta : (value & ~0xffff) | ((value + delta) & 0xffff);
}

function countOf(cpu: CpuState, i: Instruction): number {
  return indexOf(cpu, REG_ECX, i.addrsize32);
}

/** Decrements eCX; returns true when more iterations remain. */
function decrementCount(cpu: CpuState, i: Instruction): boolean {
  const ecx = cpu.regs[REG_ECX]!;
  if (i.addrsize32) {
    cpu.regs[REG_ECX] = ecx - 1;
    return ecx !== 1;
  }
  cpu.regs[REG_ECX] = (ecx & ~0xffff) | ((ecx - 1) & 0xffff);
  return (ecx & 0xffff) !== 1;
}

function movsOnce(cpu: CpuState, i: Instruction): void {
  const value = readMemory(cpu, i.segment, indexOf(cpu, REG_ESI, i.addrsize32), i.width);
  writeMemory(cpu, SEG_ES, indexOf(cpu, REG_EDI, i.addrsize32), i.width, value);
  step(cpu, REG_ESI, i);
  step(cpu, REG_EDI, i);
}

function stosOnce(cpu: CpuState, i: Instruction): void {
  writeMemory(cpu, SEG_ES, indexOf(cpu, REG_EDI, i.addrsize32), i.width, getRegister(cpu, REG_EAX, i.width));
  step(cpu, REG_EDI, i);
}

function lodsOnce(cpu: CpuState, i: Instruction): void {
  setRegister(cpu, REG_EAX, i.width, readMemory(cpu, i.segment, indexOf(cpu, REG_ESI, i.addrsize32), i.width));
  step(cpu, REG_ESI, i);
}

function cmpsOnce(cpu: CpuState, i: Instruction): void {
  const source = readMemory(cpu, i.segment, indexOf(cpu, REG_ESI, i.addrsize32), i.width);
  const destination = readMemory(cpu, SEG_ES, indexOf(cpu, REG_EDI, i.addrsize32), i.width);
  aluOperation(cpu, ALU_CMP, i.width, source, destination);
  step(cpu, REG_ESI, i);
  step(cpu, REG_EDI, i);
}

function scasOnce(cpu: CpuState, i: Instruction): void {
  const destination = readMemory(cpu, SEG_ES, indexOf(cpu, REG_EDI, i.addrsize32), i.width);
  aluOperation(cpu, ALU_CMP, i.width, getRegister(cpu, REG_EAX, i.width), destination);
  step(cpu, REG_EDI, i);
}

/** Puts EIP back on the instruction when a slice ends with work left. */
function yieldSlice(cpu: CpuState): void {
  cpu.eip = cpu.instructionStart;
}

function movs(cpu: CpuState, i: Instruction): void {
  if (i.repPrefix === REP_NONE) return movsOnce(cpu, i);
  if (countOf(cpu, i) === 0) return;
  for (let budget = REP_SLICE; ; budget--) {
    movsOnce(cpu, i);
    if (!decrementCount(cpu, i)) return;
    if (budget === 1 || cpu.eventPending) return yieldSlice(cpu);
  }
}

function stos(cpu: CpuState, i: Instruction): void {
  if (i.repPrefix === REP_NONE) return stosOnce(cpu, i);
  if (countOf(cpu, i) === 0) return;
  for (let budget = REP_SLICE; ; budget--) {
    stosOnce(cpu, i);
    if (!decrementCount(cpu, i)) return;
    if (budget === 1 || cpu.eventPending) return yieldSlice(cpu);
  }
}

function lods(cpu: CpuState, i: Instruction): void {
  if (i.repPrefix === REP_NONE) return lodsOnce(cpu, i);
  if (countOf(cpu, i) === 0) return;
  for (let budget = REP_SLICE; ; budget--) {
    lodsOnce(cpu, i);
    if (!decrementCount(cpu, i)) return;
    if (budget === 1 || cpu.eventPending) return yieldSlice(cpu);
  }
}

/** REPE stops when ZF=0, REPNE when ZF=1 (after the count test). */
function conditionEnds(cpu: CpuState, i: Instruction): boolean {
  return getZF(cpu) === (i.repPrefix === REP_NE);
}

function cmps(cpu: CpuState, i: Instruction): void {
  if (i.repPrefix === REP_NONE) return cmpsOnce(cpu, i);
  if (countOf(cpu, i) === 0) return;
  for (let budget = REP_SLICE; ; budget--) {
    cmpsOnce(cpu, i);
    if (!decrementCount(cpu, i) || conditionEnds(cpu, i)) return;
    if (budget === 1 || cpu.eventPending) return yieldSlice(cpu);
  }
}

function scas(cpu: CpuState, i: Instruction): void {
  if (i.repPrefix === REP_NONE) return scasOnce(cpu, i);
  if (countOf(cpu, i) === 0) return;
  for (let budget = REP_SLICE; ; budget--) {
    scasOnce(cpu, i);
    if (!decrementCount(cpu, i) || conditionEnds(cpu, i)) return;
    if (budget === 1 || cpu.eventPending) return yieldSlice(cpu);
  }
}

export const STRING_HANDLERS: Readonly<Record<string, Handler>> = { movs, stos, lods, cmps, scas };
