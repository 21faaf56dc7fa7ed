// The memory images of the x87 state that FNSTENV/FLDENV (environment) and FNSAVE/FRSTOR
// (environment + eight 80-bit registers in stack order) read and write, protected-mode layouts:
// 28 bytes with a 32-bit operand size, 14 with a 16-bit one. Reserved upper halves are stored as
// ones, as Intel processors do. The stored tag word is recomputed from the registers (the hardware
// keeps only empty/non-empty and classifies on every store). Callers check the whole area first,
// so these cannot fault halfway.
// Owns: the layouts of Intel SDM Vol. 1 §8.1.10 (Figures 8-9 to 8-12). Must not know: encodings.
import type { CpuState } from './cpuState';
import { read16, read32, read8, write16, write32, write8 } from './memoryAccess';

export const X87_REGISTER_BYTES = 80;

export function environmentBytes(opsize32: boolean): number {
  return opsize32 ? 28 : 14;
}

/** Where an image lies: the instruction's segment, with offsets wrapping in its address size. */
export interface ImageAddressing {
  readonly segment: number;
  readonly addrsize32: boolean;
}

function at(addressing: ImageAddressing, offset: number, delta: number): number {
  return addressing.addrsize32 ? (offset + delta) | 0 : (offset + delta) & 0xffff;
}

/** The status word's TOP field: ST(i) is physical register (TOP + i) & 7. */
function top(cpu: CpuState): number {
  return (cpu.fpu.statusWord >> 11) & 7;
}

const TAG_VALID = 0;
const TAG_ZERO = 1;
const TAG_SPECIAL = 2;
const TAG_EMPTY = 3;

/** The tag of a non-empty physical register from its 80-bit contents. */
function classify(registers: Uint8Array, physical: number): number {
  const base = physical * 10;
  const exponent = ((registers[base + 9]! & 0x7f) << 8) | registers[base + 8]!;
  if (exponent === 0x7fff) return TAG_SPECIAL;
  let mantissaBits = 0;
  for (let b = 0; b < 8; b++) mantissaBits |= registers[base + b]!;
  if (exponent === 0) return mantissaBits === 0 ? TAG_ZERO : TAG_SPECIAL;
  return registers[base + 7]! & 0x80 ? TAG_VALID : TAG_SPECIAL;
}

/** The full tag word as FNSTENV/FNSAVE store it. */
export function storedTagWord(cpu: CpuState): number {
  const fpu = cpu.fpu;
  let word = 0;
  for (let physical = 0; physical < 8; physical++) {
    const empty = ((fpu.tagWord >> (physical * 2)) & 3) === TAG_EMPTY;
    word |= (empty ? TAG_EMPTY : classify(fpu.registers, physical)) << (physical * 2);
  }
  return word;
}

export function storeEnvironment(cpu: CpuState, addressing: ImageAddressing, offset: number, opsize32: boolean): void {
  const fpu = cpu.fpu;
  const seg = addressing.segment;
  if (opsize32) {
    write32(cpu, seg, at(addressing, offset, 0), fpu.controlWord | 0xffff0000);
    write32(cpu, seg, at(addressing, offset, 4), fpu.statusWord | 0xffff0000);
    write32(cpu, seg, at(addressing, offset, 8), storedTagWord(cpu) | 0xffff0000);
    write32(cpu, seg, at(addressing, offset, 12), fpu.instructionPointer);
    write32(cpu, seg, at(addressing, offset, 16), (fpu.instructionSelector & 0xffff) | ((fpu.lastOpcode & 0x7ff) << 16));
    write32(cpu, seg, at(addressing, offset, 20), fpu.operandPointer);
    write32(cpu, seg, at(addressing, offset, 24), (fpu.operandSelector & 0xffff) | 0xffff0000);
    return;
  }
  write16(cpu, seg, at(addressing, offset, 0), fpu.controlWord & 0xffff);
  write16(cpu, seg, at(addressing, offset, 2), fpu.statusWord & 0xffff);
  write16(cpu, seg, at(addressing, offset, 4), storedTagWord(cpu));
  write16(cpu, seg, at(addressing, offset, 6), fpu.instructionPointer & 0xffff);
  write16(cpu, seg, at(addressing, offset, 8), fpu.instructionSelector & 0xffff);
  write16(cpu, seg, at(addressing, offset, 10), fpu.operandPointer & 0xffff);
  write16(cpu, seg, at(addressing, offset, 12), fpu.operandSelector & 0xffff);
}

export function loadEnvironment(cpu: CpuState, addressing: ImageAddressing, offset: number, opsize32: boolean): void {
  const fpu = cpu.fpu;
  const seg = addressing.segment;
  if (opsize32) {
    fpu.controlWord = read32(cpu, seg, at(addressing, offset, 0)) & 0xffff;
    fpu.statusWord = read32(cpu, seg, at(addressing, offset, 4)) & 0xffff;
    fpu.tagWord = read32(cpu, seg, at(addressing, offset, 8)) & 0xffff;
    fpu.instructionPointer = read32(cpu, seg, at(addressing, offset, 12));
    const selectorAndOpcode = read32(cpu, seg, at(addressing, offset, 16));
    fpu.instructionSelector = selectorAndOpcode & 0xffff;
    fpu.lastOpcode = (selectorAndOpcode >>> 16) & 0x7ff;
    fpu.operandPointer = read32(cpu, seg, at(addressing, offset, 20));
    fpu.operandSelector = read32(cpu, seg, at(addressing, offset, 24)) & 0xffff;
    return;
  }
  fpu.controlWord = read16(cpu, seg, at(addressing, offset, 0));
  fpu.statusWord = read16(cpu, seg, at(addressing, offset, 2));
  fpu.tagWord = read16(cpu, seg, at(addressing, offset, 4));
  fpu.instructionPointer = read16(cpu, seg, at(addressing, offset, 6));
  fpu.instructionSelector = read16(cpu, seg, at(addressing, offset, 8));
  fpu.operandPointer = read16(cpu, seg, at(addressing, offset, 10));
  fpu.operandSelector = read16(cpu, seg, at(addressing, offset, 12));
}

/** ST(0)..ST(7), ten bytes each, starting `delta` bytes into the image. */
export function storeRegisters(cpu: CpuState, addressing: ImageAddressing, offset: number, delta: number): void {
  const registers = cpu.fpu.registers;
  const first = top(cpu);
  for (let st = 0; st < 8; st++) {
    const physical = ((first + st) & 7) * 10;
    for (let b = 0; b < 10; b++) write8(cpu, addressing.segment, at(addressing, offset, delta + st * 10 + b), registers[physical + b]!);
  }
}

/** Loads ST(0)..ST(7) relative to the TOP of the (already loaded) status word. */
export function loadRegisters(cpu: CpuState, addressing: ImageAddressing, offset: number, delta: number): void {
  const registers = cpu.fpu.registers;
  const first = top(cpu);
  for (let st = 0; st < 8; st++) {
    const physical = ((first + st) & 7) * 10;
    for (let b = 0; b < 10; b++) registers[physical + b] = read8(cpu, addressing.segment, at(addressing, offset, delta + st * 10 + b));
  }
}
