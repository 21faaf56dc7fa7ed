// Handlers for the group-1 ALU instructions (ADD OR ADC SBB AND SUB XOR CMP) and TEST in all their
// forms: r/m,reg (00-3D even), reg,r/m, accumulator,imm, r/m,imm (80-83, F6/F7 /0 /1). The first
// execution picks a handler for the form, width and register/memory shape; `variant` holds the
// operation. Owns: operand routing and read-modify-write order. Must not know: flag arithmetic
// (alu.ts). Models Intel SDM Vol. 2 (ADD ... XOR, CMP, TEST) and Appendix A group 1.
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { read32, readResolved32, writeResolved32 } from '../../memoryAccess';
import { ALU_ADC, ALU_ADD, ALU_AND, ALU_CMP, ALU_OR, ALU_SBB, ALU_SUB, ALU_XOR, aluOperation } from '../../alu';
import { getRegister, isMemoryForm, readResolved, readRm, resolveRm, setRegister, specializing, writeResolved } from './operands';

const ALU_KIND: Readonly<Record<string, number>> = {
  add: ALU_ADD, or: ALU_OR, adc: ALU_ADC, sbb: ALU_SBB, and: ALU_AND, sub: ALU_SUB, xor: ALU_XOR, cmp: ALU_CMP, test: ALU_AND,
};

// ---------------------------------------------------------------- 32-bit fast forms

function aluRmReg32Register(cpu: CpuState, i: Instruction): void {
  const regs = cpu.regs;
  regs[i.rm] = aluOperation(cpu, i.variant, 4, regs[i.rm]!, regs[i.reg]!);
}

function aluRegRm32Register(cpu: CpuState, i: Instruction): void {
  const regs = cpu.regs;
  regs[i.reg] = aluOperation(cpu, i.variant, 4, regs[i.reg]!, regs[i.rm]!);
}

function aluRmImm32Register(cpu: CpuState, i: Instruction): void {
  const regs = cpu.regs;
  regs[i.rm] = aluOperation(cpu, i.variant, 4, regs[i.rm]!, i.imm);
}

function aluRmReg32Memory(cpu: CpuState, i: Instruction): void {
  const physical = resolveRm(cpu, i, 4);
  writeResolved32(cpu, physical, aluOperation(cpu, i.variant, 4, readResolved32(cpu, physical), cpu.regs[i.reg]!));
}

function aluRegRm32Memory(cpu: CpuState, i: Instruction): void {
  const value = read32(cpu, i.segment, effectiveAddress(cpu, i));
  cpu.regs[i.reg] = aluOperation(cpu, i.variant, 4, cpu.regs[i.reg]!, value);
}

function aluRmImm32Memory(cpu: CpuState, i: Instruction): void {
  const physical = resolveRm(cpu, i, 4);
  writeResolved32(cpu, physical, aluOperation(cpu, i.variant, 4, readResolved32(cpu, physical), i.imm));
}

function compareRmReg32Register(cpu: CpuState, i: Instruction): void {
  aluOperation(cpu, i.variant, 4, cpu.regs[i.rm]!, cpu.regs[i.reg]!);
}

function compareRmImm32Register(cpu: CpuState, i: Instruction): void {
  aluOperation(cpu, i.variant, 4, cpu.regs[i.rm]!, i.imm);
}

// ---------------------------------------------------------------- any width

function aluRmReg(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const source = getRegister(cpu, i.reg, size);
  if (!isMemoryForm(i)) {
    setRegister(cpu, i.rm, size, aluOperation(cpu, i.variant, size, getRegister(cpu, i.rm, size), source));
    return;
  }
  const physical = resolveRm(cpu, i, size);
  writeResolved(cpu, physical, size, aluOperation(cpu, i.variant, size, readResolved(cpu, physical, size), source));
}

function aluRegRm(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const value = readRm(cpu, i, size);
  setRegister(cpu, i.reg, size, aluOperation(cpu, i.variant, size, getRegister(cpu, i.reg, size), value));
}

function aluRmImm(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  if (!isMemoryForm(i)) {
    setRegister(cpu, i.rm, size, aluOperation(cpu, i.variant, size, getRegister(cpu, i.rm, size), i.imm));
    return;
  }
  const physical = resolveRm(cpu, i, size);
  writeResolved(cpu, physical, size, aluOperation(cpu, i.variant, size, readResolved(cpu, physical, size), i.imm));
}

/** CMP and TEST read their first operand and write nothing (a read-only page is fine). */
function readFirst(cpu: CpuState, i: Instruction): number {
  return isMemoryForm(i) ? readRm(cpu, i, i.width) : getRegister(cpu, i.rm, i.width);
}

function compareRmReg(cpu: CpuState, i: Instruction): void {
  aluOperation(cpu, i.variant, i.width, readFirst(cpu, i), getRegister(cpu, i.reg, i.width));
}

function compareRegRm(cpu: CpuState, i: Instruction): void {
  aluOperation(cpu, i.variant, i.width, getRegister(cpu, i.reg, i.width), readRm(cpu, i, i.width));
}

function compareRmImm(cpu: CpuState, i: Instruction): void {
  aluOperation(cpu, i.variant, i.width, readFirst(cpu, i), i.imm);
}

// ---------------------------------------------------------------- selection

type Shape = 'rmReg' | 'regRm' | 'rmImm';

function shapeOf(i: Instruction): Shape {
  const operands = i.form!.operands;
  const first = operands[0]!;
  if (first[0] === 'G') return 'regRm';
  return operands[1]![0] === 'G' ? 'rmReg' : 'rmImm';
}

function selectCompare(i: Instruction, shape: Shape): Handler {
  const register = !isMemoryForm(i);
  if (i.width === 4 && register && shape === 'rmReg') return compareRmReg32Register;
  if (i.width === 4 && register && shape === 'rmImm') return compareRmImm32Register;
  return shape === 'rmReg' ? compareRmReg : shape === 'regRm' ? compareRegRm : compareRmImm;
}

function selectAlu(i: Instruction): Handler {
  const op = i.form!.op;
  i.variant = ALU_KIND[op]!;
  const shape = shapeOf(i);
  if (op === 'cmp' || op === 'test') return selectCompare(i, shape);
  const memory = isMemoryForm(i);
  if (i.width !== 4) return shape === 'rmReg' ? aluRmReg : shape === 'regRm' ? aluRegRm : aluRmImm;
  if (shape === 'rmReg') return memory ? aluRmReg32Memory : aluRmReg32Register;
  if (shape === 'regRm') return memory ? aluRegRm32Memory : aluRegRm32Register;
  return memory ? aluRmImm32Memory : aluRmImm32Register;
}

const aluHandler = specializing(selectAlu);

export const ALU_HANDLERS: Readonly<Record<string, Handler>> = {
  add: aluHandler, or: aluHandler, adc: aluHandler, sbb: aluHandler,
  and: aluHandler, sub: aluHandler, xor: aluHandler, cmp: aluHandler, test: aluHandler,
};
