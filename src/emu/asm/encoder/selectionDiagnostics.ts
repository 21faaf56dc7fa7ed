// GNU as's wording when no row fits a statement: which of the failures seen while trying rows to
// report (operand count, then suffix, then operand types, then sizes), and the register-versus-suffix
// complaints ("`%eax' not allowed with `movb'", "incorrect register `%ax' used with `l' suffix").
// Owns: the choice and wording of those messages. Must not know: how rows are tried.
// Models GNU as 2.40's i386 diagnostics.
import { OPERAND_KIND_INFO } from '../../isa/operandKinds';
import type { Candidate } from './formSelection';
import type { MatchFailure } from './operandMatching';

export type SelectionFailure = MatchFailure | { readonly kind: 'count' } | { readonly kind: 'suffix' };

export interface Diagnostic {
  readonly message: string;
  readonly operandIndex?: number;
}

/** Later checks are more specific: GNU as reports the furthest a row got. */
const FAILURE_RANK: Readonly<Record<SelectionFailure['kind'], number>> = { count: 0, suffix: 1, type: 2, size: 3, suffixRegister: 4 };

const reachedOperand = (failure: SelectionFailure) => ('operandIndex' in failure ? failure.operandIndex ?? -1 : -1);

/** A later check, or the same check on a later operand. */
function isFurther(candidate: SelectionFailure, best: SelectionFailure): boolean {
  const rank = FAILURE_RANK[candidate.kind] - FAILURE_RANK[best.kind];
  return rank !== 0 ? rank > 0 : reachedOperand(candidate) > reachedOperand(best);
}

export function failureMessage(stem: string, failures: readonly SelectionFailure[], suffixLetter: string | undefined): Diagnostic {
  const worst = failures.reduce<SelectionFailure | undefined>((best, f) => (!best || isFurther(f, best) ? f : best), undefined);
  const at = worst && 'operandIndex' in worst && worst.operandIndex !== undefined ? { operandIndex: worst.operandIndex } : {};
  switch (worst?.kind) {
    case 'suffixRegister': return { message: `incorrect register \`%${worst.register}' used with \`${suffixLetter ?? ''}' suffix`, ...at };
    case 'size': return { message: `operand size mismatch for \`${stem}'`, ...at };
    case 'type': return { message: `operand type mismatch for \`${stem}'`, ...at };
    case 'count': return { message: `number of operands mismatch for \`${stem}'` };
    default: return { message: `invalid instruction suffix for \`${stem}'` };
  }
}

/**
 * A row fits once the suffix is ignored: blame the last sized register that disagrees with the
 * suffix, as GNU as does after it has matched a template.
 */
export function registerSuffixMessage(candidate: Candidate, suffixSize: number, mnemonic: string, suffixLetter: string | undefined): Diagnostic | undefined {
  const { form, slots } = candidate;
  const lastWrittenFirst = slots.map((placed, i) => [placed, form.operands[i]!] as const).sort(([a], [b]) => (b?.index ?? -1) - (a?.index ?? -1));
  for (const [placed, kind] of lastWrittenFirst) {
    if (!placed || placed.operand.kind !== 'register' || kind === 'CL' || kind === 'DX') continue;
    if (OPERAND_KIND_INFO[kind].registerClass !== 'gpr') continue;
    const register = placed.operand.register;
    if (register.bits === suffixSize) continue;
    if (register.bits === 8 || suffixSize === 8) return { message: `\`%${register.name}' not allowed with \`${mnemonic}'`, operandIndex: placed.index };
    return { message: `incorrect register \`%${register.name}' used with \`${suffixLetter ?? ''}' suffix`, operandIndex: placed.index };
  }
  return undefined;
}
