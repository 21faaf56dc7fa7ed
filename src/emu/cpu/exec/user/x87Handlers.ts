// Handlers for the x87 control instructions this CPU implements: FNINIT, FNCLEX, FNSTSW (AX and
// m16), FNSTCW, FLDCW, FNSTENV, FLDENV, FNSAVE, FRSTOR, and WAIT/FWAIT (the waiting forms FINIT,
// FSTSW ... are WAIT followed by these). Every ESC instruction raises #NM when CR0.EM or CR0.TS is
// set; WAIT only when TS and MP are both set. WAIT and the waiting loads (FLDCW, FLDENV, FRSTOR)
// raise #MF for a pending unmasked exception when CR0.NE is set (the FERR#/IRQ 13 path of
// CR0.NE=0 is not modelled); the FN forms never wait. Other x87 instructions decode by
// their ModRM and raise #UD: there is no x87 arithmetic here (CPUID reports no FPU).
// Owns: the x87 control semantics of Intel SDM Vol. 1 §8.1.2-8.1.5, §8.6 and Vol. 2 (FINIT, FCLEX,
// FSTSW, FSTCW, FLDCW, FSTENV, FLDENV, FSAVE, FRSTOR, WAIT). Must not know: the image layouts
// (x87Images.ts).
import type { CpuState } from '../../cpuState';
import { CR0_EM, CR0_MP, CR0_NE, CR0_TS } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { CpuFault, EXC_MF, deviceNotAvailable, invalidOpcode } from '../../faults';
import { read16, resolveWrite, write16 } from '../../memoryAccess';
import { X87_REGISTER_BYTES, environmentBytes, loadEnvironment, loadRegisters, storeEnvironment, storeRegisters } from '../../x87Images';
import { probeRead, setReg16 } from './operands';

/** Status word: exception flags IE..PE and SF, ES (error summary), B (busy). */
const SW_EXCEPTIONS = 0x3f;
const SW_STACK_FAULT = 0x40;
const SW_ES = 0x80;
const SW_B = 0x8000;
const CW_MASKS = 0x3f;

function requireFpu(cpu: CpuState, mnemonic: string): void {
  if (cpu.cr0 & CR0_EM) throw deviceNotAvailable(`${mnemonic} with CR0.EM set (x87 emulated by software)`);
  if (cpu.cr0 & CR0_TS) throw deviceNotAvailable(`${mnemonic} with CR0.TS set (x87 state belongs to another task)`);
}

/** Reserved control-word bits read back as the hardware has them: 6 set, 7 and 13-15 clear. */
const CW_WRITABLE = 0x1f3f;
const CW_ALWAYS_SET = 0x40;

function controlWordFrom(value: number): number {
  return (value & CW_WRITABLE) | CW_ALWAYS_SET;
}

/** ES and B follow the unmasked pending exceptions after the control or status word changes. */
function updateErrorSummary(cpu: CpuState): void {
  const fpu = cpu.fpu;
  const unmasked = fpu.statusWord & SW_EXCEPTIONS & ~fpu.controlWord & CW_MASKS;
  fpu.statusWord = unmasked ? fpu.statusWord | SW_ES | SW_B : fpu.statusWord & ~(SW_ES | SW_B);
}

/** The check every waiting x87 instruction makes first: #MF for a pending unmasked exception. */
function checkPendingException(cpu: CpuState, mnemonic: string): void {
  if (cpu.fpu.statusWord & SW_ES && cpu.cr0 & CR0_NE) {
    throw new CpuFault(EXC_MF, -1, `${mnemonic}: pending unmasked x87 exception (status word 0x${cpu.fpu.statusWord.toString(16)})`);
  }
}

function wait(cpu: CpuState): void {
  if ((cpu.cr0 & (CR0_MP | CR0_TS)) === (CR0_MP | CR0_TS)) throw deviceNotAvailable('WAIT with CR0.MP and CR0.TS set');
  checkPendingException(cpu, 'WAIT');
}

function fninit(cpu: CpuState): void {
  requireFpu(cpu, 'FNINIT');
  cpu.fpu.initialize();
}

function fnclex(cpu: CpuState): void {
  requireFpu(cpu, 'FNCLEX');
  cpu.fpu.statusWord &= ~(SW_EXCEPTIONS | SW_STACK_FAULT | SW_ES | SW_B);
}

/** FNSTSW AX (DF E0: a register form) or FNSTSW m16. */
function fnstsw(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FNSTSW');
  if (i.mod === 3) setReg16(cpu, 0, cpu.fpu.statusWord);
  else write16(cpu, i.segment, effectiveAddress(cpu, i), cpu.fpu.statusWord);
}

function fnstcw(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FNSTCW');
  write16(cpu, i.segment, effectiveAddress(cpu, i), cpu.fpu.controlWord);
}

function fldcw(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FLDCW');
  checkPendingException(cpu, 'FLDCW');
  cpu.fpu.controlWord = controlWordFrom(read16(cpu, i.segment, effectiveAddress(cpu, i)));
  updateErrorSummary(cpu);
}

/** FNSTENV: store the environment, then mask every exception. */
function fnstenv(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FNSTENV');
  const offset = effectiveAddress(cpu, i);
  resolveWrite(cpu, i.segment, offset, environmentBytes(i.opsize32));
  storeEnvironment(cpu, i, offset, i.opsize32);
  cpu.fpu.controlWord |= CW_MASKS;
  updateErrorSummary(cpu);
}

function fldenv(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FLDENV');
  checkPendingException(cpu, 'FLDENV');
  const offset = effectiveAddress(cpu, i);
  probeRead(cpu, i.segment, offset, environmentBytes(i.opsize32));
  loadEnvironment(cpu, i, offset, i.opsize32);
  cpu.fpu.controlWord = controlWordFrom(cpu.fpu.controlWord);
  updateErrorSummary(cpu);
}

/** FNSAVE: store environment and registers, then initialise as FNINIT does. */
function fnsave(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FNSAVE');
  const offset = effectiveAddress(cpu, i);
  const environment = environmentBytes(i.opsize32);
  resolveWrite(cpu, i.segment, offset, environment + X87_REGISTER_BYTES);
  storeEnvironment(cpu, i, offset, i.opsize32);
  storeRegisters(cpu, i, offset, environment);
  cpu.fpu.initialize();
}

function frstor(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, 'FRSTOR');
  checkPendingException(cpu, 'FRSTOR');
  const offset = effectiveAddress(cpu, i);
  const environment = environmentBytes(i.opsize32);
  probeRead(cpu, i.segment, offset, environment + X87_REGISTER_BYTES);
  loadEnvironment(cpu, i, offset, i.opsize32);
  loadRegisters(cpu, i, offset, environment);
  cpu.fpu.controlWord = controlWordFrom(cpu.fpu.controlWord);
  updateErrorSummary(cpu);
}

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** Any D8-DF encoding without a row: #NM like every ESC instruction, else #UD. */
export function x87Unimplemented(cpu: CpuState, i: Instruction): void {
  requireFpu(cpu, `x87 instruction ${hex2(i.opcode)} /${i.reg}`);
  const form = i.mod === 3 ? `register form ${hex2(i.opcode)} ${hex2(0xc0 | (i.reg << 3) | i.rm)}` : `memory form ${hex2(i.opcode)} /${i.reg}`;
  throw invalidOpcode(`x87 ${form} is not implemented: this CPU has only the x87 control instructions (FNINIT FNCLEX FNSTSW FNSTCW FLDCW FNSTENV FLDENV FNSAVE FRSTOR)`);
}

export const X87_HANDLERS: Readonly<Record<string, Handler>> = {
  wait, fninit, fnclex, fnstsw, fnstcw, fldcw, fnstenv, fldenv, fnsave, frstor,
};
