// Handlers for group 2 (ROL ROR RCL RCR SHL/SAL SHR SAR by 1, CL or imm8: C0/C1, D0-D3) and the
// double shifts SHLD/SHRD (0F A4/A5/AC/AD). The count is masked to 5 bits before anything else;
// a zero count leaves operand and flags alone but a memory operand is still checked for writing.
// Owns: operand routing. Must not know: shift arithmetic (aluShift.ts).
// Models Intel SDM Vol. 2 (SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD) and Appendix A group 2.
import type { CpuState } from '../../cpuState';
import type { Handler, Instruction } from '../../instruction';
import { SHIFT_RCL, SHIFT_RCR, SHIFT_ROL, SHIFT_ROR, SHIFT_SAR, SHIFT_SHL, SHIFT_SHR, doubleShift, shiftOperation } from '../../aluShift';
import { getReg8, getRegister, isMemoryForm, readResolved, resolveRm, setRegister, specializing, writeResolved } from './operands';

const SHIFT_KIND: Readonly<Record<string, number>> = {
  rol: SHIFT_ROL, ror: SHIFT_ROR, rcl: SHIFT_RCL, rcr: SHIFT_RCR, shl: SHIFT_SHL, shr: SHIFT_SHR, sar: SHIFT_SAR,
};

const CL = 1;

/** The count operand: CL (in rows with a CL operand) or the immediate (1 for the D0/D1 forms). */
function countOf(cpu: CpuState, i: Instruction, fromCl: boolean): number {
  return (fromCl ? getReg8(cpu, CL) : i.imm) & 31;
}

function shiftWith(cpu: CpuState, i: Instruction, count: number): void {
  const size = i.width;
  if (!isMemoryForm(i)) {
    setRegister(cpu, i.rm, size, shiftOperation(cpu, i.variant, size, getRegister(cpu, i.rm, size), count));
    return;
  }
  const physical = resolveRm(cpu, i, size);
  if (count === 0) return;
  writeResolved(cpu, physical, size, shiftOperation(cpu, i.variant, size, readResolved(cpu, physical, size), count));
}

function shiftByImmediate(cpu: CpuState, i: Instruction): void {
  shiftWith(cpu, i, countOf(cpu, i, false));
}

function shiftByCl(cpu: CpuState, i: Instruction): void {
  shiftWith(cpu, i, countOf(cpu, i, true));
}

/** SHL/SHR/SAR r32 by imm: the common form in kernels, kept short. */
function shift32RegisterByImmediate(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.rm] = shiftOperation(cpu, i.variant, 4, cpu.regs[i.rm]!, i.imm & 31);
}

function selectShift(i: Instruction): Handler {
  const form = i.form!;
  i.variant = SHIFT_KIND[form.op]!;
  const fromCl = form.operands[1] === 'CL';
  if (!fromCl && i.width === 4 && !isMemoryForm(i)) return shift32RegisterByImmediate;
  return fromCl ? shiftByCl : shiftByImmediate;
}

const shiftHandler = specializing(selectShift);

function doubleShiftWith(cpu: CpuState, i: Instruction, count: number, left: boolean): void {
  const size = i.width;
  const source = getRegister(cpu, i.reg, size);
  if (!isMemoryForm(i)) {
    setRegister(cpu, i.rm, size, doubleShift(cpu, left, size, getRegister(cpu, i.rm, size), source, count));
    return;
  }
  const physical = resolveRm(cpu, i, size);
  if (count === 0) return;
  writeResolved(cpu, physical, size, doubleShift(cpu, left, size, readResolved(cpu, physical, size), source, count));
}

function doubleShiftHandler(cpu: CpuState, i: Instruction): void {
  const fromCl = i.form!.operands[2] === 'CL';
  doubleShiftWith(cpu, i, countOf(cpu, i, fromCl), i.form!.op === 'shld');
}

export const SHIFT_HANDLERS: Readonly<Record<string, Handler>> = {
  rol: shiftHandler, ror: shiftHandler, rcl: shiftHandler, rcr: shiftHandler,
  shl: shiftHandler, shr: shiftHandler, sar: shiftHandler,
  shld: doubleShiftHandler, shrd: doubleShiftHandler,
};
