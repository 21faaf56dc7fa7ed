// Our decoder's reading of an encoding in the same canonical form as icedView.ts: the row's
// mnemonic and its operands from the row's operand kinds and the decoded Instruction fields.
// Must not know: iced-x86.
import type { Instruction } from '../../../src/emu/cpu/instruction';
import { OPERAND_KIND_INFO } from '../../../src/emu/isa/operandKinds';
import type { OperandKind } from '../../../src/emu/isa/instructionForm';
import { GPR16_NAMES, GPR32_NAMES, GPR8_NAMES, SEGMENT_REGISTERS } from '../../../src/emu/isa/registers';
import { memoryText } from './icedView';

function gpr(n: number, bits: number): string {
  return (bits === 8 ? GPR8_NAMES : bits === 16 ? GPR16_NAMES : GPR32_NAMES)[n]!;
}

/** iced names the register of these Ew forms by the operand size (its r32m16 forms). */
const OPERAND_SIZE_NAMED: ReadonlySet<string> = new Set(['arpl', 'lldt', 'ltr', 'lmsw', 'verr', 'verw']);

function namesByOperandSize(instruction: Instruction): boolean {
  return OPERAND_SIZE_NAMED.has(instruction.form!.op);
}

function bitsOf(kind: OperandKind, instruction: Instruction): number {
  const width = OPERAND_KIND_INFO[kind].width;
  if (width === 'v') return instruction.opsize32 ? 32 : 16;
  return typeof width === 'number' ? width : 32;
}

function memory(instruction: Instruction): string {
  const names = instruction.addrsize32 ? GPR32_NAMES : GPR16_NAMES;
  const base = instruction.eaBase >= 0 ? names[instruction.eaBase]! : '';
  const index = instruction.eaIndex >= 0 ? names[instruction.eaIndex]! : '';
  return memoryText(SEGMENT_REGISTERS[instruction.segment]!, base, index, 1 << instruction.eaScale, instruction.eaDisp, !instruction.addrsize32);
}

function immediate(kind: OperandKind, value: number, instruction: Instruction): string {
  const mask = kind === 'Ib' ? 0xff : kind === 'Iw' || (!instruction.opsize32 && (kind === 'Iv' || kind === 'sIb')) ? 0xffff : 0xffffffff;
  return `i${((value & mask) >>> 0).toString(16)}`;
}

function implicit(kind: OperandKind, instruction: Instruction): string {
  if (kind === '1') return 'i1';
  if (kind === 'eAX') return instruction.opsize32 ? 'eax' : 'ax';
  if (kind === 'ST0') return 'st0';
  return OPERAND_KIND_INFO[kind].fixedRegister!;
}

function operand(kind: OperandKind, instruction: Instruction, address: number, immediates: { next: number }): string {
  const info = OPERAND_KIND_INFO[kind];
  switch (info.location) {
    case 'rm':
      if (instruction.mod !== 3) return memory(instruction);
      return gpr(instruction.rm, kind === 'MwRv' || namesByOperandSize(instruction) ? (instruction.opsize32 ? 32 : 16) : bitsOf(kind, instruction));
    case 'reg':
      if (kind === 'Sw') return SEGMENT_REGISTERS[instruction.reg]!;
      if (kind === 'Cd') return `cr${instruction.reg}`;
      if (kind === 'Dd') return `dr${instruction.reg}`;
      if (kind === 'Td') return `tr${instruction.reg}`;
      return gpr(instruction.reg, namesByOperandSize(instruction) ? (instruction.opsize32 ? 32 : 16) : bitsOf(kind, instruction));
    case 'opcodeRegister':
      // BSWAP with a 16-bit operand size names the 16-bit register (its result is undefined).
      return gpr(instruction.rm, kind === 'Zd' && !instruction.opsize32 ? 16 : bitsOf(kind, instruction));
    case 'immediate':
      return immediate(kind, immediates.next++ === 0 ? instruction.imm : instruction.imm2, instruction);
    case 'relative': {
      const target = address + instruction.length + instruction.imm;
      return `near ${(instruction.opsize32 ? target >>> 0 : target & 0xffff).toString(16)}`;
    }
    case 'farPointer':
      return `far ${instruction.imm2.toString(16)}:${(instruction.imm >>> 0).toString(16)}`;
    case 'memoryOffset':
      return memory(instruction);
    case 'string':
      return kind[0] === 'X'
        ? `m[${SEGMENT_REGISTERS[instruction.segment]}:${instruction.addrsize32 ? 'esi' : 'si'}]`
        : `m[es:${instruction.addrsize32 ? 'edi' : 'di'}]`;
    default:
      return implicit(kind, instruction);
  }
}

export function ourOperands(instruction: Instruction, address: number): string[] {
  const immediates = { next: 0 };
  return instruction.form!.operands.map((kind) => operand(kind, instruction, address, immediates));
}
