// Multiplication and division: MUL/IMUL (one-, two- and three-operand forms) and DIV/IDIV with #DE
// for a zero divisor or a quotient that does not fit. 32-bit products and 64/32 quotients are
// computed exactly with 16-bit limbs in doubles (no BigInt: nothing allocates).
// Owns: the arithmetic and CF/OF of Intel SDM Vol. 2 (MUL, IMUL, DIV, IDIV). For the flags Intel
// leaves undefined we do what the host CPU of our differential tests does: MUL/IMUL keep SF ZF AF PF;
// DIV/IDIV keep CF and OF, set AF and clear SF ZF PF. Must not know: operands.
import type { CpuState } from './cpuState';
import { EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, EFLAGS_PF, EFLAGS_SF, EFLAGS_ZF, setFlagsEager } from './eflags';
import { divideError } from './faults';

/** The high 32 bits of the unsigned 64-bit product of two 32-bit values. */
export function multiplyHighUnsigned(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const low = al * bl;
  const cross1 = al * bh;
  const cross2 = ah * bl;
  const middle = (low >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
  return (ah * bh + Math.floor(cross1 / 0x10000) + Math.floor(cross2 / 0x10000) + Math.floor(middle / 0x10000)) | 0;
}

/** The high 32 bits of the signed 64-bit product of two int32 values. */
export function multiplyHighSigned(a: number, b: number): number {
  let high = multiplyHighUnsigned(a, b);
  if (a < 0) high -= b;
  if (b < 0) high -= a;
  return high | 0;
}

function setMultiplyFlags(cpu: CpuState, overflow: boolean): void {
  setFlagsEager(cpu, EFLAGS_CF | EFLAGS_OF, overflow ? EFLAGS_CF | EFLAGS_OF : 0);
}

function setDivideFlags(cpu: CpuState): void {
  setFlagsEager(cpu, EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF, EFLAGS_AF);
}

/** MUL: AX = AL*src, DX:AX = AX*src, EDX:EAX = EAX*src. Returns nothing; writes the registers. */
export function multiplyUnsigned(cpu: CpuState, size: number, source: number): void {
  const regs = cpu.regs;
  if (size === 1) {
    const product = (regs[0]! & 0xff) * (source & 0xff);
    regs[0] = (regs[0]! & ~0xffff) | product;
    setMultiplyFlags(cpu, product > 0xff);
  } else if (size === 2) {
    const product = (regs[0]! & 0xffff) * (source & 0xffff);
    regs[0] = (regs[0]! & ~0xffff) | (product & 0xffff);
    regs[2] = (regs[2]! & ~0xffff) | (product >>> 16);
    setMultiplyFlags(cpu, product > 0xffff);
  } else {
    const a = regs[0]!;
    const high = multiplyHighUnsigned(a, source);
    const low = Math.imul(a, source);
    regs[0] = low;
    regs[2] = high;
    setMultiplyFlags(cpu, high !== 0);
  }
}

/** One-operand IMUL: the signed counterpart of multiplyUnsigned. */
export function multiplySignedWide(cpu: CpuState, size: number, source: number): void {
  const regs = cpu.regs;
  if (size === 1) {
    const product = ((regs[0]! << 24) >> 24) * ((source << 24) >> 24);
    regs[0] = (regs[0]! & ~0xffff) | (product & 0xffff);
    setMultiplyFlags(cpu, product !== (product << 24) >> 24);
  } else if (size === 2) {
    const product = ((regs[0]! << 16) >> 16) * ((source << 16) >> 16);
    regs[0] = (regs[0]! & ~0xffff) | (product & 0xffff);
    regs[2] = (regs[2]! & ~0xffff) | ((product >> 16) & 0xffff);
    setMultiplyFlags(cpu, product !== (product << 16) >> 16);
  } else {
    const a = regs[0]!;
    const high = multiplyHighSigned(a, source | 0);
    const low = Math.imul(a, source);
    regs[0] = low;
    regs[2] = high;
    setMultiplyFlags(cpu, high !== low >> 31);
  }
}

/** Two- and three-operand IMUL: the product truncated to `size` (2 or 4), flags on truncation. */
export function multiplySignedTruncated(cpu: CpuState, size: number, a: number, b: number): number {
  if (size === 2) {
    const product = ((a << 16) >> 16) * ((b << 16) >> 16);
    setMultiplyFlags(cpu, product !== (product << 16) >> 16);
    return product & 0xffff;
  }
  const low = Math.imul(a, b);
  setMultiplyFlags(cpu, multiplyHighSigned(a | 0, b | 0) !== low >> 31);
  return low;
}

/** Unsigned (high:low) / divisor with high < divisor, all 32-bit: the quotient and remainder. */
let quotient = 0;
let remainder = 0;

function divide64By32(high: number, low: number, divisor: number): void {
  // Two 16-bit long-division steps; every intermediate is below 2^48, exact in a double.
  let partial = high * 0x10000 + (low >>> 16);
  const q1 = Math.floor(partial / divisor);
  partial = (partial - q1 * divisor) * 0x10000 + (low & 0xffff);
  const q0 = Math.floor(partial / divisor);
  quotient = q1 * 0x10000 + q0;
  remainder = partial - q0 * divisor;
}

const NAMES = ['', 'AX', 'DX:AX', '', 'EDX:EAX'];

/** DIV: #DE on a zero divisor or a quotient too large for the destination. */
export function divideUnsigned(cpu: CpuState, size: number, source: number): void {
  const regs = cpu.regs;
  const bits = size * 8;
  const divisor = size === 4 ? source >>> 0 : source & ((1 << bits) - 1);
  if (divisor === 0) throw divideError(`DIV by zero (dividend ${NAMES[size]})`);
  if (size === 4) {
    const high = regs[2]! >>> 0;
    if (high >= divisor) throw divideError('DIV quotient does not fit in 32 bits');
    divide64By32(high, regs[0]! >>> 0, divisor);
    regs[0] = quotient | 0;
    regs[2] = remainder | 0;
    setDivideFlags(cpu);
    return;
  }
  const dividend = size === 1 ? regs[0]! & 0xffff : ((regs[2]! & 0xffff) * 0x10000 + (regs[0]! & 0xffff));
  const q = Math.floor(dividend / divisor);
  if (q >= 1 << bits) throw divideError(`DIV quotient does not fit in ${bits} bits`);
  storeNarrowQuotient(cpu, size, q, dividend - q * divisor);
  setDivideFlags(cpu);
}

/** IDIV: signed, quotient truncated toward zero, remainder with the dividend's sign. */
export function divideSigned(cpu: CpuState, size: number, source: number): void {
  const regs = cpu.regs;
  const bits = size * 8;
  const shift = 32 - bits;
  const divisor = (source << shift) >> shift;
  if (divisor === 0) throw divideError(`IDIV by zero (dividend ${NAMES[size]})`);
  let q: number;
  let r: number;
  if (size === 4) {
    const negative = regs[2]! < 0;
    let high = regs[2]! >>> 0;
    let low = regs[0]! >>> 0;
    if (negative) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    const magnitude = Math.abs(divisor);
    if (high >= magnitude) throw divideError('IDIV quotient does not fit in 32 bits');
    divide64By32(high, low, magnitude);
    q = negative !== divisor < 0 ? -quotient : quotient;
    r = negative ? -remainder : remainder;
  } else {
    const dividend = size === 1 ? (regs[0]! << 16) >> 16 : ((regs[2]! << 16) | (regs[0]! & 0xffff));
    q = Math.trunc(dividend / divisor);
    r = dividend - q * divisor;
  }
  const limit = 2 ** (bits - 1);
  if (q >= limit || q < -limit) throw divideError(`IDIV quotient does not fit in ${bits} signed bits`);
  if (size === 4) {
    regs[0] = q | 0;
    regs[2] = r | 0;
  } else storeNarrowQuotient(cpu, size, q & ((1 << bits) - 1), r & ((1 << bits) - 1));
  setDivideFlags(cpu);
}

function storeNarrowQuotient(cpu: CpuState, size: number, q: number, r: number): void {
  const regs = cpu.regs;
  if (size === 1) regs[0] = (regs[0]! & ~0xffff) | (r << 8) | q;
  else {
    regs[0] = (regs[0]! & ~0xffff) | q;
    regs[2] = (regs[2]! & ~0xffff) | r;
  }
}
