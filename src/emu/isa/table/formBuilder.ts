// Small constructors that keep the family tables (table/*.ts) readable: one call per row.
// Owns: the default attribute values of a row and the condition-code naming of jcc/setcc/cmovcc.
// Must not know: any consumer of the table. Models Intel SDM Vol. 2 Appendix A and Appendix B.1.4.7
// (the condition-code encoding tttn).
import type { InstructionForm, OperandKind } from '../instructionForm';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Optional attributes of a row, everything that is not mnemonic/opcode/operands/op/summary. */
export type FormAttributes = Partial<Omit<InstructionForm, 'mnemonic' | 'opcode' | 'operands' | 'op' | 'summary'>>;

/** One row; `cpu` defaults to the 386. */
export function form(
  mnemonic: string,
  opcode: number | readonly number[],
  operands: readonly OperandKind[],
  op: string,
  summary: string,
  attributes: FormAttributes = {},
): InstructionForm {
  const row: Mutable<InstructionForm> = {
    mnemonic,
    opcode: typeof opcode === 'number' ? [opcode] : opcode,
    operands,
    op,
    summary,
    cpu: '386',
  };
  return Object.assign(row, attributes) as InstructionForm;
}

/** The same attributes applied to several rows (e.g. `cpu: '486'` for a whole family). */
export function withAttributes(rows: readonly InstructionForm[], attributes: FormAttributes): InstructionForm[] {
  return rows.map((row) => ({ ...row, ...attributes }));
}

/**
 * Condition-code suffixes in encoding order (tttn = 0..15), spelled as Intel's primary mnemonics
 * (JAE rather than JNB, JE rather than JZ, JG rather than JNLE).
 */
export const CONDITION_SUFFIXES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;

/** What each condition tests, for summaries. */
export const CONDITION_MEANINGS = [
  'overflow (OF=1)',
  'no overflow (OF=0)',
  'below, unsigned (CF=1)',
  'above or equal, unsigned (CF=0)',
  'equal (ZF=1)',
  'not equal (ZF=0)',
  'below or equal, unsigned (CF=1 or ZF=1)',
  'above, unsigned (CF=0 and ZF=0)',
  'sign (SF=1)',
  'no sign (SF=0)',
  'parity even (PF=1)',
  'parity odd (PF=0)',
  'less, signed (SF!=OF)',
  'greater or equal, signed (SF=OF)',
  'less or equal, signed (ZF=1 or SF!=OF)',
  'greater, signed (ZF=0 and SF=OF)',
] as const;

/** One row per condition code: `build(conditionIndex, suffix, meaning)`. */
export function perCondition(build: (condition: number, suffix: string, meaning: string) => InstructionForm): InstructionForm[] {
  return CONDITION_SUFFIXES.map((suffix, condition) => build(condition, suffix, CONDITION_MEANINGS[condition]!));
}

/** Mnemonic of a jcc/setcc/cmovcc row with the given prefix ('j', 'set', 'cmov'). */
export function conditionMnemonic(prefix: string, condition: number): string {
  return `${prefix}${CONDITION_SUFFIXES[condition]}`;
}
