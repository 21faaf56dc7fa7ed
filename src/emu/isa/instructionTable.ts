// The x86 instruction table: every i386 integer instruction, the 486/Pentium/P6 additions and the
// x87 control forms, one InstructionForm per encoding, assembled from the family files in table/.
// Consumers (encoder, decoder, disassembler, hover, completion, grammar, generated tests) read it and
// the derived views below; nobody keeps a second list by hand.
// Owns: the table and its lookup views. Must not know: any consumer.
// Models Intel SDM Vol. 2 Appendix A (opcode map) for the instructions listed in the family files.
import type { InstructionForm } from './instructionForm';
import { ARITHMETIC_FORMS } from './table/arithmeticForms';
import { BIT_FORMS } from './table/bitForms';
import { CONTROL_FLOW_FORMS } from './table/controlFlowForms';
import { DATA_TRANSFER_FORMS } from './table/dataTransferForms';
import { STACK_FORMS } from './table/stackForms';
import { STRING_AND_PORT_FORMS } from './table/stringAndPortForms';
import { SYSTEM_FORMS } from './table/systemForms';
import { X87_CONTROL_FORMS } from './table/x87ControlForms';

export { CONDITION_SUFFIXES } from './table/formBuilder';

/** All rows. Within one mnemonic, earlier rows are GNU as's preference when two encodings tie. */
export const INSTRUCTION_TABLE: readonly InstructionForm[] = Object.freeze([
  ...DATA_TRANSFER_FORMS,
  ...ARITHMETIC_FORMS,
  ...BIT_FORMS,
  ...STACK_FORMS,
  ...CONTROL_FLOW_FORMS,
  ...STRING_AND_PORT_FORMS,
  ...SYSTEM_FORMS,
  ...X87_CONTROL_FORMS,
]);

function groupBy(rows: readonly InstructionForm[], key: (row: InstructionForm) => string): ReadonlyMap<string, readonly InstructionForm[]> {
  const groups = new Map<string, InstructionForm[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  return groups;
}

/** Rows by canonical (Intel) mnemonic, table order kept. Includes decode-only rows. */
export const FORMS_BY_MNEMONIC: ReadonlyMap<string, readonly InstructionForm[]> = groupBy(INSTRUCTION_TABLE, (row) => row.mnemonic);

/** Rows by semantic op key ('add', 'jcc', 'push_sreg', ...): what the emulator's handlers are keyed by. */
export const FORMS_BY_OP: ReadonlyMap<string, readonly InstructionForm[]> = groupBy(INSTRUCTION_TABLE, (row) => row.op);

/** Every canonical mnemonic, sorted: for the grammar's keyword list and completion. */
export const CANONICAL_MNEMONICS: readonly string[] = Object.freeze([...FORMS_BY_MNEMONIC.keys()].sort());

const NO_FORMS: readonly InstructionForm[] = [];

/** The rows of a canonical mnemonic (empty when unknown). */
export function formsOfMnemonic(mnemonic: string): readonly InstructionForm[] {
  return FORMS_BY_MNEMONIC.get(mnemonic) ?? NO_FORMS;
}

/** The rows an assembler may emit (decode-only aliases left out). */
export const ENCODABLE_FORMS: readonly InstructionForm[] = Object.freeze(INSTRUCTION_TABLE.filter((row) => !row.decodeOnly));

/** The opcode bytes as hex, `0F AF` style, with `/digit`, `+r` or a fixed ModRM: for docs and messages. */
export function describeOpcode(row: InstructionForm): string {
  const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');
  const parts = [...(row.prefix !== undefined ? [hex(row.prefix)] : []), ...row.opcode.map(hex)];
  if (row.operands.some((kind) => kind === 'Zb' || kind === 'Zv' || kind === 'Zd')) parts[parts.length - 1] += '+r';
  if (row.modrm !== undefined) parts.push(hex(row.modrm));
  else if (row.extension !== undefined) parts.push(`/${row.extension}`);
  return parts.join(' ');
}
