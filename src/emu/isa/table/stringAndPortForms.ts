// Table rows for the string instructions (MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS) and port I/O
// (IN, OUT).
// Owns: opcodes, operand kinds and REP eligibility of these rows. Must not know: encoding or execution.
// Models Intel SDM Vol. 2 (MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS, IN, OUT, REP/REPE/REPNE) and
// Vol. 1 §18 (I/O permission: IOPL and the TSS I/O bitmap).
import type { InstructionForm, OperandKind } from '../instructionForm';
import { form } from './formBuilder';

interface StringOperation {
  readonly stem: string;
  readonly op: string;
  /** The byte form's opcode; the word/dword form is opcode + 1. */
  readonly opcode: number;
  readonly byteOperands: readonly OperandKind[];
  readonly wideOperands: readonly OperandKind[];
  readonly rep: 'rep' | 'repcc';
  readonly summary: string;
}

const STEP = 'then eSI/eDI step by the element size (backwards when DF=1)';

const STRING_OPERATIONS: readonly StringOperation[] = [
  { stem: 'movs', op: 'movs', opcode: 0xa4, byteOperands: ['Yb', 'Xb'], wideOperands: ['Yv', 'Xv'], rep: 'rep', summary: `Copy DS:[eSI] to ES:[eDI], ${STEP}.` },
  { stem: 'cmps', op: 'cmps', opcode: 0xa6, byteOperands: ['Xb', 'Yb'], wideOperands: ['Xv', 'Yv'], rep: 'repcc', summary: `Compare DS:[eSI] with ES:[eDI] (flags of [eSI] - [eDI]), ${STEP}.` },
  { stem: 'stos', op: 'stos', opcode: 0xaa, byteOperands: ['Yb', 'AL'], wideOperands: ['Yv', 'eAX'], rep: 'rep', summary: `Store the accumulator to ES:[eDI], ${STEP}.` },
  { stem: 'lods', op: 'lods', opcode: 0xac, byteOperands: ['AL', 'Xb'], wideOperands: ['eAX', 'Xv'], rep: 'rep', summary: `Load the accumulator from DS:[eSI], ${STEP}.` },
  { stem: 'scas', op: 'scas', opcode: 0xae, byteOperands: ['AL', 'Yb'], wideOperands: ['eAX', 'Yv'], rep: 'repcc', summary: `Compare the accumulator with ES:[eDI] (flags of acc - [eDI]), ${STEP}.` },
  { stem: 'ins', op: 'ins', opcode: 0x6c, byteOperands: ['Yb', 'DX'], wideOperands: ['Yv', 'DX'], rep: 'rep', summary: `Input from port DX to ES:[eDI] (I/O permission checked), ${STEP}.` },
  { stem: 'outs', op: 'outs', opcode: 0x6e, byteOperands: ['DX', 'Xb'], wideOperands: ['DX', 'Xv'], rep: 'rep', summary: `Output DS:[eSI] to port DX (I/O permission checked), ${STEP}.` },
];

/** Intel spells the element size into the mnemonic: MOVSB, MOVSW, MOVSD. */
function stringForms(operation: StringOperation): InstructionForm[] {
  const { stem, op, opcode, rep, summary } = operation;
  return [
    form(`${stem}b`, opcode, operation.byteOperands, op, `${summary} Bytes.`, { rep }),
    form(`${stem}w`, opcode + 1, operation.wideOperands, op, `${summary} Words.`, { rep, operandSize: 16 }),
    form(`${stem}d`, opcode + 1, operation.wideOperands, op, `${summary} Doublewords.`, { rep, operandSize: 32 }),
  ];
}

const IN_SUMMARY = 'Input from an I/O port into the accumulator; #GP unless CPL <= IOPL or the TSS I/O bitmap allows it.';
const OUT_SUMMARY = 'Output the accumulator to an I/O port; #GP unless CPL <= IOPL or the TSS I/O bitmap allows it.';

const PORT_FORMS: readonly InstructionForm[] = [
  form('in', 0xe4, ['AL', 'Ib'], 'in', `${IN_SUMMARY} Port imm8.`),
  form('in', 0xe5, ['eAX', 'Ib'], 'in', `${IN_SUMMARY} Port imm8.`),
  form('in', 0xec, ['AL', 'DX'], 'in', `${IN_SUMMARY} Port DX.`),
  form('in', 0xed, ['eAX', 'DX'], 'in', `${IN_SUMMARY} Port DX.`),
  form('out', 0xe6, ['Ib', 'AL'], 'out', `${OUT_SUMMARY} Port imm8.`),
  form('out', 0xe7, ['Ib', 'eAX'], 'out', `${OUT_SUMMARY} Port imm8.`),
  form('out', 0xee, ['DX', 'AL'], 'out', `${OUT_SUMMARY} Port DX.`),
  form('out', 0xef, ['DX', 'eAX'], 'out', `${OUT_SUMMARY} Port DX.`),
];

export const STRING_AND_PORT_FORMS: readonly InstructionForm[] = [
  ...STRING_OPERATIONS.flatMap(stringForms),
  ...PORT_FORMS,
];
