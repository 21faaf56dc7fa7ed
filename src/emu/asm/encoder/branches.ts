// Direct JMP/Jcc to a label: the short (rel8) and near (rel32) encodings the layout stage chooses
// between, as GNU as relaxes them. CALL, LOOP and JECXZ are not relaxed and go through the normal
// layout with a PC-relative fixup.
// Owns: the plan of the RelaxableBranch for a matched jmp/jcc (filled in encodingPlan.ts).
// Must not know: addresses, layout or relaxation.
// Models Intel SDM Vol. 2 (JMP EB/E9, Jcc 7x/0F 8x).
import type { InstructionForm } from '../../isa/instructionForm';
import { formsOfMnemonic } from '../../isa/instructionTable';
import { byteArray, type BranchPlan } from './encodingPlan';
import type { Candidate } from './formSelection';
import type { PrefixSet } from './prefixes';

function isRelativeRow(row: InstructionForm): boolean {
  return row.operands.length === 1 && (row.operands[0] === 'Jb' || row.operands[0] === 'Jv');
}

/** The candidate is a direct jmp/jcc that the layout should relax. */
export function isRelaxableBranch(candidate: Candidate): boolean {
  return (candidate.facts.op === 'jmp' || candidate.facts.op === 'jcc') && isRelativeRow(candidate.form);
}

function rowWith(mnemonic: string, kind: 'Jb' | 'Jv'): InstructionForm | undefined {
  return formsOfMnemonic(mnemonic).find((row) => row.operands[0] === kind && !row.decodeOnly);
}

/**
 * The plan of a relaxable branch for a matched direct jmp/jcc. The filled encoding's `bytes` and
 * `fixups` hold the near form, so a consumer that does not relax still gets a correct (if long)
 * instruction. `operandSize` (16 in .code16 or after data16) makes the near form's displacement rel16.
 */
export function branchPlan(candidate: Candidate, prefixes: PrefixSet, operandSize: 16 | 32): BranchPlan | { ok: false; message: string } {
  const slot = candidate.slots[0];
  const shortRow = rowWith(candidate.form.mnemonic, 'Jb');
  const longRow = rowWith(candidate.form.mnemonic, 'Jv');
  if (slot?.operand.kind !== 'memory' || !slot.operand.operand.displacement || !shortRow || !longRow) {
    return { ok: false, message: `operand type mismatch for \`${candidate.form.mnemonic}'` };
  }
  const prefixBytes = prefixes.ordered();
  const size = operandSize === 16 ? 2 : 4;
  return {
    kind: 'branch',
    operand: slot.index,
    prefixes: byteArray(prefixBytes),
    shortOpcode: byteArray(shortRow.opcode),
    longOpcode: byteArray(longRow.opcode),
    nearForm: byteArray([...prefixBytes, ...longRow.opcode, ...new Array<number>(size).fill(0)]),
    longDisplacementSize: size,
  };
}
