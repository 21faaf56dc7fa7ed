// The integer ALU with lazy flags: the eight group-1 operations, INC/DEC, NEG, and the "result
// flags" record used by logic, shifts and anything that sets CF/OF/AF eagerly. Add/sub-family
// results go through eflags.ts's setLazy (which keeps CF across INC/DEC); logic and eager records
// write the lazy fields directly because they redefine all six flags. Owns: operand masking by size and the flag rules of Intel SDM Vol. 2 (ADD, ADC,
// SUB, SBB, CMP, AND, OR, XOR, TEST, INC, DEC, NEG) and Vol. 1 Appendix A. Must not know: operands,
// encodings, memory.
import type { CpuState } from './cpuState';
import { ARITHMETIC_FLAGS, EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, EFLAGS_PF, EFLAGS_SF, EFLAGS_ZF, LAZY_ADC, LAZY_ADD, LAZY_RESULT, LAZY_SBB, LAZY_SUB, SIZE_MASK, SIZE_SIGN, getCF, setLazy } from './eflags';

/** Group-1 operations in opcode order (bits 5..3 of 00-3F, /digit of 80-83). */
export const ALU_ADD = 0;
export const ALU_OR = 1;
export const ALU_ADC = 2;
export const ALU_SBB = 3;
export const ALU_AND = 4;
export const ALU_SUB = 5;
export const ALU_XOR = 6;
export const ALU_CMP = 7;

export { SIZE_MASK, SIZE_SIGN };

const RESULT_FLAGS = EFLAGS_PF | EFLAGS_ZF | EFLAGS_SF;
const EAGER_FLAGS = EFLAGS_CF | EFLAGS_OF | EFLAGS_AF;

/** Logic ops: SF ZF PF from the result, CF = OF = AF = 0 (AF is undefined; real CPUs clear it). */
export function recordLogic(cpu: CpuState, size: number, result: number): void {
  cpu.lazyOp = LAZY_RESULT;
  cpu.lazyResult = result;
  cpu.lazySignBit = SIZE_SIGN[size]!;
  cpu.lazySizeMask = SIZE_MASK[size]!;
  cpu.lazyMask = ARITHMETIC_FLAGS;
}

/** SF ZF PF from the result; CF OF AF given eagerly (bits in place). All six are redefined. */
export function recordResult(cpu: CpuState, size: number, result: number, eagerFlags: number): void {
  cpu.flags = (cpu.flags & ~ARITHMETIC_FLAGS) | (eagerFlags & EAGER_FLAGS);
  cpu.lazyOp = LAZY_RESULT;
  cpu.lazyResult = result;
  cpu.lazySignBit = SIZE_SIGN[size]!;
  cpu.lazySizeMask = SIZE_MASK[size]!;
  cpu.lazyMask = RESULT_FLAGS;
}

/** One group-1 operation; returns the result masked to the size (CMP returns the difference). */
export function aluOperation(cpu: CpuState, kind: number, size: number, a: number, b: number): number {
  const mask = SIZE_MASK[size]!;
  a &= mask;
  b &= mask;
  let result: number;
  switch (kind) {
    case ALU_ADD:
      result = (a + b) & mask;
      setLazy(cpu, LAZY_ADD, size, a, b, result, ARITHMETIC_FLAGS);
      return result;
    case ALU_OR:
      result = a | b;
      recordLogic(cpu, size, result);
      return result;
    case ALU_ADC: {
      const carry = getCF(cpu);
      result = (a + b + carry) & mask;
      cpu.lazyCarry = carry;
      setLazy(cpu, LAZY_ADC, size, a, b, result, ARITHMETIC_FLAGS);
      return result;
    }
    case ALU_SBB: {
      const borrow = getCF(cpu);
      result = (a - b - borrow) & mask;
      cpu.lazyCarry = borrow;
      setLazy(cpu, LAZY_SBB, size, a, b, result, ARITHMETIC_FLAGS);
      return result;
    }
    case ALU_AND:
      result = a & b;
      recordLogic(cpu, size, result);
      return result;
    case ALU_XOR:
      result = a ^ b;
      recordLogic(cpu, size, result);
      return result;
    default: // SUB, CMP
      result = (a - b) & mask;
      setLazy(cpu, LAZY_SUB, size, a, b, result, ARITHMETIC_FLAGS);
      return result;
  }
}

export function incOperation(cpu: CpuState, size: number, a: number): number {
  const mask = SIZE_MASK[size]!;
  const result = (a + 1) & mask;
  setLazy(cpu, LAZY_ADD, size, a & mask, 1, result, ARITHMETIC_FLAGS & ~EFLAGS_CF);
  return result;
}

export function decOperation(cpu: CpuState, size: number, a: number): number {
  const mask = SIZE_MASK[size]!;
  const result = (a - 1) & mask;
  setLazy(cpu, LAZY_SUB, size, a & mask, 1, result, ARITHMETIC_FLAGS & ~EFLAGS_CF);
  return result;
}

export function negOperation(cpu: CpuState, size: number, a: number): number {
  const mask = SIZE_MASK[size]!;
  const result = (0 - a) & mask;
  setLazy(cpu, LAZY_SUB, size, 0, a & mask, result, ARITHMETIC_FLAGS);
  return result;
}

/** The sign bit of `value` at `size` as 0/1. */
export function msb(value: number, size: number): number {
  return (value & SIZE_SIGN[size]!) !== 0 ? 1 : 0;
}

/** OF in position when `on`. */
export function overflowBit(on: number | boolean): number {
  return on ? EFLAGS_OF : 0;
}
