// The contract between the front end/layout and the instruction encoder.
// Owns: what an encoding is (bytes, fields to fix up later, relaxable branches) and how the
// encoder learns whether an expression is already a known constant.
// Must not know: symbol tables, sections, layout.
import type { Expr } from '../expression';
import type { ParsedInstruction } from '../instructionSyntax';

export interface EncodeContext {
  /** The value of `expr` if it is a constant at this point of assembly (GAS rule: numbers and
   *  absolute symbols already defined), else undefined. Decides imm8 vs imm32 and disp8 vs disp32. */
  constantValue(expr: Expr): bigint | undefined;
  /** `.code32` (default) or `.code16`. */
  readonly codeSize: 16 | 32;
}

/** A field of the encoding whose value is computed after layout. */
export interface Fixup {
  /** Byte offset of the field within the instruction. */
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  /** PC-relative fields hold `value - (address of the end of the field)`. */
  readonly pcRelative: boolean;
  /** Range check on the final value: 'signed' (rel8, disp8), 'unsigned', or 'either' (GAS's default
   *  for data and immediates: accepts -2^(n-1) .. 2^n - 1). */
  readonly range: 'signed' | 'unsigned' | 'either';
  readonly value: Expr;
}

/**
 * A jmp or jcc to a label whose form (rel8 or rel32) the layout picks, as GNU as relaxes it:
 * start short, grow to long while the displacement does not fit. The emitted bytes are
 * `prefixes ++ shortOpcode ++ rel8` or `prefixes ++ longOpcode ++ rel32`.
 */
export interface RelaxableBranch {
  readonly target: Expr;
  readonly prefixes: Uint8Array;
  readonly shortOpcode: Uint8Array;
  readonly longOpcode: Uint8Array;
  /** Size of the long form's displacement: 4 (rel32, the default) or 2 (rel16: `.code16`, or
   *  `data16 jmp` in 32-bit code). */
  readonly longDisplacementSize?: 2 | 4;
}

export interface EncodedInstruction {
  /** Complete encoding, zeros in fixup fields. Ignored when `branch` is present. */
  readonly bytes: Uint8Array;
  readonly fixups: readonly Fixup[];
  readonly branch?: RelaxableBranch;
  /** True for a prefix written as its own statement (`rep` on a line of its own). */
  readonly prefixOnly?: boolean;
}

export type EncodeResult =
  | { readonly ok: true; readonly instruction: EncodedInstruction }
  /** `message` is a complete sentence in GNU as's style; `operandIndex` (AT&T order) points at the culprit. */
  | { readonly ok: false; readonly message: string; readonly operandIndex?: number };

export type Encoder = (instruction: ParsedInstruction, context: EncodeContext) => EncodeResult;
