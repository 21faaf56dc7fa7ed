// ModRM, SIB and displacement bytes for register and memory operands, 32-bit and 16-bit addressing,
// with GNU as's displacement choices: no displacement for a constant 0 (except with an EBP/BP
// base), disp8 for constants in -128..127, disp32/disp16 otherwise or when not yet known.
// Owns: the addressing-form tables and displacement sizing. Must not know: which instruction this is.
// Models Intel SDM Vol. 2 §2.1.5, Tables 2-1 (16-bit ModRM), 2-2 (32-bit ModRM) and 2-3 (SIB).
import type { Expr } from '../expression';
import { extendTo32BitAddress } from './immediateTypes';
import type { ClassifiedMemory } from './operandClassification';

const REG_ESP = 4;
const REG_EBP = 5;
const SIB_NO_BASE = 5;
const SIB_NO_INDEX = 4;
const RM_SIB = 4;
const RM_DISP32 = 5;
const RM16_DISP16 = 6;

export interface AddressingBytes {
  /** ModRM, then SIB if any, then the displacement (zeros when it is a fixup). */
  readonly bytes: readonly number[];
  /** Where a displacement fixup goes, relative to the ModRM byte. */
  readonly displacementFixup?: { readonly offset: number; readonly size: 2 | 4; readonly value: Expr };
}

export function modrmByte(mod: number, reg: number, rm: number): number {
  return (mod << 6) | ((reg & 7) << 3) | (rm & 7);
}

/** mod=3: the register itself. */
export function registerAddressing(reg: number, rmRegister: number): AddressingBytes {
  return { bytes: [modrmByte(3, reg, rmRegister)] };
}

function fitsSigned8(value: bigint): boolean {
  return value >= -128n && value <= 127n;
}

function littleEndian(value: bigint, size: number): number[] {
  const bytes: number[] = [];
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return bytes;
}

type DisplacementSize = 0 | 1 | 2 | 4;

interface Displacement {
  readonly size: DisplacementSize;
  readonly constant: bigint;
  readonly symbolic?: Expr;
}

/** GNU as's displacement size for a base/index address (`wide` = 4 or 2 bytes). */
function chooseDisplacement(memory: ClassifiedMemory, wide: 2 | 4, needsByteForZero: boolean): Displacement {
  const expr = memory.operand.displacement;
  if (memory.displacementConstant === undefined && expr) return { size: wide, constant: 0n, symbolic: expr };
  const constant = normalize(memory.displacementConstant ?? 0n, wide);
  if (constant === 0n && !needsByteForZero) return { size: 0, constant };
  if (fitsSigned8(constant)) return { size: 1, constant };
  return { size: wide, constant };
}

function normalize(value: bigint, wide: 2 | 4): bigint {
  const folded = extendTo32BitAddress(value);
  if (wide === 2 && folded >= 0n && folded <= 0xffffn) return BigInt.asIntN(16, folded);
  return folded;
}

/** A displacement that is always full width (absolute address, or index without base). */
function fullDisplacement(memory: ClassifiedMemory, wide: 2 | 4): Displacement {
  const expr = memory.operand.displacement;
  if (memory.displacementConstant === undefined && expr) return { size: wide, constant: 0n, symbolic: expr };
  return { size: wide, constant: normalize(memory.displacementConstant ?? 0n, wide) };
}

function modFor(size: DisplacementSize): number {
  return size === 0 ? 0 : size === 1 ? 1 : 2;
}

function assemble(head: number[], displacement: Displacement): AddressingBytes {
  const bytes = [...head, ...littleEndian(displacement.constant, displacement.size)];
  if (!displacement.symbolic) return { bytes };
  const size = displacement.size as 2 | 4;
  return { bytes, displacementFixup: { offset: head.length, size, value: displacement.symbolic } };
}

const SCALE_BITS: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };

function addressing32(reg: number, memory: ClassifiedMemory): AddressingBytes {
  const { base, index } = memory;
  if (!base && !index) return assemble([modrmByte(0, reg, RM_DISP32)], fullDisplacement(memory, 4));
  const scale = SCALE_BITS[memory.operand.scale] ?? 0;
  if (!base) {
    const sib = (scale << 6) | (index!.number << 3) | SIB_NO_BASE;
    return assemble([modrmByte(0, reg, RM_SIB), sib], fullDisplacement(memory, 4));
  }
  const displacement = chooseDisplacement(memory, 4, base.number === REG_EBP);
  const mod = modFor(displacement.size);
  if (!index && base.number !== REG_ESP) return assemble([modrmByte(mod, reg, base.number)], displacement);
  const sib = (scale << 6) | ((index ? index.number : SIB_NO_INDEX) << 3) | base.number;
  return assemble([modrmByte(mod, reg, RM_SIB), sib], displacement);
}

/** Table 2-1 rm values by base+index register names. */
const RM16: Readonly<Record<string, number>> = {
  'bx+si': 0, 'bx+di': 1, 'bp+si': 2, 'bp+di': 3, si: 4, di: 5, bp: 6, bx: 7,
};

function addressing16(reg: number, memory: ClassifiedMemory): AddressingBytes {
  const { base, index } = memory;
  if (!base && !index) return assemble([modrmByte(0, reg, RM16_DISP16)], fullDisplacement(memory, 2));
  const key = index ? `${base!.name}+${index.name}` : base!.name;
  const rm = RM16[key]!;
  const displacement = chooseDisplacement(memory, 2, rm === RM16_DISP16);
  return assemble([modrmByte(modFor(displacement.size), reg, rm)], displacement);
}

/** ModRM (+SIB, +displacement) for a memory operand at the given address size. */
export function memoryAddressing(reg: number, memory: ClassifiedMemory, addressSize: 16 | 32): AddressingBytes {
  return addressSize === 16 ? addressing16(reg, memory) : addressing32(reg, memory);
}

/** The bytes of a moffs / absolute displacement field (A0-A3), or a fixup. */
export function absoluteOffset(memory: ClassifiedMemory, addressSize: 16 | 32): AddressingBytes {
  const size = addressSize === 16 ? 2 : 4;
  return assemble([], fullDisplacement(memory, size));
}

export { littleEndian };
