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

const TWO_16 = 0x1_0000;
const TWO_32 = 0x1_0000_0000;

/**
 * Outside 64-bit mode GNU as folds every constant into 32 bits first: values that fit 32 bits
 * unsigned are sign-extended, other values that do not fit 32 bits signed are cut to their low 32
 * bits. The result lies in [-2^31, 2^32), so it is computed and returned as a (safe) number.
 */
export function foldTo32Bits(value: bigint): number {
  if (value >= 0n && value <= 0xffff_ffffn) {
    const n = Number(value);
    return n >= 0x8000_0000 ? n - TWO_32 : n;
  }
  if (value >= -0x8000_0000n && value < 0n) return Number(value);
  return Number(BigInt.asUintN(32, value));
}

/** A value in 0..2^bits-1 read as a signed `bits`-bit number. */
function signExtend(value: number, bits: 16 | 32): number {
  const half = bits === 16 ? 0x8000 : 0x8000_0000;
  return value >= half ? value - (bits === 16 ? TWO_16 : TWO_32) : value;
}

/** The narrowest immediate fields a value fits, GNU as's "smallest immediate type". */
function smallestTypes(value: number): number {
  let types = value === 1 ? IMM1 : 0;
  if (value >= -0x80 && value <= 0x7f) types |= IMM8 | IMM8S | IMM16 | IMM32 | IMM32S;
  else if (value >= 0 && value <= 0xff) types |= IMM8 | IMM16 | IMM32 | IMM32S;
  else if (value >= -0x8000 && value <= 0xffff) types |= IMM16 | IMM32 | IMM32S;
  else if (value >= -0x8000_0000 && value <= 0x7fff_ffff) types |= IMM32 | IMM32S;
  else if (value >= 0 && value <= 0xffff_ffff) types |= IMM32;
  return types;
}

/** Fields a size suffix (or the guessed operand size) lets any constant be truncated into. */
function typesForGuess(guess: 8 | 16 | 32): number {
  if (guess === 32) return IMM32;
  if (guess === 16) return IMM16 | IMM32 | IMM32S;
  return IMM8 | IMM8S | IMM16 | IMM32 | IMM32S;
}

/**
 * The value GNU as emits for a constant immediate (before truncation to the field): folded to 32
 * bits, then read as signed 16 or 32 bits where the guess size allows those fields. `guess` is the
 * suffix size, else the size of the last general register operand, else the default operand size.
 */
export function normalizedImmediate(constant: bigint, guess: 8 | 16 | 32): number {
  let value = foldTo32Bits(constant);
  const types = typesForGuess(guess);
  if (types & IMM16 && value >= 0 && value <= 0xffff) value = signExtend(value, 16);
  if (types & IMM32 && value >= 0 && value <= 0xffff_ffff) value = signExtend(value, 32);
  return value;
}

/** The immediate types of a constant at the guess size (see normalizedImmediate). */
export function constantImmediateTypes(constant: bigint, guess: 8 | 16 | 32): number {
  return typesForGuess(guess) | smallestTypes(normalizedImmediate(constant, guess));
}

/** The guess-size mask GNU as applies to symbolic immediates when some candidate form allows it. */
export function symbolicMaskFor(guess: 8 | 16 | 32): number {
  return guess === 32 ? IMM32 : guess === 16 ? IMM16 : IMM8;
}
