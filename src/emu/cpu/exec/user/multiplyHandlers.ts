// Handlers for MUL, IMUL (F6/F7 /5, 0F AF, 69, 6B), DIV and IDIV (F6/F7 /6 /7): fetch the source
// operand, then let aluMultiply.ts compute (and raise #DE before any register changes).
// Owns: operand routing. Must not know: the arithmetic. Models Intel SDM Vol. 2 (MUL, IMUL, DIV,
// IDIV) and Appendix A group 3.
import type { CpuState } from '../../cpuState';
import type { Handler, Instruction } from '../../instruction';
import { divideSigned, divideUnsigned, multiplySignedTruncated, multiplySignedWide, multiplyUnsigned } from '../../aluMultiply';
import { getRegister, readRm, setRegister } from './operands';

function mul(cpu: CpuState, i: Instruction): void {
  multiplyUnsigned(cpu, i.width, readRm(cpu, i, i.width));
}

/** IMUL: one operand (F6/F7 /5) widens into eDX:eAX; two (0F AF) and three (69, 6B) truncate. */
function imul(cpu: CpuState, i: Instruction): void {
  const operands = i.form!.operands.length;
  const size = i.width;
  if (operands === 1) {
    multiplySignedWide(cpu, size, readRm(cpu, i, size));
    return;
  }
  const source = readRm(cpu, i, size);
  const factor = operands === 3 ? i.imm : getRegister(cpu, i.reg, size);
  setRegister(cpu, i.reg, size, multiplySignedTruncated(cpu, size, source, factor));
}

function div(cpu: CpuState, i: Instruction): void {
  divideUnsigned(cpu, i.width, readRm(cpu, i, i.width));
}

function idiv(cpu: CpuState, i: Instruction): void {
  divideSigned(cpu, i.width, readRm(cpu, i, i.width));
}

export const MULTIPLY_HANDLERS: Readonly<Record<string, Handler>> = { mul, imul, div, idiv };
