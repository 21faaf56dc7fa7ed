// Lays out one matched candidate as bytes: prefixes (prefixAssembly.ts), opcode (+r), ModRM/SIB/
// displacement, then immediates, moffs, far pointers and relative fields in operand order, with a
// Fixup for every field whose value is not a constant yet.
// Owns: field order and sizes. Must not know: how the candidate was chosen.
// Models Intel SDM Vol. 2 §2.1 (instruction format).
import type { Expr } from '../expression';
import type { Fixup } from './encoderContract';
import type { OperandKind } from '../../isa/instructionForm';
import { OPERAND_KIND_INFO, usesModRM } from '../../isa/operandKinds';
import type { Candidate } from './formSelection';
import { constantImmediateTypes, truncateToField } from './immediateTypes';
import { absoluteOffset, littleEndian, memoryAddressing, modrmByte, registerAddressing, type AddressingBytes } from './modrm';
import type { PlacedOperand } from './operandMatching';
import { assemblePrefixes, type PrefixEnvironment } from './prefixAssembly';

export interface LayoutEnvironment extends PrefixEnvironment {
  /** Size GNU as types constant immediates with. */
  readonly guessSize: 8 | 16 | 32;
  /** A written data16/data32 sets the size of relative and far-pointer offsets (`data16 call` -> rel16). */
  readonly writtenDataSize?: 16 | 32;
}

export interface Layout {
  readonly bytes: number[];
  readonly fixups: Fixup[];
}

export type LayoutResult = { readonly ok: true; readonly layout: Layout } | { readonly ok: false; readonly message: string; readonly operandIndex?: number };

/** Appends fields, turning values that are not constants yet into fixups at the right offsets. */
class FieldWriter {
  readonly bytes: number[] = [];
  readonly fixups: Fixup[] = [];

  raw(bytes: readonly number[]): void {
    this.bytes.push(...bytes);
  }

  addressing(addressing: AddressingBytes): void {
    const start = this.bytes.length;
    this.raw(addressing.bytes);
    const fixup = addressing.displacementFixup;
    if (fixup) this.fixups.push({ offset: start + fixup.offset, size: fixup.size, pcRelative: false, range: 'either', value: fixup.value });
  }

  field(value: Expr, constant: bigint | undefined, size: 1 | 2 | 4, pcRelative: boolean): void {
    if (constant !== undefined && !pcRelative) {
      this.raw(littleEndian(truncateToField(constant, size), size));
      return;
    }
    const range = size === 4 ? 'either' : pcRelative ? 'signed' : 'either';
    this.fixups.push({ offset: this.bytes.length, size, pcRelative, range, value });
    this.raw(new Array<number>(size).fill(0));
  }
}

function opcodeBytes(candidate: Candidate): number[] {
  const { form, slots } = candidate;
  const bytes = [...form.opcode];
  const registerSlot = form.operands.findIndex((kind) => OPERAND_KIND_INFO[kind].location === 'opcodeRegister');
  const operand = registerSlot >= 0 ? slots[registerSlot]?.operand : undefined;
  if (operand?.kind === 'register') bytes[bytes.length - 1]! += operand.register.number;
  return bytes;
}

function slotAt(candidate: Candidate, location: 'reg' | 'rm'): PlacedOperand | undefined {
  const index = candidate.form.operands.findIndex((kind) => OPERAND_KIND_INFO[kind].location === location);
  return index >= 0 ? candidate.slots[index] : undefined;
}

function addressingBytes(candidate: Candidate, addressSize: 16 | 32): AddressingBytes | undefined {
  const { form } = candidate;
  if (!usesModRM(form)) return undefined;
  if (form.modrm !== undefined) return { bytes: [form.modrm] };
  const regOperand = slotAt(candidate, 'reg')?.operand;
  const reg = form.extension ?? (regOperand?.kind === 'register' ? regOperand.register.number : 0);
  const rmOperand = slotAt(candidate, 'rm')?.operand;
  if (rmOperand?.kind === 'memory') return memoryAddressing(reg, rmOperand, addressSize);
  if (rmOperand?.kind === 'register') return registerAddressing(reg, rmOperand.register.number);
  return { bytes: [modrmByte(3, reg, 0)] };
}

const AAM_DEFAULT_BASE = 10n;

function immediateSize(kind: OperandKind, candidate: Candidate): 1 | 2 | 4 {
  if (kind === 'Iv') return candidate.size === 16 ? 2 : 4;
  return kind === 'Iw' ? 2 : kind === 'Id' ? 4 : 1;
}

function immediateField(writer: FieldWriter, kind: OperandKind, slot: PlacedOperand | undefined, candidate: Candidate, environment: LayoutEnvironment): void {
  if (kind === '1') return;
  const size = immediateSize(kind, candidate);
  if (!slot) return writer.raw(littleEndian(AAM_DEFAULT_BASE, size));
  const operand = slot.operand;
  if (operand.kind !== 'immediate') return;
  const constant = operand.constant === undefined ? undefined : constantImmediateTypes(operand.constant, environment.guessSize).value;
  writer.field(operand.value, constant, size, false);
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
  writer.field(slot.operand.operand.displacement!, undefined, kind === 'Jb' ? 1 : offsetSize(candidate, environment), true);
  return undefined;
}

function farPointerField(writer: FieldWriter, slot: PlacedOperand, candidate: Candidate, environment: LayoutEnvironment): string | undefined {
  const offset = slot.operand;
  const selector = candidate.farSelector?.operand;
  if (offset.kind !== 'immediate' || selector?.kind !== 'immediate') return undefined;
  const size = offsetSize(candidate, environment);
  if (size === 2 && offset.constant !== undefined && !fitsWord(offset.constant)) return '16-bit jump out of range';
  writer.field(offset.value, offset.constant, size, false);
  writer.field(selector.value, selector.constant, 2, false);
  return undefined;
}

function trailingFields(writer: FieldWriter, candidate: Candidate, environment: LayoutEnvironment, addressSize: 16 | 32): string | undefined {
  const { form, slots } = candidate;
  for (let i = 0; i < form.operands.length; i++) {
    const kind = form.operands[i]!;
    const slot = slots[i];
    const location = OPERAND_KIND_INFO[kind].location;
    let problem: string | undefined;
    if (location === 'immediate' || kind === '1') immediateField(writer, kind, slot, candidate, environment);
    else if (location === 'relative' && slot) problem = relativeField(writer, kind, slot, candidate, environment);
    else if (location === 'memoryOffset' && slot?.operand.kind === 'memory') writer.addressing(absoluteOffset(slot.operand, addressSize));
    else if (location === 'farPointer' && slot) problem = farPointerField(writer, slot, candidate, environment);
    if (problem) return problem;
  }
  return undefined;
}

/** The complete encoding of a candidate, or why it cannot be encoded as written. */
export function layOut(candidate: Candidate, environment: LayoutEnvironment): LayoutResult {
  const prefixes = assemblePrefixes(candidate, environment);
  if (!prefixes.ok) return prefixes;
  const writer = new FieldWriter();
  writer.raw(prefixes.bytes);
  writer.raw(opcodeBytes(candidate));
  const addressing = addressingBytes(candidate, prefixes.addressSize);
  if (addressing) writer.addressing(addressing);
  const problem = trailingFields(writer, candidate, environment, prefixes.addressSize);
  if (problem) return { ok: false, message: problem };
  return { ok: true, layout: { bytes: writer.bytes, fixups: writer.fixups } };
}
