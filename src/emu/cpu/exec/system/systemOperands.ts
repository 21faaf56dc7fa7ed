// Operand access shared by the system-level handlers: 16-bit selector sources (Ew, Mw/Rv), selector
// destinations (zero-extended in a 32-bit register, a word in memory), memory-only operands (Ms,
// Mp, M), ZF results, and the CPL 0 requirement of privileged instructions.
// Owns: nothing architectural. Must not know: what the handlers do with the values.
// Models Intel SDM Vol. 2 §3.1.1.3 (operand notation) as the instruction table uses it.
import type { CpuState } from '../../cpuState';
import type { Instruction } from '../../instruction';
import { effectiveAddress } from '../../instruction';
import { generalProtection, invalidOpcode } from '../../faults';
import { read16, read32, write16 } from '../../memoryAccess';
import { EFLAGS_ZF, setFlagsEager } from '../../eflags';

/** #GP(0) unless CPL 0 (always true in real mode, where CPL is 0). */
export function requireCpl0(cpu: CpuState, mnemonic: string): void {
  if (cpu.cpl !== 0) throw generalProtection(0, `${mnemonic} at CPL ${cpu.cpl} (privileged)`);
}

/** The offset of a memory-only operand; a register form is #UD. */
export function memoryOperand(cpu: CpuState, instruction: Instruction, mnemonic: string): number {
  if (instruction.mod === 3) throw invalidOpcode(`${mnemonic} needs a memory operand`);
  return effectiveAddress(cpu, instruction);
}

/** A 16-bit r/m source (Ew, or the word a Mw/Rv source reads). */
export function readRm16(cpu: CpuState, instruction: Instruction): number {
  if (instruction.mod === 3) return cpu.regs[instruction.rm]! & 0xffff;
  return read16(cpu, instruction.segment, effectiveAddress(cpu, instruction));
}

/** A Mw/Rv destination: a register of the operand size (zero-extended) or a word in memory. */
export function writeRmWordOrRegister(cpu: CpuState, instruction: Instruction, value: number): void {
  if (instruction.mod === 3) {
    writeRegister(cpu, instruction.rm, value, instruction.opsize32);
    return;
  }
  write16(cpu, instruction.segment, effectiveAddress(cpu, instruction), value & 0xffff);
}

/** Writes a general register with the operand size (16-bit writes keep the upper half). */
export function writeRegister(cpu: CpuState, reg: number, value: number, opsize32: boolean): void {
  cpu.regs[reg] = opsize32 ? value | 0 : (cpu.regs[reg]! & ~0xffff) | (value & 0xffff);
}

/** A far pointer in memory (Mp): the offset (operand size) then the selector. */
export function readFarPointer(cpu: CpuState, instruction: Instruction, mnemonic: string): { offset: number; selector: number } {
  const address = memoryOperand(cpu, instruction, mnemonic);
  const seg = instruction.segment;
  const width = instruction.opsize32 ? 4 : 2;
  const offset = width === 4 ? read32(cpu, seg, address) >>> 0 : read16(cpu, seg, address);
  const next = instruction.addrsize32 ? (address + width) | 0 : (address + width) & 0xffff;
  return { offset, selector: read16(cpu, seg, next) };
}

export function setZf(cpu: CpuState, on: boolean): void {
  setFlagsEager(cpu, EFLAGS_ZF, on ? EFLAGS_ZF : 0);
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
