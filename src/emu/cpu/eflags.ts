// EFLAGS with lazy arithmetic flags: an ALU operation records its operands, result and kind; the
// flags are computed only when read (jcc, pushf, the debugger). Owns: flag bit constants, the lazy
// record, conditions for jcc/setcc/cmovcc, and the one function that materializes EFLAGS.
// Must not know: instructions. Models Intel SDM Vol. 1 §3.4.3 and Appendix A (flag effects).
import type { CpuState } from './cpuState';

export const EFLAGS_CF = 0x1;
export const EFLAGS_FIXED = 0x2;
export const EFLAGS_PF = 0x4;
export const EFLAGS_AF = 0x10;
export const EFLAGS_ZF = 0x40;
export const EFLAGS_SF = 0x80;
export const EFLAGS_TF = 0x100;
export const EFLAGS_IF = 0x200;
export const EFLAGS_DF = 0x400;
export const EFLAGS_OF = 0x800;
export const EFLAGS_IOPL = 0x3000;
export const EFLAGS_NT = 0x4000;
export const EFLAGS_RF = 0x10000;
export const EFLAGS_VM = 0x20000;
export const EFLAGS_AC = 0x40000;
export const EFLAGS_VIF = 0x80000;
export const EFLAGS_VIP = 0x100000;
export const EFLAGS_ID = 0x200000;

export const ARITHMETIC_FLAGS = EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF;
/** Bits software can ever see set on this CPU (VM stays 0: no virtual-8086 mode). */
export const EFLAGS_IMPLEMENTED = ARITHMETIC_FLAGS | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL | EFLAGS_NT | EFLAGS_RF | EFLAGS_AC | EFLAGS_ID;

/** Lazy operation kinds. */
export const LAZY_ADD = 1;
export const LAZY_ADC = 2;
export const LAZY_SUB = 3;
export const LAZY_SBB = 4;
/** PF/ZF/SF from the result only (logic ops, shifts, and anything that computes the rest eagerly). */
export const LAZY_RESULT = 5;

/** Sign bit and width mask by operand size in bytes (1, 2, 4). */
export const SIZE_SIGN: readonly number[] = [0, 0x80, 0x8000, 0, 0x80000000 | 0];
export const SIZE_MASK: readonly number[] = [0, 0xff, 0xffff, 0, -1];

/** Records an arithmetic result; `lazyFlags` says which of CF PF AF ZF SF OF it defines. Flags the
 *  previous record defined but this one does not (CF across INC/DEC) are materialized first. */
export function setLazy(cpu: CpuState, op: number, sizeBytes: number, op1: number, op2: number, result: number, lazyFlags: number): void {
  if ((cpu.lazyMask & ~lazyFlags) !== 0) cpu.flags = getEflags(cpu);
  cpu.lazyOp = op;
  cpu.lazyOp1 = op1;
  cpu.lazyOp2 = op2;
  cpu.lazyResult = result;
  cpu.lazySignBit = SIZE_SIGN[sizeBytes]!;
  cpu.lazySizeMask = SIZE_MASK[sizeBytes]!;
  cpu.lazyMask = lazyFlags;
}

/** Writes the given flags eagerly (values already in position), ending any lazy record. */
export function setFlagsEager(cpu: CpuState, mask: number, values: number): void {
  if (cpu.lazyMask !== 0) {
    cpu.flags = getEflags(cpu);
    cpu.lazyMask = 0;
  }
  cpu.flags = (cpu.flags & ~mask) | (values & mask);
}

/** All six arithmetic flags computed from the lazy record. */
function computeLazy(cpu: CpuState): number {
  const mask = cpu.lazySizeMask;
  const sign = cpu.lazySignBit;
  const result = cpu.lazyResult & mask;
  let flags = 0;
  if (result === 0) flags |= EFLAGS_ZF;
  if (result & sign) flags |= EFLAGS_SF;
  if (PARITY_EVEN[result & 0xff]) flags |= EFLAGS_PF;
  const op = cpu.lazyOp;
  if (op === LAZY_RESULT) return flags;
  const a = cpu.lazyOp1 & mask;
  const b = cpu.lazyOp2 & mask;
  flags |= (a ^ b ^ result) & EFLAGS_AF;
  const ua = a >>> 0;
  const ub = b >>> 0;
  const ur = result >>> 0;
  switch (op) {
    case LAZY_ADD:
      if (ur < ua) flags |= EFLAGS_CF;
      if ((a ^ result) & (b ^ result) & sign) flags |= EFLAGS_OF;
      break;
    case LAZY_ADC:
      if (cpu.lazyCarry ? ur <= ua : ur < ua) flags |= EFLAGS_CF;
      if ((a ^ result) & (b ^ result) & sign) flags |= EFLAGS_OF;
      break;
    case LAZY_SUB:
      if (ua < ub) flags |= EFLAGS_CF;
      if ((a ^ b) & (a ^ result) & sign) flags |= EFLAGS_OF;
      break;
    case LAZY_SBB:
      if (cpu.lazyCarry ? ua <= ub : ua < ub) flags |= EFLAGS_CF;
      if ((a ^ b) & (a ^ result) & sign) flags |= EFLAGS_OF;
      break;
  }
  return flags;
}

/** The full EFLAGS value. */
export function getEflags(cpu: CpuState): number {
  if (cpu.lazyMask === 0) return cpu.flags;
  return ((cpu.flags & ~cpu.lazyMask) | (computeLazy(cpu) & cpu.lazyMask)) | 0;
}

/** Replaces EFLAGS entirely (no privilege filtering: callers apply IOPL/CPL rules first). */
export function setEflags(cpu: CpuState, value: number): void {
  cpu.lazyMask = 0;
  cpu.flags = (value & EFLAGS_IMPLEMENTED) | EFLAGS_FIXED;
}

export function getCF(cpu: CpuState): number {
  if (!(cpu.lazyMask & EFLAGS_CF)) return cpu.flags & EFLAGS_CF;
  return computeLazy(cpu) & EFLAGS_CF;
}

export function getZF(cpu: CpuState): boolean {
  if (!(cpu.lazyMask & EFLAGS_ZF)) return (cpu.flags & EFLAGS_ZF) !== 0;
  return (cpu.lazyResult & cpu.lazySizeMask) === 0;
}

export function getSF(cpu: CpuState): boolean {
  if (!(cpu.lazyMask & EFLAGS_SF)) return (cpu.flags & EFLAGS_SF) !== 0;
  return (cpu.lazyResult & cpu.lazySignBit) !== 0;
}

export function getOF(cpu: CpuState): boolean {
  if (!(cpu.lazyMask & EFLAGS_OF)) return (cpu.flags & EFLAGS_OF) !== 0;
  return (computeLazy(cpu) & EFLAGS_OF) !== 0;
}

export function getPF(cpu: CpuState): boolean {
  if (!(cpu.lazyMask & EFLAGS_PF)) return (cpu.flags & EFLAGS_PF) !== 0;
  return PARITY_EVEN[cpu.lazyResult & 0xff] === 1;
}

export function getAF(cpu: CpuState): boolean {
  if (!(cpu.lazyMask & EFLAGS_AF)) return (cpu.flags & EFLAGS_AF) !== 0;
  return (computeLazy(cpu) & EFLAGS_AF) !== 0;
}

/** Condition codes in Intel order: o no b nb z nz be nbe s ns p np l nl le nle. */
export function testCondition(cpu: CpuState, condition: number): boolean {
  let result: boolean;
  switch (condition >> 1) {
    case 0: result = getOF(cpu); break;
    case 1: result = getCF(cpu) !== 0; break;
    case 2: result = getZF(cpu); break;
    case 3: result = getCF(cpu) !== 0 || getZF(cpu); break;
    case 4: result = getSF(cpu); break;
    case 5: result = getPF(cpu); break;
    case 6: result = getSF(cpu) !== getOF(cpu); break;
    default: result = getZF(cpu) || getSF(cpu) !== getOF(cpu); break;
  }
  return (condition & 1) === 0 ? result : !result;
}

/** PARITY_EVEN[b] = 1 when byte b has an even number of set bits (PF=1). */
export const PARITY_EVEN: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    let bits = 0;
    for (let v = b; v; v >>= 1) bits += v & 1;
    table[b] = bits % 2 === 0 ? 1 : 0;
  }
  return table;
})();
