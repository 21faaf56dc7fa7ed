// Builds a sample machine encoding for a table row (prefixes + opcode + ModRM + immediates), once
// with a register and once with a memory ModRM operand, at each operand size, and decodes it with
// iced-x86 in 32-bit mode. The table test checks the decode against the row; the encoder tests use
// the decoded Code to recognise which row an encoding belongs to.
import { Decoder, DecoderOptions, type Instruction } from 'iced-x86';
import type { InstructionForm, OperandKind } from '../../src/emu/isa/instructionForm';
import { OPERAND_KIND_INFO, isOperandSizeDependent, rmMode } from '../../src/emu/isa/operandKinds';

export type RmVariant = 'register' | 'memory' | 'none';

export interface RowSample {
  readonly row: InstructionForm;
  readonly size: 16 | 32 | undefined;
  readonly variant: RmVariant;
  readonly bytes: Uint8Array;
}

/** Register numbers used in samples: ECX in ModRM.rm / opcode, EDX (or a valid special register) in ModRM.reg. */
const RM_REGISTER = 1;
const RM_MEMORY_EBX = 3;
const OPCODE_REGISTER = 1;

function regField(kind: OperandKind | undefined): number {
  switch (kind) {
    case 'Sw': return 3; // DS
    case 'Cd': return 0; // CR0
    case 'Dd': return 7; // DR7
    case 'Td': return 6; // TR6
    default: return 2;
  }
}

function immediateBytes(kind: OperandKind, size: 16 | 32): number[] {
  const wide = size === 16 ? [0x34, 0x12] : [0x78, 0x56, 0x34, 0x12];
  switch (kind) {
    case 'Ib': case 'sIb': case 'Jb': return [0x12];
    case 'Iw': return [0x34, 0x12];
    case 'Id': return [0x78, 0x56, 0x34, 0x12];
    case 'Iv': case 'Jv': return wide;
    case 'Ap': return [...wide, 0x10, 0x00];
    case 'Ob': case 'Ov': return [0x00, 0x10, 0x00, 0x00];
    default: return [];
  }
}

export function sampleBytes(row: InstructionForm, size: 16 | 32 | undefined, variant: RmVariant): Uint8Array {
  const bytes: number[] = [];
  if (row.prefix !== undefined) bytes.push(row.prefix);
  if (size === 16) bytes.push(0x66);
  if (row.addressSize === 16) bytes.push(0x67);
  const opcode = [...row.opcode];
  if (row.operands.some((k) => OPERAND_KIND_INFO[k].location === 'opcodeRegister')) opcode[opcode.length - 1]! += OPCODE_REGISTER;
  bytes.push(...opcode);
  if (row.modrm !== undefined) bytes.push(row.modrm);
  else if (variant !== 'none') {
    const regKind = row.operands.find((k) => OPERAND_KIND_INFO[k].location === 'reg');
    const reg = row.extension ?? regField(regKind);
    bytes.push(variant === 'register' ? 0xc0 | (reg << 3) | RM_REGISTER : (reg << 3) | RM_MEMORY_EBX);
  }
  for (const kind of row.operands) bytes.push(...immediateBytes(kind, size ?? 32));
  return Uint8Array.from(bytes);
}

function variantsOf(row: InstructionForm): RmVariant[] {
  const mode = rmMode(row);
  if (mode === undefined || row.modrm !== undefined) return ['none'];
  return mode === 'either' ? ['register', 'memory'] : [mode];
}

function sizesOf(row: InstructionForm): (16 | 32 | undefined)[] {
  if (row.operandSize !== undefined) return [row.operandSize];
  return isOperandSizeDependent(row) ? [16, 32] : [undefined];
}

export function rowSamples(row: InstructionForm): RowSample[] {
  return sizesOf(row).flatMap((size) => variantsOf(row).map((variant) => ({ row, size, variant, bytes: sampleBytes(row, size, variant) })));
}

/** Decoder options: MOV to/from test registers exist on the 386/486 the table covers. */
export const DECODER_OPTIONS = DecoderOptions.MovTr;

/** Decodes the first instruction of `bytes` in 32-bit mode. The caller owns nothing: values are copied out. */
export function decode32<T>(bytes: Uint8Array, read: (instruction: Instruction, length: number) => T): T {
  const decoder = new Decoder(32, bytes, DECODER_OPTIONS);
  const instruction = decoder.decode();
  try {
    return read(instruction, instruction.length);
  } finally {
    instruction.free();
    decoder.free();
  }
}
