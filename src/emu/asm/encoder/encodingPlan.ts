// An encoding plan: the encoding of a statement with its operand values left out. Fixed bytes
// (prefixes, opcode, ModRM, SIB) plus holes that name the operand whose value fills them and how
// GNU as turns that value into the field (immediate normalisation, displacement normalisation, as
// written, or always a PC-relative fixup), or a relaxable jmp/jcc whose target is an operand. A
// plan depends only on the statement's shape (statementShape.ts), so it can be kept and filled again.
// Owns: plan types, filling a plan with a statement's values (a fresh result every time) and the
// copy of a plan that is kept. Must not know: how plans are chosen.
// Models Intel SDM Vol. 2 §2.1 field sizes with GNU as's value normalisation (immediateTypes.ts).
import type { Expr } from '../expression';
import type { Operand } from '../instructionSyntax';
import type { EncodeResult, Fixup } from './encoderContract';
import { normalizedImmediate } from './immediateTypes';
import { normalizeDisplacement } from './modrm';

/** How a hole's operand value becomes field bytes; a symbolic value always becomes a fixup. */
export type HoleFill =
  /** An immediate, normalised as GNU as types it at the guess size `parameter`. */
  | 'immediate'
  /** A displacement, normalised for a field of `parameter` (2 or 4) bytes. */
  | 'displacement'
  /** The value as written, truncated (far pointer offset and selector). */
  | 'raw'
  /** A branch displacement: a PC-relative fixup even for a constant target. */
  | 'relative';

export interface Hole {
  readonly offset: number;
  readonly size: 1 | 2 | 4;
  /** AT&T index of the operand whose value (immediate, or memory displacement) fills the hole. */
  readonly operand: number;
  readonly fill: HoleFill;
  readonly parameter: number;
}

export interface FixedPlan {
  readonly kind: 'fixed';
  /** Every byte of the encoding, zeros in the holes (copied for each statement, never handed out). */
  readonly bytes: Uint8Array;
  /** In field order, which is also the order of the fixups. */
  readonly holes: readonly Hole[];
}

/** The plan of a relaxable branch; every array is copied for each statement, never handed out. */
export interface BranchPlan {
  readonly kind: 'branch';
  /** AT&T index of the target operand. */
  readonly operand: number;
  readonly prefixes: Uint8Array;
  readonly shortOpcode: Uint8Array;
  readonly longOpcode: Uint8Array;
  /** The near form as a fixed instruction: prefixes, long opcode, zeros for the displacement. */
  readonly nearForm: Uint8Array;
  readonly longDisplacementSize: 2 | 4;
}

export type EncodingPlan = FixedPlan | BranchPlan;

/** The expression an operand contributes: an immediate's value, a memory operand's displacement. */
function expressionOf(operand: Operand | undefined): Expr | undefined {
  if (operand?.kind === 'immediate') return operand.value;
  return operand?.kind === 'memory' ? operand.displacement : undefined;
}

/** GNU as's value for a constant hole, truncated to 32 bits (two's complement). */
function fieldValue(hole: Hole, constant: bigint): number {
  if (hole.fill === 'immediate') return normalizedImmediate(constant, hole.parameter as 8 | 16 | 32) >>> 0;
  if (hole.fill === 'displacement') return normalizeDisplacement(constant, hole.parameter as 2 | 4) >>> 0;
  return Number(BigInt.asUintN(32, constant));
}

/** The low `size` bytes of a 32-bit field value, little-endian. */
function writeLittleEndian(bytes: Uint8Array, offset: number, size: number, value: number): void {
  for (let i = 0; i < size; i++) bytes[offset + i] = (value >>> (8 * i)) & 0xff;
}

function fixupFor(hole: Hole, value: Expr): Fixup {
  const pcRelative = hole.fill === 'relative';
  const range = hole.size === 4 || !pcRelative ? 'either' : 'signed';
  return { offset: hole.offset, size: hole.size, pcRelative, range, value };
}

/** A byte list as a Uint8Array (a plain loop: faster than Uint8Array.from for a few bytes). */
export function byteArray(bytes: readonly number[]): Uint8Array {
  const array = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) array[i] = bytes[i]!;
  return array;
}

const NO_FIXUPS: readonly Fixup[] = Object.freeze([]);

function fillFixed(plan: FixedPlan, operands: readonly Operand[], constants: readonly (bigint | undefined)[]): EncodeResult {
  const bytes = plan.bytes.slice();
  let fixups: Fixup[] | undefined;
  for (const hole of plan.holes) {
    const constant = constants[hole.operand];
    if (constant === undefined || hole.fill === 'relative') (fixups ??= []).push(fixupFor(hole, expressionOf(operands[hole.operand])!));
    else writeLittleEndian(bytes, hole.offset, hole.size, fieldValue(hole, constant));
  }
  return { ok: true, instruction: { bytes, fixups: fixups ?? NO_FIXUPS } };
}

function fillBranch(plan: BranchPlan, operands: readonly Operand[]): EncodeResult {
  const target = expressionOf(operands[plan.operand])!;
  const size = plan.longDisplacementSize;
  const branch = size === 2
    ? { target, prefixes: plan.prefixes.slice(), shortOpcode: plan.shortOpcode.slice(), longOpcode: plan.longOpcode.slice(), longDisplacementSize: size }
    : { target, prefixes: plan.prefixes.slice(), shortOpcode: plan.shortOpcode.slice(), longOpcode: plan.longOpcode.slice() };
  const offset = plan.nearForm.length - size;
  const fixup: Fixup = { offset, size, pcRelative: true, range: size === 4 ? 'either' : 'signed', value: target };
  return { ok: true, instruction: { bytes: plan.nearForm.slice(), fixups: [fixup], branch } };
}

/**
 * A copy of a plan for keeping. Plans made by the search die young; were the kept ones those very
 * objects, V8 would see their allocation sites' objects survive and allocate every later plan
 * straight into the old generation (allocation-site pretenuring), turning short-lived garbage into
 * full collections. Copies made here come from sites of their own.
 */
export function planToKeep(plan: EncodingPlan): EncodingPlan {
  if (plan.kind === 'branch') {
    const { operand, longDisplacementSize } = plan;
    return { kind: 'branch', operand, prefixes: plan.prefixes.slice(), shortOpcode: plan.shortOpcode.slice(), longOpcode: plan.longOpcode.slice(), nearForm: plan.nearForm.slice(), longDisplacementSize };
  }
  const holes: Hole[] = [];
  for (const { offset, size, operand, fill, parameter } of plan.holes) holes.push({ offset, size, operand, fill, parameter });
  return { kind: 'fixed', bytes: plan.bytes.slice(), holes };
}

/** The encoding of a statement of the plan's shape: its operand values filled into the plan. */
export function fillPlan(plan: EncodingPlan, operands: readonly Operand[], constants: readonly (bigint | undefined)[]): EncodeResult {
  return plan.kind === 'fixed' ? fillFixed(plan, operands, constants) : fillBranch(plan, operands);
}
