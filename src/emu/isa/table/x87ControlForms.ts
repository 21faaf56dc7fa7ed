// Table rows for the x87 control instructions a kernel uses for FPU state handling: FNINIT/FINIT,
// FNSAVE/FSAVE, FRSTOR, FNSTSW/FSTSW, FNSTCW/FSTCW, FLDCW, FNSTENV/FSTENV, FLDENV, FNCLEX/FCLEX.
// The waiting forms are the no-wait rows preceded by the WAIT byte (0x9B, the `prefix` field).
// Owns: opcodes and operand kinds of these rows. Must not know: encoding or execution.
// Models Intel SDM Vol. 2 (the instructions named) and Vol. 1 §8.1 (x87 control, status and tag words,
// environment and state images).
import type { InstructionForm, OperandKind } from '../instructionForm';
import { form, withAttributes } from './formBuilder';

interface ControlOperation {
  /** The no-wait mnemonic; the waiting one drops the `n` (fninit -> finit). */
  readonly noWait: string;
  readonly op: string;
  readonly opcode: number;
  readonly extension?: number;
  readonly modrm?: number;
  readonly operands: readonly OperandKind[];
  readonly summary: string;
}

const STORE_OPERATIONS: readonly ControlOperation[] = [
  { noWait: 'fninit', op: 'fninit', opcode: 0xdb, modrm: 0xe3, operands: [], summary: 'Initialise the FPU: control word 0x37F, status 0, all tags empty.' },
  { noWait: 'fnclex', op: 'fnclex', opcode: 0xdb, modrm: 0xe2, operands: [], summary: 'Clear the x87 exception flags, ES and B in the status word.' },
  { noWait: 'fnstsw', op: 'fnstsw', opcode: 0xdf, modrm: 0xe0, operands: ['AX'], summary: 'Store the x87 status word into AX.' },
  { noWait: 'fnstsw', op: 'fnstsw', opcode: 0xdd, extension: 7, operands: ['Mw'], summary: 'Store the x87 status word to memory.' },
  { noWait: 'fnstcw', op: 'fnstcw', opcode: 0xd9, extension: 7, operands: ['Mw'], summary: 'Store the x87 control word to memory.' },
  { noWait: 'fnstenv', op: 'fnstenv', opcode: 0xd9, extension: 6, operands: ['Menv'], summary: 'Store the x87 environment (14 or 28 bytes by operand size), then mask all exceptions.' },
  { noWait: 'fnsave', op: 'fnsave', opcode: 0xdd, extension: 6, operands: ['Mstate'], summary: 'Store the full x87 state (94 or 108 bytes by operand size), then initialise the FPU.' },
];

function noWaitForm(operation: ControlOperation): InstructionForm {
  const attributes = operation.modrm !== undefined ? { modrm: operation.modrm } : { extension: operation.extension! };
  return form(operation.noWait, operation.opcode, operation.operands, operation.op,
    `${operation.summary} Does not wait for pending exceptions.`, attributes);
}

/** FINIT = WAIT + FNINIT and so on: the same row with the mandatory 0x9B in front. */
function waitingForm(operation: ControlOperation): InstructionForm {
  const attributes = operation.modrm !== undefined ? { modrm: operation.modrm } : { extension: operation.extension! };
  return form(`f${operation.noWait.slice(2)}`, operation.opcode, operation.operands, operation.op,
    `${operation.summary} Waits for pending exceptions first (WAIT prefix).`, { ...attributes, prefix: 0x9b });
}

const LOAD_FORMS: readonly InstructionForm[] = [
  form('fldcw', 0xd9, ['Mw'], 'fldcw', 'Load the x87 control word from memory.', { extension: 5 }),
  form('fldenv', 0xd9, ['Menv'], 'fldenv', 'Load the x87 environment (14 or 28 bytes by operand size).', { extension: 4 }),
  form('frstor', 0xdd, ['Mstate'], 'frstor', 'Load the full x87 state (94 or 108 bytes by operand size).', { extension: 4 }),
];

export const X87_CONTROL_FORMS: readonly InstructionForm[] = withAttributes([
  ...STORE_OPERATIONS.map(noWaitForm),
  ...STORE_OPERATIONS.map(waitingForm),
  ...LOAD_FORMS,
], { cpu: '387' });
