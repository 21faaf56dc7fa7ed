// ModRM and SIB bytes and the displacement field's size for register and memory operands, 32-bit
// and 16-bit addressing, with GNU as's displacement choices: no displacement for a constant 0
// (except with an EBP/BP base), disp8 for constants in -128..127, disp32/disp16 otherwise or when
// not yet known; and the normalisation of a constant displacement before it is written.
// Owns: the addressing-form tables and displacement sizing. Must not know: which instruction this is.
// Models Intel SDM Vol. 2 §2.1.5, Tables 2-1 (16-bit ModRM), 2-2 (32-bit ModRM) and 2-3 (SIB).
import { foldTo32Bits } from './immediateTypes';
import type { ClassifiedMemory } from './operandClassification';

const REG_ESP = 4;
const REG_EBP = 5;
const SIB_NO_BASE = 5;
const SIB_NO_INDEX = 4;
const RM_SIB = 4;
const RM_DISP32 = 5;
const RM16_DISP16 = 6;

/** ModRM, then SIB if any, then room for a displacement of `displacementSize` bytes. */
export interface AddressingBytes {
  readonly bytes: readonly number[];
  /** 0 (none), 1 (disp8) or the full width `wide`. */
  readonly displacementSize: DisplacementSize;
  /** The field GNU as normalises the displacement for: 4 (32-bit addressing) or 2 (16-bit). */
  readonly wide: 2 | 4;
}

export function modrmByte(mod: number, reg: number, rm: number): number {
  return (mod << 6) | ((reg & 7) << 3) | (rm & 7);
}

/** mod=3: the register itself. */
export function registerAddressing(reg: number, rmRegister: number): AddressingBytes {
  return { bytes: [modrmByte(3, reg, rmRegister)], displacementSize: 0, wide: 4 };
}

function fitsSigned8(value: number): boolean {
  return value >= -128 && value <= 127;
}

export type DisplacementSize = 0 | 1 | 2 | 4;

/** GNU as's displacement size for a base/index address (`wide` = 4 or 2 bytes). */
function chooseDisplacement(memory: ClassifiedMemory, wide: 2 | 4, needsByteForZero: boolean): DisplacementSize {
  if (memory.displacementConstant === undefined) return wide;
  const constant = normalizeDisplacement(memory.displacementConstant, wide);
  if (constant === 0 && !needsByteForZero) return 0;
  return fitsSigned8(constant) ? 1 : wide;
}

/** The value GNU as writes for a constant displacement in a `wide`-byte field (before truncation):
 *  folded to 32 bits, and in a 16-bit field a value in 0..0xffff read as signed. */
export function normalizeDisplacement(value: bigint, wide: 2 | 4): number {
  const folded = foldTo32Bits(value);
  if (wide === 2 && folded >= 0 && folded <= 0xffff) return folded >= 0x8000 ? folded - 0x1_0000 : folded;
  return folded;
}

function modFor(size: DisplacementSize): number {
  return size === 0 ? 0 : size === 1 ? 1 : 2;
}

function assemble(head: number[], displacementSize: DisplacementSize, wide: 2 | 4): AddressingBytes {
  return { bytes: head, displacementSize, wide };
}

const SCALE_BITS: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };

function addressing32(reg: number, memory: ClassifiedMemory): AddressingBytes {
  const { base, index } = memory;
  if (!base && !index) return assemble([modrmByte(0, reg, RM_DISP32)], 4, 4);
  const scale = SCALE_BITS[memory.operand.scale] ?? 0;
  if (!base) {
    const sib = (scale << 6) | (index!.number << 3) | SIB_NO_BASE;
    return assemble([modrmByte(0, reg, RM_SIB), sib], 4, 4);
  }
  const displacement = chooseDisplacement(memory, 4, base.number === REG_EBP);
  const mod = modFor(displacement);
  if (!index && base.number !== REG_ESP) return assemble([modrmByte(mod, reg, base.number)], displacement, 4);
  const sib = (scale << 6) | ((index ? index.number : SIB_NO_INDEX) << 3) | base.number;
  return assemble([modrmByte(mod, reg, RM_SIB), sib], displacement, 4);
}

/** Table 2-1 rm values by base+index register names. */
const RM16: Readonly<Record<string, number>> = {
  'bx+si': 0, 'bx+di': 1, 'bp+si': 2, 'bp+di': 3, si: 4, di: 5, bp: 6, bx: 7,
};

function addressing16(reg: number, memory: ClassifiedMemory): AddressingBytes {
  const { base, index } = memory;
  if (!base && !index) return assemble([modrmByte(0, reg, RM16_DISP16)], 2, 2);
  const key = index ? `${base!.name}+${index.name}` : base!.name;
  const rm = RM16[key]!;
  const displacement = chooseDisplacement(memory, 2, rm === RM16_DISP16);
  return assemble([modrmByte(modFor(displacement), reg, rm)], displacement, 2);
}

/** ModRM (+SIB, +displacement) for a memory operand at the given address size. */
export function memoryAddressing(reg: number, memory: ClassifiedMemory, addressSize: 16 | 32): AddressingBytes {
  return addressSize === 16 ? addressing16(reg, memory) : addressing32(reg, memory);
}

/** A moffs / absolute displacement field (A0-A3): always full width. */
export function absoluteOffset(addressSize: 16 | 32): AddressingBytes {
  const size = addressSize === 16 ? 2 : 4;
  return assemble([], size, size);
}
