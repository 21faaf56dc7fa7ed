// Operand access for the user-level handlers: byte/word/dword registers (AL..BH live in the low
// two bytes of EAX..EBX), ModRM register-or-memory operands, read-modify-write memory through
// resolveWrite, and the self-specialising handler wrapper. Owns: the width conventions (8/16-bit
// values unsigned, 32-bit values int32). Must not know: what any instruction computes.
// Models Intel SDM Vol. 1 §3.4.1 (general registers) and Vol. 2 §2.1.5 (ModRM operands).
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { translate } from '../../paging';
import { read16, read32, read8, segmentReadAddress, readResolved16, readResolved32, readResolved8, resolveWrite, write16, write32, write8, writeResolved16, writeResolved32, writeResolved8 } from '../../memoryAccess';

/**
 * A handler that picks the specialised handler for this decoded instruction on its first execution
 * and installs it in the instruction, so later executions go straight to it.
 */
export function specializing(select: (instruction: Instruction) => Handler): Handler {
  return (cpu, instruction) => {
    const handler = select(instruction);
    instruction.handler = handler;
    handler(cpu, instruction);
  };
}

export function getReg8(cpu: CpuState, n: number): number {
  return (cpu.regs[n & 3]! >> ((n & 4) << 1)) & 0xff;
}

export function setReg8(cpu: CpuState, n: number, value: number): void {
  const shift = (n & 4) << 1;
  const i = n & 3;
  cpu.regs[i] = (cpu.regs[i]! & ~(0xff << shift)) | ((value & 0xff) << shift);
}

export function setReg16(cpu: CpuState, n: number, value: number): void {
  cpu.regs[n] = (cpu.regs[n]! & ~0xffff) | (value & 0xffff);
}

export function getRegister(cpu: CpuState, n: number, size: number): number {
  if (size === 4) return cpu.regs[n]!;
  if (size === 2) return cpu.regs[n]! & 0xffff;
  return getReg8(cpu, n);
}

export function setRegister(cpu: CpuState, n: number, size: number, value: number): void {
  if (size === 4) cpu.regs[n] = value;
  else if (size === 2) setReg16(cpu, n, value);
  else setReg8(cpu, n, value);
}

export function readMemory(cpu: CpuState, seg: number, offset: number, size: number): number {
  if (size === 4) return read32(cpu, seg, offset);
  if (size === 2) return read16(cpu, seg, offset);
  return read8(cpu, seg, offset);
}

export function writeMemory(cpu: CpuState, seg: number, offset: number, size: number, value: number): void {
  if (size === 4) write32(cpu, seg, offset, value);
  else if (size === 2) write16(cpu, seg, offset, value & 0xffff);
  else write8(cpu, seg, offset, value & 0xff);
}

export function readResolved(cpu: CpuState, physical: number, size: number): number {
  if (size === 4) return readResolved32(cpu, physical);
  if (size === 2) return readResolved16(cpu, physical);
  return readResolved8(cpu, physical);
}

export function writeResolved(cpu: CpuState, physical: number, size: number, value: number): void {
  if (size === 4) writeResolved32(cpu, physical, value);
  else if (size === 2) writeResolved16(cpu, physical, value & 0xffff);
  else writeResolved8(cpu, physical, value & 0xff);
}

/** The r/m operand (register when mod = 3). */
export function readRm(cpu: CpuState, instruction: Instruction, size: number): number {
  if (instruction.mod === 3) return getRegister(cpu, instruction.rm, size);
  return readMemory(cpu, instruction.segment, effectiveAddress(cpu, instruction), size);
}

export function writeRm(cpu: CpuState, instruction: Instruction, size: number, value: number): void {
  if (instruction.mod === 3) setRegister(cpu, instruction.rm, size, value);
  else writeMemory(cpu, instruction.segment, effectiveAddress(cpu, instruction), size, value);
}

/** Checks a memory r/m destination completely; afterwards nothing can fault. */
export function resolveRm(cpu: CpuState, instruction: Instruction, size: number): number {
  return resolveWrite(cpu, instruction.segment, effectiveAddress(cpu, instruction), size);
}

/** Offset arithmetic in the instruction's address size. */
export function addressAdd(instruction: Instruction, offset: number, delta: number): number {
  return instruction.addrsize32 ? (offset + delta) | 0 : (offset + delta) & 0xffff;
}

/** True when the form's first operand is written through ModRM.rm as memory (mod 0-2). */
export function isMemoryForm(instruction: Instruction): boolean {
  return instruction.mod >= 0 && instruction.mod !== 3;
}

/** Checks that seg:[offset, offset + bytes) can be read (limit and pages, up to two pages). */
export function probeRead(cpu: CpuState, seg: number, offset: number, bytes: number): void {
  const linear = segmentReadAddress(cpu, seg, offset, bytes);
  const user = cpu.cpl === 3;
  translate(cpu, linear, false, user);
  if ((linear & 0xfff) + bytes > 0x1000) translate(cpu, (linear | 0xfff) + 1, false, user);
}
