// Table rows for bit and byte instructions: BT/BTS/BTR/BTC, BSF/BSR, SHLD/SHRD, SETcc.
// Owns: opcodes and operand kinds of these rows. Must not know: encoding or execution.
// Models Intel SDM Vol. 2 (BT, BTS, BTR, BTC, BSF, BSR, SHLD, SHRD, SETcc) and Appendix A.4 group 8.
import type { InstructionForm } from '../instructionForm';
import { conditionMnemonic, form, perCondition } from './formBuilder';

interface BitTestOperation {
  readonly name: string;
  /** Second opcode byte of the register form (0F xx). */
  readonly registerOpcode: number;
  /** /digit of the immediate form (0F BA /digit). */
  readonly extension: number;
  readonly summary: string;
}

const BIT_TEST_OPERATIONS: readonly BitTestOperation[] = [
  { name: 'bt', registerOpcode: 0xa3, extension: 4, summary: 'Bit test: CF = the selected bit of dest.' },
  { name: 'bts', registerOpcode: 0xab, extension: 5, summary: 'Bit test and set: CF = the selected bit, then set it.' },
  { name: 'btr', registerOpcode: 0xb3, extension: 6, summary: 'Bit test and reset: CF = the selected bit, then clear it.' },
  { name: 'btc', registerOpcode: 0xbb, extension: 7, summary: 'Bit test and complement: CF = the selected bit, then flip it.' },
];

function bitTestForms(operation: BitTestOperation): InstructionForm[] {
  const { name, summary } = operation;
  const lock = name === 'bt' ? {} : { lockable: true };
  return [
    form(name, [0x0f, operation.registerOpcode], ['Ev', 'Gv'], name,
      `${summary} A register bit offset may address memory beyond the operand.`, lock),
    form(name, [0x0f, 0xba], ['Ev', 'Ib'], name, `${summary} The bit offset is imm8 modulo the operand size.`,
      { extension: operation.extension, ...lock }),
  ];
}

const SCAN_AND_DOUBLE_SHIFT_FORMS: readonly InstructionForm[] = [
  form('bsf', [0x0f, 0xbc], ['Gv', 'Ev'], 'bsf', 'Bit scan forward: dest = index of the lowest set bit of src; ZF=1 (dest undefined) if src is 0.'),
  form('bsr', [0x0f, 0xbd], ['Gv', 'Ev'], 'bsr', 'Bit scan reverse: dest = index of the highest set bit of src; ZF=1 (dest undefined) if src is 0.'),
  form('shld', [0x0f, 0xa4], ['Ev', 'Gv', 'Ib'], 'shld', 'Double-precision shift left by imm8, filling from the high bits of the register.'),
  form('shld', [0x0f, 0xa5], ['Ev', 'Gv', 'CL'], 'shld', 'Double-precision shift left by CL, filling from the high bits of the register.'),
  form('shrd', [0x0f, 0xac], ['Ev', 'Gv', 'Ib'], 'shrd', 'Double-precision shift right by imm8, filling from the low bits of the register.'),
  form('shrd', [0x0f, 0xad], ['Ev', 'Gv', 'CL'], 'shrd', 'Double-precision shift right by CL, filling from the low bits of the register.'),
];

/** SETcc: the ModRM.reg field is ignored by the CPU; assemblers write 0. */
const SETCC_FORMS: readonly InstructionForm[] = perCondition((condition, _suffix, meaning) =>
  form(conditionMnemonic('set', condition), [0x0f, 0x90 + condition], ['Eb'], 'setcc',
    `Set byte to 1 if ${meaning}, else to 0.`, { condition }),
);

export const BIT_FORMS: readonly InstructionForm[] = [
  ...BIT_TEST_OPERATIONS.flatMap(bitTestForms),
  ...SCAN_AND_DOUBLE_SHIFT_FORMS,
  ...SETCC_FORMS,
];
