// GNU as's sizing of immediates: which immediate fields (imm1, imm8, sign-extended imm8, imm16,
// imm32) a constant or symbolic immediate may occupy, given the instruction's size suffix or the
// size of its last register operand. This is what makes `addl $1,%eax` use 83 /0 ib but
// `addl $128,%eax` use 05 id, and `addw $0xffff,%ax` use 83 /0 ib.
// Owns: the immediate type sets and the value normalisation GNU as applies in 32-bit code.
// Must not know: instruction forms. Models GNU as 2.40 (tc-i386 immediate optimisation) and Intel
// SDM Vol. 2 §2.2.1 (immediate sizes).

export const IMM1 = 1;
export const IMM8 = 2;
export const IMM8S = 4;
export const IMM16 = 8;
export const IMM32 = 16;
export const IMM32S = 32;

/** What a symbolic (not yet constant) immediate may become: never a sign-extended byte or 1. */
export const SYMBOLIC_IMMEDIATE_TYPES = IMM8 | IMM16 | IMM32 | IMM32S;

const TWO_32 = 1n << 32n;

function fitsSigned(value: bigint, bits: number): boolean {
  const half = 1n << BigInt(bits - 1);
  return value >= -half && value < half;
}

function fitsUnsigned(value: bigint, bits: number): boolean {
  return value >= 0n && value < 1n << BigInt(bits);
}

function signExtend(value: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value);
}

/** Outside 64-bit mode GNU as folds every constant into 32 bits first. */
export function extendTo32BitAddress(value: bigint): bigint {
  if (fitsUnsigned(value, 32)) return signExtend(value, 32);
  if (!fitsSigned(value, 32)) return value & (TWO_32 - 1n);
  return value;
}

/** The narrowest immediate fields a value fits, GNU as's "smallest immediate type". */
function smallestTypes(value: bigint): number {
  let types = value === 1n ? IMM1 : 0;
  if (fitsSigned(value, 8)) types |= IMM8 | IMM8S | IMM16 | IMM32 | IMM32S;
  else if (fitsUnsigned(value, 8)) types |= IMM8 | IMM16 | IMM32 | IMM32S;
  else if (fitsSigned(value, 16) || fitsUnsigned(value, 16)) types |= IMM16 | IMM32 | IMM32S;
  else if (fitsSigned(value, 32)) types |= IMM32 | IMM32S;
  else if (fitsUnsigned(value, 32)) types |= IMM32;
  return types;
}

/** Fields a size suffix (or the guessed operand size) lets any constant be truncated into. */
function typesForGuess(guess: 8 | 16 | 32): number {
  if (guess === 32) return IMM32;
  if (guess === 16) return IMM16 | IMM32 | IMM32S;
  return IMM8 | IMM8S | IMM16 | IMM32 | IMM32S;
}

export interface ConstantImmediateTypes {
  readonly types: number;
  /** The value after GNU as's normalisation (what is emitted, truncated to the field). */
  readonly value: bigint;
}

/**
 * Types of a constant immediate. `guess` is the suffix size, else the size of the last general
 * register operand, else the default operand size.
 */
export function constantImmediateTypes(constant: bigint, guess: 8 | 16 | 32): ConstantImmediateTypes {
  let value = extendTo32BitAddress(constant);
  let types = typesForGuess(guess);
  if (types & IMM16 && fitsUnsigned(value, 16)) value = signExtend(value, 16);
  if (types & IMM32 && fitsUnsigned(value, 32)) value = signExtend(value, 32);
  types |= smallestTypes(value);
  return { types, value };
}

/** The guess-size mask GNU as applies to symbolic immediates when some candidate form allows it. */
export function symbolicMaskFor(guess: 8 | 16 | 32): number {
  return guess === 32 ? IMM32 : guess === 16 ? IMM16 : IMM8;
}

/** The two's complement bytes of `value` in a field of `size` bytes (truncating, little-endian order). */
export function truncateToField(value: bigint, size: number): bigint {
  return BigInt.asUintN(size * 8, value);
}

