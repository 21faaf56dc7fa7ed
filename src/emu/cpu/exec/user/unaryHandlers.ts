// Handlers for the one-operand arithmetic instructions INC, DEC (40-4F, FE/FF /0 /1), NEG and NOT
// (F6/F7 /2 /3), register or read-modify-write memory. Owns: operand routing. Must not know: flag
// arithmetic (alu.ts). Models Intel SDM Vol. 2 (INC, DEC, NEG, NOT) and Appendix A groups 3-5.
import type { CpuState } from '../../cpuState';
import type { Handler, Instruction } from '../../instruction';
import { readResolved32, writeResolved32 } from '../../memoryAccess';
import { decOperation, incOperation, negOperation } from '../../alu';
import { getRegister, isMemoryForm, readResolved, resolveRm, setRegister, specializing, writeResolved } from './operands';

const UNARY_INC = 0;
const UNARY_DEC = 1;
const UNARY_NEG = 2;
const UNARY_NOT = 3;

const UNARY_KIND: Readonly<Record<string, number>> = { inc: UNARY_INC, dec: UNARY_DEC, neg: UNARY_NEG, not: UNARY_NOT };

function unaryOperation(cpu: CpuState, kind: number, size: number, value: number): number {
  switch (kind) {
    case UNARY_INC: return incOperation(cpu, size, value);
    case UNARY_DEC: return decOperation(cpu, size, value);
    case UNARY_NEG: return negOperation(cpu, size, value);
    default: return ~value; // NOT: flags unchanged
  }
}

function unary32Register(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.rm] = unaryOperation(cpu, i.variant, 4, cpu.regs[i.rm]!);
}

function unary32Memory(cpu: CpuState, i: Instruction): void {
  const physical = resolveRm(cpu, i, 4);
  writeResolved32(cpu, physical, unaryOperation(cpu, i.variant, 4, readResolved32(cpu, physical)));
}

function unaryRegister(cpu: CpuState, i: Instruction): void {
  setRegister(cpu, i.rm, i.width, unaryOperation(cpu, i.variant, i.width, getRegister(cpu, i.rm, i.width)));
}

function unaryMemory(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const physical = resolveRm(cpu, i, size);
  writeResolved(cpu, physical, size, unaryOperation(cpu, i.variant, size, readResolved(cpu, physical, size)));
}

function selectUnary(i: Instruction): Handler {
  i.variant = UNARY_KIND[i.form!.op]!;
  const memory = isMemoryForm(i);
  if (i.width === 4) return memory ? unary32Memory : unary32Register;
  return memory ? unaryMemory : unaryRegister;
}

const unaryHandler = specializing(selectUnary);

export const UNARY_HANDLERS: Readonly<Record<string, Handler>> = {
  inc: unaryHandler, dec: unaryHandler, neg: unaryHandler, not: unaryHandler,
};
