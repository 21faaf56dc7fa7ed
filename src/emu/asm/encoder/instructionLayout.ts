// Lays out one matched candidate as an encoding plan: prefixes (prefixAssembly.ts), opcode (+r),
// ModRM/SIB and a hole for the displacement, then holes for immediates, moffs, far pointers and
// relative fields in operand order. Operand values are not written here: the plan names the operand
// that fills each hole (encodingPlan.ts), so one layout serves every statement of the same shape.
// Owns: field order and sizes. Must not know: how the candidate was chosen.
// Models Intel SDM Vol. 2 §2.1 (instruction format).
import type { OperandKind } from '../../isa/instructionForm';
import type { Hole, HoleFill } from './encodingPlan';
import type { Candidate } from './formSelection';
import { absoluteOffset, memoryAddressing, modrmByte, registerAddressing, type AddressingBytes } from './modrm';
import type { PlacedOperand } from './operandMatching';
import { assemblePrefixes, type PrefixEnvironment } from './prefixAssembly';

export interface LayoutEnvironment extends PrefixEnvironment {
  /** Size GNU as types constant immediates with. */
  readonly guessSize: 8 | 16 | 32;
  /** A written data16/data32 sets the size of relative and far-pointer offsets (`data16 call` -> rel16). */
  readonly writtenDataSize?: 16 | 32;
}

/** A laid-out candidate: its bytes (zeros in the holes) and holes, as in a FixedPlan. */
export interface Layout {
  readonly bytes: readonly number[];
  readonly holes: readonly Hole[];
}

export type LayoutResult = { readonly ok: true; readonly layout: Layout } | { readonly ok: false; readonly message: string; readonly operandIndex?: number };

/** Appends fixed bytes and holes for operand values. */
class FieldWriter {
  readonly bytes: number[] = [];
  readonly holes: Hole[] = [];

  raw(bytes: readonly number[]): void {
    for (const byte of bytes) this.bytes.push(byte);
  }

  hole(operand: number, size: 1 | 2 | 4, fill: HoleFill, parameter = 0): void {
    this.holes.push({ offset: this.bytes.length, size, operand, fill, parameter });
    for (let i = 0; i < size; i++) this.bytes.push(0);
  }

  addressing(addressing: AddressingBytes, operand: number): void {
    this.raw(addressing.bytes);
    if (addressing.displacementSize !== 0) this.hole(operand, addressing.displacementSize, 'displacement', addressing.wide);
  }
}

function opcodeField(writer: FieldWriter, candidate: Candidate): void {
  const { facts, slots } = candidate;
  writer.raw(facts.opcode);
  const registerSlot = candidate.facts.opcodeRegisterSlot;
  const operand = registerSlot >= 0 ? slots[registerSlot]?.operand : undefined;
  if (operand?.kind === 'register') writer.bytes[writer.bytes.length - 1]! += operand.register.number;
}

function slotAt(candidate: Candidate, index: number): PlacedOperand | undefined {
  return index >= 0 ? candidate.slots[index] : undefined;
}

/** ModRM (+SIB, +displacement hole) when the row has one. */
function addressingField(writer: FieldWriter, candidate: Candidate, addressSize: 16 | 32): void {
  const { facts } = candidate;
  if (!facts.modrm) return;
  if (facts.fixedModrm !== undefined) return writer.raw([facts.fixedModrm]);
  const regOperand = slotAt(candidate, facts.regSlot)?.operand;
  const reg = facts.extension ?? (regOperand?.kind === 'register' ? regOperand.register.number : 0);
  const rmSlot = slotAt(candidate, facts.rmSlot);
  const rmOperand = rmSlot?.operand;
  if (rmOperand?.kind === 'memory') return writer.addressing(memoryAddressing(reg, rmOperand, addressSize), rmSlot!.index);
  if (rmOperand?.kind === 'register') return writer.addressing(registerAddressing(reg, rmOperand.register.number), -1);
  writer.raw([modrmByte(3, reg, 0)]);
}

const AAM_DEFAULT_BASE = 10;

function littleEndianNumber(value: number, size: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < size; i++) bytes.push((value >>> (8 * i)) & 0xff);
  return bytes;
}

function immediateSize(kind: OperandKind, candidate: Candidate): 1 | 2 | 4 {
  if (kind === 'Iv') return candidate.size === 16 ? 2 : 4;
  return kind === 'Iw' ? 2 : kind === 'Id' ? 4 : 1;
}

function immediateField(writer: FieldWriter, kind: OperandKind, slot: PlacedOperand | undefined, candidate: Candidate, environment: LayoutEnvironment): void {
  if (kind === '1') return;
  const size = immediateSize(kind, candidate);
  if (!slot) return writer.raw(littleEndianNumber(AAM_DEFAULT_BASE, size));
  if (slot.operand.kind !== 'immediate') return;
  writer.hole(slot.index, size, 'immediate', environment.guessSize);
}

/** Relative and far-pointer offsets follow a written data16/data32, else the operand size. */
function offsetSize(candidate: Candidate, environment: LayoutEnvironment): 2 | 4 {
  const size = environment.writtenDataSize ?? candidate.size;
  return size === 16 ? 2 : 4;
}

function fitsSigned8(value: bigint): boolean {
  return value >= -128n && value <= 127n;
}

const fitsWord = (value: bigint) => value >= -0x8000n && value <= 0xffffn;

function relativeField(writer: FieldWriter, kind: OperandKind, slot: PlacedOperand, candidate: Candidate, environment: LayoutEnvironment): string | undefined {
  if (slot.operand.kind !== 'memory') return undefined;
  const constant = slot.operand.displacementConstant;
  // loop/jecxz to an absolute address: GNU as wants it to fit the rel8 field already.
  if (kind === 'Jb' && constant !== undefined && !fitsSigned8(constant)) return `operand size mismatch for \`${candidate.form.mnemonic}'`;
  writer.hole(slot.index, kind === 'Jb' ? 1 : offsetSize(candidate, environment), 'relative');
  return undefined;
}

function farPointerField(writer: FieldWriter, slot: PlacedOperand, candidate: Candidate, environment: LayoutEnvironment): string | undefined {
  const offset = slot.operand;
  const selector = candidate.farSelector;
  if (offset.kind !== 'immediate' || selector?.operand.kind !== 'immediate') return undefined;
  const size = offsetSize(candidate, environment);
  if (size === 2 && offset.constant !== undefined && !fitsWord(offset.constant)) return '16-bit jump out of range';
  writer.hole(slot.index, size, 'raw');
  writer.hole(selector.index, 2, 'raw');
  return undefined;
}

function trailingFields(writer: FieldWriter, candidate: Candidate, environment: LayoutEnvironment, addressSize: 16 | 32): string | undefined {
  const { slots, facts } = candidate;
  for (let i = 0; i < facts.operands.length; i++) {
    const kind = facts.operands[i]!;
    const slot = slots[i];
    const location = facts.kinds[i]!.location;
    let problem: string | undefined;
    if (location === 'immediate' || kind === '1') immediateField(writer, kind, slot, candidate, environment);
    else if (location === 'relative' && slot) problem = relativeField(writer, kind, slot, candidate, environment);
    else if (location === 'memoryOffset' && slot?.operand.kind === 'memory') writer.addressing(absoluteOffset(addressSize), slot.index);
    else if (location === 'farPointer' && slot) problem = farPointerField(writer, slot, candidate, environment);
    if (problem) return problem;
  }
  return undefined;
}

/** The layout of a candidate (its encoding plan's bytes and holes), or why it cannot be encoded as written. */
export function layOut(candidate: Candidate, environment: LayoutEnvironment): LayoutResult {
  const prefixes = assemblePrefixes(candidate, environment);
  if (!prefixes.ok) return prefixes;
  const writer = new FieldWriter();
  writer.raw(prefixes.bytes);
  opcodeField(writer, candidate);
  addressingField(writer, candidate, prefixes.addressSize);
  const problem = trailingFields(writer, candidate, environment, prefixes.addressSize);
  if (problem) return { ok: false, message: problem };
  return { ok: true, layout: writer };
}
