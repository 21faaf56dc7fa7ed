// Table rows for the integer arithmetic and logic family: the eight ALU operations, INC/DEC,
// NEG/NOT, TEST, MUL/IMUL/DIV/IDIV, the BCD adjustments, and the shift/rotate groups.
// Owns: opcodes, operand kinds and GNU-as-emittability of these rows, in GNU as's order of preference.
// Must not know: encoding or execution. Models Intel SDM Vol. 2 (ADD ... XOR, INC, DEC, NEG, NOT,
// TEST, MUL, IMUL, DIV, IDIV, DAA, DAS, AAA, AAS, AAM, AAD, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR) and
// Appendix A.4 opcode groups 1, 2, 3, 4, 5.
import type { InstructionForm } from '../instructionForm';
import { form } from './formBuilder';

interface AluOperation {
  readonly name: string;
  readonly summary: string;
  readonly lockable: boolean;
}

/** The eight ALU operations in their opcode order (bits 5..3 of 00-3F, and /digit of 80-83). */
const ALU_OPERATIONS: readonly AluOperation[] = [
  { name: 'add', summary: 'Add: dest = dest + src; sets OF SF ZF AF CF PF.', lockable: true },
  { name: 'or', summary: 'Bitwise OR: dest = dest | src; clears OF CF, sets SF ZF PF.', lockable: true },
  { name: 'adc', summary: 'Add with carry: dest = dest + src + CF; sets OF SF ZF AF CF PF.', lockable: true },
  { name: 'sbb', summary: 'Subtract with borrow: dest = dest - (src + CF); sets OF SF ZF AF CF PF.', lockable: true },
  { name: 'and', summary: 'Bitwise AND: dest = dest & src; clears OF CF, sets SF ZF PF.', lockable: true },
  { name: 'sub', summary: 'Subtract: dest = dest - src; sets OF SF ZF AF CF PF.', lockable: true },
  { name: 'xor', summary: 'Bitwise XOR: dest = dest ^ src; clears OF CF, sets SF ZF PF.', lockable: true },
  { name: 'cmp', summary: 'Compare: computes dest - src for the flags only; sets OF SF ZF AF CF PF.', lockable: false },
];

function aluForms(operation: AluOperation, index: number): InstructionForm[] {
  const { name, summary } = operation;
  const base = index * 8;
  const lock = operation.lockable ? { lockable: true } : {};
  return [
    form(name, base + 0x00, ['Eb', 'Gb'], name, summary, lock),
    form(name, base + 0x01, ['Ev', 'Gv'], name, summary, lock),
    form(name, base + 0x02, ['Gb', 'Eb'], name, summary),
    form(name, base + 0x03, ['Gv', 'Ev'], name, summary),
    form(name, 0x83, ['Ev', 'sIb'], name, `${summary} The immediate is a sign-extended byte.`, { extension: index, ...lock }),
    form(name, base + 0x04, ['AL', 'Ib'], name, `${summary} Short form for AL.`),
    form(name, base + 0x05, ['eAX', 'Iv'], name, `${summary} Short form for eAX.`),
    form(name, 0x80, ['Eb', 'Ib'], name, summary, { extension: index, ...lock }),
    form(name, 0x81, ['Ev', 'Iv'], name, summary, { extension: index, ...lock }),
    form(name, 0x82, ['Eb', 'Ib'], name, `${summary} Undocumented alias of 80 /${index}.`, { extension: index, decodeOnly: true, ...lock }),
  ];
}

const INC_SUMMARY = 'Increment by one; sets OF SF ZF AF PF, leaves CF unchanged.';
const DEC_SUMMARY = 'Decrement by one; sets OF SF ZF AF PF, leaves CF unchanged.';

const INC_DEC_FORMS: readonly InstructionForm[] = [
  form('inc', 0x40, ['Zv'], 'inc', INC_SUMMARY),
  form('inc', 0xfe, ['Eb'], 'inc', INC_SUMMARY, { extension: 0, lockable: true }),
  form('inc', 0xff, ['Ev'], 'inc', INC_SUMMARY, { extension: 0, lockable: true }),
  form('dec', 0x48, ['Zv'], 'dec', DEC_SUMMARY),
  form('dec', 0xfe, ['Eb'], 'dec', DEC_SUMMARY, { extension: 1, lockable: true }),
  form('dec', 0xff, ['Ev'], 'dec', DEC_SUMMARY, { extension: 1, lockable: true }),
];

const TEST_SUMMARY = 'Logical compare: computes dest & src for the flags only; clears OF CF, sets SF ZF PF.';

/** Group 3 (F6/F7) plus the TEST forms outside it. */
const GROUP3_FORMS: readonly InstructionForm[] = [
  form('test', 0x84, ['Eb', 'Gb'], 'test', TEST_SUMMARY),
  form('test', 0x85, ['Ev', 'Gv'], 'test', TEST_SUMMARY),
  form('test', 0xa8, ['AL', 'Ib'], 'test', `${TEST_SUMMARY} Short form for AL.`),
  form('test', 0xa9, ['eAX', 'Iv'], 'test', `${TEST_SUMMARY} Short form for eAX.`),
  form('test', 0xf6, ['Eb', 'Ib'], 'test', TEST_SUMMARY, { extension: 0 }),
  form('test', 0xf7, ['Ev', 'Iv'], 'test', TEST_SUMMARY, { extension: 0 }),
  form('test', 0xf6, ['Eb', 'Ib'], 'test', `${TEST_SUMMARY} Undocumented alias of F6 /0.`, { extension: 1, decodeOnly: true }),
  form('test', 0xf7, ['Ev', 'Iv'], 'test', `${TEST_SUMMARY} Undocumented alias of F7 /0.`, { extension: 1, decodeOnly: true }),
  form('not', 0xf6, ['Eb'], 'not', 'One\'s complement: dest = ~dest; flags unchanged.', { extension: 2, lockable: true }),
  form('not', 0xf7, ['Ev'], 'not', 'One\'s complement: dest = ~dest; flags unchanged.', { extension: 2, lockable: true }),
  form('neg', 0xf6, ['Eb'], 'neg', 'Two\'s complement negation: dest = 0 - dest; CF = (dest != 0).', { extension: 3, lockable: true }),
  form('neg', 0xf7, ['Ev'], 'neg', 'Two\'s complement negation: dest = 0 - dest; CF = (dest != 0).', { extension: 3, lockable: true }),
  form('mul', 0xf6, ['Eb'], 'mul', 'Unsigned multiply: AX = AL * src; CF=OF=1 when AH is not zero.', { extension: 4 }),
  form('mul', 0xf7, ['Ev'], 'mul', 'Unsigned multiply: eDX:eAX = eAX * src; CF=OF=1 when eDX is not zero.', { extension: 4 }),
  form('imul', 0xf6, ['Eb'], 'imul', 'Signed multiply: AX = AL * src; CF=OF=1 when AH is significant.', { extension: 5 }),
  form('imul', 0xf7, ['Ev'], 'imul', 'Signed multiply: eDX:eAX = eAX * src; CF=OF=1 when eDX is significant.', { extension: 5 }),
  form('div', 0xf6, ['Eb'], 'div', 'Unsigned divide AX by src: AL = quotient, AH = remainder; #DE on zero or overflow.', { extension: 6 }),
  form('div', 0xf7, ['Ev'], 'div', 'Unsigned divide eDX:eAX by src: eAX = quotient, eDX = remainder; #DE on zero or overflow.', { extension: 6 }),
  form('idiv', 0xf6, ['Eb'], 'idiv', 'Signed divide AX by src: AL = quotient, AH = remainder; #DE on zero or overflow.', { extension: 7 }),
  form('idiv', 0xf7, ['Ev'], 'idiv', 'Signed divide eDX:eAX by src: eAX = quotient, eDX = remainder; #DE on zero or overflow.', { extension: 7 }),
];

const IMUL_TWO_SUMMARY = 'Signed multiply, truncated to the destination size; CF=OF=1 when the result was truncated.';

const IMUL_FORMS: readonly InstructionForm[] = [
  form('imul', [0x0f, 0xaf], ['Gv', 'Ev'], 'imul', `${IMUL_TWO_SUMMARY} dest = dest * src.`),
  form('imul', 0x6b, ['Gv', 'Ev', 'sIb'], 'imul', `${IMUL_TWO_SUMMARY} dest = src * sign-extended imm8.`),
  form('imul', 0x69, ['Gv', 'Ev', 'Iv'], 'imul', `${IMUL_TWO_SUMMARY} dest = src * imm.`),
];

const BCD_FORMS: readonly InstructionForm[] = [
  form('daa', 0x27, [], 'daa', 'Decimal adjust AL after a packed-BCD addition.'),
  form('das', 0x2f, [], 'das', 'Decimal adjust AL after a packed-BCD subtraction.'),
  form('aaa', 0x37, [], 'aaa', 'ASCII adjust AL/AH after an unpacked-BCD addition.'),
  form('aas', 0x3f, [], 'aas', 'ASCII adjust AL/AH after an unpacked-BCD subtraction.'),
  form('aam', 0xd4, ['Ib'], 'aam', 'ASCII adjust after multiply: AH = AL / base, AL = AL % base (base 10 unless given); #DE if base is 0.'),
  form('aad', 0xd5, ['Ib'], 'aad', 'ASCII adjust before divide: AL = AH * base + AL, AH = 0 (base 10 unless given).'),
  form('salc', 0xd6, [], 'salc', 'Undocumented: AL = CF ? 0xFF : 0x00; flags unchanged. GNU as has no mnemonic for it.', { decodeOnly: true }),
];

interface ShiftOperation {
  readonly name: string;
  readonly summary: string;
}

/** Group 2 in /digit order; /6 is the undocumented SAL alias of /4. */
const SHIFT_OPERATIONS: readonly ShiftOperation[] = [
  { name: 'rol', summary: 'Rotate left; CF = bit rotated out, OF defined for counts of 1.' },
  { name: 'ror', summary: 'Rotate right; CF = bit rotated out, OF defined for counts of 1.' },
  { name: 'rcl', summary: 'Rotate left through CF.' },
  { name: 'rcr', summary: 'Rotate right through CF.' },
  { name: 'shl', summary: 'Shift left (= SAL); CF = last bit shifted out; sets SF ZF PF.' },
  { name: 'shr', summary: 'Logical shift right; CF = last bit shifted out; sets SF ZF PF.' },
  { name: 'sal', summary: 'Shift left: undocumented alias of SHL (/4).' },
  { name: 'sar', summary: 'Arithmetic shift right (sign fills); CF = last bit shifted out.' },
];

function shiftForms(operation: ShiftOperation, extension: number): InstructionForm[] {
  const { name, summary } = operation;
  const alias = extension === 6;
  const op = alias ? 'shl' : name;
  const attributes = alias ? { extension, decodeOnly: true } : { extension };
  return [
    form(name, 0xd0, ['Eb', '1'], op, `${summary} By one.`, attributes),
    form(name, 0xd1, ['Ev', '1'], op, `${summary} By one.`, attributes),
    form(name, 0xd2, ['Eb', 'CL'], op, `${summary} By CL (mod 32).`, attributes),
    form(name, 0xd3, ['Ev', 'CL'], op, `${summary} By CL (mod 32).`, attributes),
    form(name, 0xc0, ['Eb', 'Ib'], op, `${summary} By imm8 (mod 32).`, attributes),
    form(name, 0xc1, ['Ev', 'Ib'], op, `${summary} By imm8 (mod 32).`, attributes),
  ];
}

export const ARITHMETIC_FORMS: readonly InstructionForm[] = [
  ...ALU_OPERATIONS.flatMap(aluForms),
  ...INC_DEC_FORMS,
  ...GROUP3_FORMS,
  ...IMUL_FORMS,
  ...BCD_FORMS,
  ...SHIFT_OPERATIONS.flatMap(shiftForms),
];
