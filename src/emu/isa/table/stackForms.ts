// Table rows for the stack: PUSH/POP of registers, memory, immediates and segment registers,
// PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE.
// Owns: opcodes and operand kinds of these rows. Must not know: encoding or execution.
// Models Intel SDM Vol. 2 (PUSH, POP, PUSHA/PUSHAD, POPA/POPAD, PUSHF/PUSHFD, POPF/POPFD, ENTER,
// LEAVE) and Vol. 1 §6.2 (stack operand size follows the operand-size attribute).
import type { InstructionForm, OperandKind } from '../instructionForm';
import { form } from './formBuilder';

const PUSH_SUMMARY = 'Push onto the stack: eSP -= operand size, then store.';
const POP_SUMMARY = 'Pop from the stack: load, then eSP += operand size.';

const GENERAL_FORMS: readonly InstructionForm[] = [
  form('push', 0x50, ['Zv'], 'push', PUSH_SUMMARY),
  form('push', 0xff, ['Ev'], 'push', PUSH_SUMMARY, { extension: 6 }),
  form('push', 0x6a, ['sIb'], 'push', `${PUSH_SUMMARY} The immediate is a sign-extended byte.`),
  form('push', 0x68, ['Iv'], 'push', PUSH_SUMMARY),
  form('pop', 0x58, ['Zv'], 'pop', POP_SUMMARY),
  form('pop', 0x8f, ['Ev'], 'pop', `${POP_SUMMARY} A memory destination using eSP is addressed after the increment.`, { extension: 0 }),
];

interface SegmentStackOpcodes {
  readonly register: OperandKind;
  readonly push: readonly number[];
  readonly pop?: readonly number[];
}

/** POP CS (0F) does not exist after the 8086: 0F is the two-byte escape. */
const SEGMENT_STACK_OPCODES: readonly SegmentStackOpcodes[] = [
  { register: 'ES', push: [0x06], pop: [0x07] },
  { register: 'CS', push: [0x0e] },
  { register: 'SS', push: [0x16], pop: [0x17] },
  { register: 'DS', push: [0x1e], pop: [0x1f] },
  { register: 'FS', push: [0x0f, 0xa0], pop: [0x0f, 0xa1] },
  { register: 'GS', push: [0x0f, 0xa8], pop: [0x0f, 0xa9] },
];

function segmentStackForms(entry: SegmentStackOpcodes): InstructionForm[] {
  const rows = [
    form('push', entry.push, [entry.register], 'push_sreg',
      'Push a segment selector; with a 32-bit operand size the slot is 4 bytes (upper half zeroed here).'),
  ];
  if (entry.pop) {
    const popSummary = entry.register === 'SS'
      ? 'Pop a selector into SS (full segment load checks); interrupts are inhibited for one instruction.'
      : 'Pop a selector into the segment register (full segment load checks; null is allowed).';
    rows.push(form('pop', entry.pop, [entry.register], 'pop_sreg', popSummary));
  }
  return rows;
}

const BLOCK_FORMS: readonly InstructionForm[] = [
  form('pusha', 0x60, [], 'pusha', 'Push AX CX DX BX (original SP) BP SI DI.', { operandSize: 16 }),
  form('pushad', 0x60, [], 'pusha', 'Push EAX ECX EDX EBX (original ESP) EBP ESI EDI.', { operandSize: 32 }),
  form('popa', 0x61, [], 'popa', 'Pop DI SI BP (skip SP) BX DX CX AX.', { operandSize: 16 }),
  form('popad', 0x61, [], 'popa', 'Pop EDI ESI EBP (skip ESP) EBX EDX ECX EAX.', { operandSize: 32 }),
  form('pushf', 0x9c, [], 'pushf', 'Push the low 16 bits of EFLAGS.', { operandSize: 16 }),
  form('pushfd', 0x9c, [], 'pushf', 'Push EFLAGS with VM and RF cleared.', { operandSize: 32 }),
  form('popf', 0x9d, [], 'popf', 'Pop into the low 16 bits of EFLAGS; IOPL only at CPL 0, IF only when CPL <= IOPL.', { operandSize: 16 }),
  form('popfd', 0x9d, [], 'popf', 'Pop into EFLAGS; IOPL only at CPL 0, IF only when CPL <= IOPL; VM and RF are not changed.', { operandSize: 32 }),
];

const FRAME_FORMS: readonly InstructionForm[] = [
  form('enter', 0xc8, ['Iw', 'Ib'], 'enter', 'Make a stack frame: push eBP, copy (level) outer frame pointers, eBP = frame, eSP -= size.'),
  form('leave', 0xc9, [], 'leave', 'Release a stack frame: eSP = eBP, then pop eBP.'),
];

export const STACK_FORMS: readonly InstructionForm[] = [
  ...GENERAL_FORMS,
  ...SEGMENT_STACK_OPCODES.flatMap(segmentStackForms),
  ...BLOCK_FORMS,
  ...FRAME_FORMS,
];
