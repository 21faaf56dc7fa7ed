// Shifts and rotates (group 2) and the double-precision shifts SHLD/SHRD: results and flags for a
// count already masked to 5 bits. A masked count of 0 changes nothing, flags included. Rotates touch
// only CF and OF; shifts define CF, OF (count 1), SF ZF PF. Where Intel leaves flags undefined we
// write what the host CPU of our differential tests does: AF = 1 after a shift, and OF as the
// last one-bit step would set it (MSB of the result XOR MSB of the count-1 result).
// Owns: the arithmetic of Intel SDM Vol. 2 (SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD).
// Must not know: operands, encodings, memory.
import type { CpuState } from './cpuState';
import { EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, getCF, setFlagsEager } from './eflags';
import { SIZE_MASK, msb, overflowBit, recordResult } from './alu';

/** Group-2 operations in /digit order (/6 is an alias of SHL). */
export const SHIFT_ROL = 0;
export const SHIFT_ROR = 1;
export const SHIFT_RCL = 2;
export const SHIFT_RCR = 3;
export const SHIFT_SHL = 4;
export const SHIFT_SHR = 5;
export const SHIFT_SAL = 6;
export const SHIFT_SAR = 7;

function setRotateFlags(cpu: CpuState, carry: number, overflow: number): void {
  setFlagsEager(cpu, EFLAGS_CF | EFLAGS_OF, carry | overflowBit(overflow));
}

function rotateLeft(cpu: CpuState, size: number, value: number, count: number): number {
  const bits = size * 8;
  const n = count & (bits - 1);
  const result = n === 0 ? value : ((value << n) | (value >>> (bits - n))) & SIZE_MASK[size]!;
  const carry = result & 1;
  setRotateFlags(cpu, carry, msb(result, size) ^ carry);
  return result;
}

function rotateRight(cpu: CpuState, size: number, value: number, count: number): number {
  const bits = size * 8;
  const n = count & (bits - 1);
  const result = n === 0 ? value : ((value >>> n) | (value << (bits - n))) & SIZE_MASK[size]!;
  const top = msb(result, size);
  setRotateFlags(cpu, top, top ^ msb(result << 1, size));
  return result;
}

/** RCL/RCR rotate through CF: size*8+1 bits, so the count is taken modulo 9, 17 or 33. */
function rotateThroughCarry(cpu: CpuState, left: boolean, size: number, value: number, count: number): number {
  const bits = size * 8;
  const n = count % (bits + 1);
  const mask = SIZE_MASK[size]!;
  const top = bits - 1;
  let carry = getCF(cpu);
  let result = value & mask;
  for (let i = 0; i < n; i++) {
    if (left) {
      const out = (result >>> top) & 1;
      result = ((result << 1) | carry) & mask;
      carry = out;
    } else {
      const out = result & 1;
      result = ((result >>> 1) | (carry << top)) & mask;
      carry = out;
    }
  }
  const overflow = left ? msb(result, size) ^ carry : msb(result, size) ^ msb(result << 1, size);
  setRotateFlags(cpu, carry, overflow);
  return result;
}

function shiftLeft(cpu: CpuState, size: number, value: number, count: number): number {
  const bits = size * 8;
  const result = (value << count) & SIZE_MASK[size]!;
  const carry = count <= bits ? (value >>> (bits - count)) & 1 : 0;
  recordResult(cpu, size, result, carry | EFLAGS_AF | overflowBit(msb(result, size) ^ carry));
  return result;
}

function shiftRight(cpu: CpuState, size: number, value: number, count: number): number {
  const bits = size * 8;
  const unsigned = value & SIZE_MASK[size]!;
  const result = (unsigned >>> count) | 0;
  const carry = count <= bits ? (unsigned >>> (count - 1)) & 1 : 0;
  recordResult(cpu, size, result, carry | EFLAGS_AF | overflowBit(msb(unsigned >>> (count - 1), size)));
  return result;
}

function shiftArithmeticRight(cpu: CpuState, size: number, value: number, count: number): number {
  const shift = 32 - size * 8;
  const signed = (value << shift) >> shift;
  const result = (signed >> count) & SIZE_MASK[size]!;
  recordResult(cpu, size, result, ((signed >> (count - 1)) & 1) | EFLAGS_AF);
  return result;
}

/** One group-2 operation; `count` is already masked with 31. */
export function shiftOperation(cpu: CpuState, kind: number, size: number, value: number, count: number): number {
  if (count === 0) return value;
  switch (kind) {
    case SHIFT_ROL: return rotateLeft(cpu, size, value, count);
    case SHIFT_ROR: return rotateRight(cpu, size, value, count);
    case SHIFT_RCL: return rotateThroughCarry(cpu, true, size, value, count);
    case SHIFT_RCR: return rotateThroughCarry(cpu, false, size, value, count);
    case SHIFT_SHR: return shiftRight(cpu, size, value, count);
    case SHIFT_SAR: return shiftArithmeticRight(cpu, size, value, count);
    default: return shiftLeft(cpu, size, value, count);
  }
}

/** SHLD/SHRD's value for a count of 1..31 (16-bit counts above 16 shift dest:source:dest). */
function doubleShifted(left: boolean, size: number, dest: number, source: number, count: number): number {
  if (size === 4) return left ? (dest << count) | (source >>> (32 - count)) : (dest >>> count) | (source << (32 - count));
  // The 48-bit pattern dest:source:dest, exact in a double; counts up to 16 touch only dest:source.
  const pattern = dest * 0x100000000 + source * 0x10000 + dest;
  return Math.floor(pattern / 2 ** (left ? 32 - count : count)) % 0x10000;
}

/**
 * SHLD (left) / SHRD: shifts `dest` filling from `source`; count masked with 31. With a 16-bit
 * operand a count above 16 has an undefined result (and flags): we shift the 48-bit pattern
 * dest:source:dest.
 */
export function doubleShift(cpu: CpuState, left: boolean, size: number, dest: number, source: number, count: number): number {
  if (count === 0) return dest;
  const mask = SIZE_MASK[size]!;
  dest &= mask;
  source &= mask;
  const result = doubleShifted(left, size, dest, source, count) & mask;
  const previous = count === 1 ? dest : doubleShifted(left, size, dest, source, count - 1) & mask;
  const carry = left ? msb(previous, size) : previous & 1;
  recordResult(cpu, size, result, carry | EFLAGS_AF | overflowBit(msb(result, size) ^ msb(previous, size)));
  return result;
}
