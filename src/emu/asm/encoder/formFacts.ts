// Per-row facts the encoder needs again and again, computed once at module load for every table row:
// which operand a size suffix names, whether the operand-size prefix matters, and which operands GNU
// as lets a statement leave out (shift count 1, string operands, in/out's accumulator, aam's base...).
// Owns: those derived facts. Must not know: statements being encoded.
// Models GNU as 2.40's AT&T operand conventions over Intel SDM Vol. 2 rows.
import type { InstructionForm } from '../../isa/instructionForm';
import { INSTRUCTION_TABLE } from '../../isa/instructionTable';
import { OPERAND_KIND_INFO, isOperandSizeDependent } from '../../isa/operandKinds';
import { primaryOperandIndex } from './operandMatching';

export interface FormFacts {
  /** Index (Intel order) of the operand a size suffix names, or -1. */
  readonly primary: number;
  /** Its width when fixed (8/16/32), for rows whose size does not follow the operand size. */
  readonly primaryWidth: number | undefined;
  readonly sizeDependent: boolean;
  /** The sets of slots a statement may leave out; always includes the empty set first. */
  readonly omissions: readonly (readonly number[])[];
}

/** movs/cmps/ins/outs take both operands or none; stos/lods/scas may also give only the memory one. */
const ALL_OR_NOTHING_STRING_OPS: ReadonlySet<string> = new Set(['movs', 'cmps', 'ins', 'outs']);
const MEMORY_ONLY_STRING_OPS: ReadonlySet<string> = new Set(['stos', 'lods', 'scas']);

function isSingleOmissible(row: InstructionForm, kind: string): boolean {
  if (kind === '1') return true;
  if ((row.op === 'in' || row.op === 'out') && (kind === 'AL' || kind === 'eAX')) return true;
  if ((row.op === 'aam' || row.op === 'aad') && kind === 'Ib') return true;
  if (row.op === 'fnstsw' && kind === 'AX') return true;
  return (row.op === 'shld' || row.op === 'shrd') && kind === 'CL';
}

function omissionsOf(row: InstructionForm): (readonly number[])[] {
  const all = row.operands.map((_, i) => i);
  if (ALL_OR_NOTHING_STRING_OPS.has(row.op)) return [[], all];
  if (MEMORY_ONLY_STRING_OPS.has(row.op)) {
    const accumulator = row.operands.findIndex((kind) => kind === 'AL' || kind === 'eAX');
    return [[], [accumulator], all];
  }
  const single = row.operands.findIndex((kind) => isSingleOmissible(row, kind));
  return single >= 0 ? [[], [single]] : [[]];
}

function factsOf(row: InstructionForm): FormFacts {
  const primary = primaryOperandIndex(row);
  const primaryKind = primary >= 0 ? row.operands[primary]! : undefined;
  const width = primaryKind ? OPERAND_KIND_INFO[primaryKind].width : undefined;
  return {
    primary,
    primaryWidth: typeof width === 'number' ? width : undefined,
    sizeDependent: isOperandSizeDependent(row),
    omissions: omissionsOf(row),
  };
}

const FORM_FACTS: ReadonlyMap<InstructionForm, FormFacts> = new Map(INSTRUCTION_TABLE.map((row) => [row, factsOf(row)]));

export function facts(row: InstructionForm): FormFacts {
  return FORM_FACTS.get(row) ?? factsOf(row);
}
