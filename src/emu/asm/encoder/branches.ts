// Direct JMP/Jcc to a label: the short (rel8) and near (rel32) encodings the layout stage chooses
// between, as GNU as relaxes them. CALL, LOOP and JECXZ are not relaxed and go through the normal
// layout with a PC-relative fixup.
// Owns: the RelaxableBranch for a matched jmp/jcc. Must not know: addresses, layout or relaxation.
// Models Intel SDM Vol. 2 (JMP EB/E9, Jcc 7x/0F 8x).
import type { InstructionForm } from '../../isa/instructionForm';
import { formsOfMnemonic } from '../../isa/instructionTable';
import type { EncodeResult } from './encoderContract';
import type { Candidate } from './formSelection';
import type { PrefixSet } from './prefixes';

function isRelativeRow(row: InstructionForm): boolean {
  return row.operands.length === 1 && (row.operands[0] === 'Jb' || row.operands[0] === 'Jv');
}

/** The candidate is a direct jmp/jcc that the layout should relax. */
export function isRelaxableBranch(candidate: Candidate): boolean {
  return (candidate.form.op === 'jmp' || candidate.form.op === 'jcc') && isRelativeRow(candidate.form);
}

function rowWith(mnemonic: string, kind: 'Jb' | 'Jv'): InstructionForm | undefined {
  return formsOfMnemonic(mnemonic).find((row) => row.operands[0] === kind && !row.decodeOnly);
}

/**
 * The relaxable branch for a matched direct jmp/jcc. `bytes` and `fixups` hold the near form, so a
 * consumer that does not relax still gets a correct (if long) instruction. `operandSize` (16 in
 * .code16 or after data16) makes the near form's displacement rel16.
 */
export function encodeBranch(candidate: Candidate, prefixes: PrefixSet, operandSize: 16 | 32): EncodeResult {
  const slot = candidate.slots[0]?.operand;
  const shortRow = rowWith(candidate.form.mnemonic, 'Jb');
  const longRow = rowWith(candidate.form.mnemonic, 'Jv');
  if (slot?.kind !== 'memory' || !slot.operand.displacement || !shortRow || !longRow) {
    return { ok: false, message: `operand type mismatch for \`${candidate.form.mnemonic}'` };
  }
  const prefixBytes = prefixes.ordered();
  const target = slot.operand.displacement;
  const longBytes = [...prefixBytes, ...longRow.opcode];
  const size = operandSize === 16 ? 2 : 4;
  return {
    ok: true,
    instruction: {
      bytes: Uint8Array.from([...longBytes, ...new Array<number>(size).fill(0)]),
      fixups: [{ offset: longBytes.length, size, pcRelative: true, range: size === 4 ? 'either' : 'signed', value: target }],
      branch: {
        target,
        prefixes: Uint8Array.from(prefixBytes),
        shortOpcode: Uint8Array.from(shortRow.opcode),
        longOpcode: Uint8Array.from(longRow.opcode),
        ...(size === 2 ? { longDisplacementSize: 2 as const } : {}),
      },
    },
  };
}
