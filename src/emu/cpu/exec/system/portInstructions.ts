// IN, OUT, INS and OUTS (with REP): the I/O permission check, then the port access through the
// I/O bus. A REP string form performs one element per execution and re-executes itself until eCX
// is zero, so interrupts and single-step traps are taken between elements, as on hardware.
// Owns: operand decoding of the port forms. Must not know: devices, the permission rule
// (ioPermission.ts). Models Intel SDM Vol. 2 IN, OUT, INS, OUTS, REP; Vol. 1 §19.
import type { Handler, Instruction } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { REP_NONE } from '../../instruction';
import type { AccessSize } from '../../../machine/deviceContracts';
import { SEG_ES } from '../../../isa/registers';
import { EFLAGS_DF } from '../../eflags';
import { read16, read32, read8, resolveWrite, writeResolved16, writeResolved32, writeResolved8 } from '../../memoryAccess';
import { checkIoPermission } from '../../ioPermission';

const REG_EAX = 0;
const REG_ECX = 1;
const REG_EDX = 2;
const REG_ESI = 6;
const REG_EDI = 7;

function elementSize(instruction: Instruction): AccessSize {
  return instruction.opcode & 1 ? (instruction.opsize32 ? 4 : 2) : 1;
}

/** The port: imm8 for E4-E7, DX for EC-EF and the string forms. */
function portOf(cpu: CpuState, instruction: Instruction): number {
  const op = instruction.opcode;
  return op >= 0xe4 && op <= 0xe7 ? instruction.imm & 0xff : cpu.regs[REG_EDX]! & 0xffff;
}

const input: Handler = (cpu, instruction) => {
  const size = elementSize(instruction);
  const port = portOf(cpu, instruction);
  checkIoPermission(cpu, port, size);
  const value = cpu.io.read(port, size);
  if (size === 4) cpu.regs[REG_EAX] = value | 0;
  else if (size === 2) cpu.regs[REG_EAX] = (cpu.regs[REG_EAX]! & ~0xffff) | (value & 0xffff);
  else cpu.regs[REG_EAX] = (cpu.regs[REG_EAX]! & ~0xff) | (value & 0xff);
};

const output: Handler = (cpu, instruction) => {
  const size = elementSize(instruction);
  const port = portOf(cpu, instruction);
  checkIoPermission(cpu, port, size);
  const eax = cpu.regs[REG_EAX]!;
  cpu.io.write(port, size, size === 4 ? eax >>> 0 : size === 2 ? eax & 0xffff : eax & 0xff);
};

/** eSI/eDI index with the address size. */
function indexOf(cpu: CpuState, instruction: Instruction, reg: number): number {
  return instruction.addrsize32 ? cpu.regs[reg]! : cpu.regs[reg]! & 0xffff;
}

function advance(cpu: CpuState, instruction: Instruction, reg: number, size: number): void {
  const step = cpu.flags & EFLAGS_DF ? -size : size;
  const value = cpu.regs[reg]!;
  cpu.regs[reg] = instruction.addrsize32 ? (value + step) | 0 : (value & ~0xffff) | ((value + step) & 0xffff);
}

/** REP: false when eCX is already zero (nothing to do). */
function repeatCountNonZero(cpu: CpuState, instruction: Instruction): boolean {
  if (instruction.repPrefix === REP_NONE) return true;
  return (instruction.addrsize32 ? cpu.regs[REG_ECX]! : cpu.regs[REG_ECX]! & 0xffff) !== 0;
}

/** After one element of a REP form: decrement eCX and run the instruction again while it is non-zero. */
function repeatIfNeeded(cpu: CpuState, instruction: Instruction): void {
  if (instruction.repPrefix === REP_NONE) return;
  const ecx = cpu.regs[REG_ECX]!;
  const next = instruction.addrsize32 ? (ecx - 1) | 0 : (ecx & ~0xffff) | ((ecx - 1) & 0xffff);
  cpu.regs[REG_ECX] = next;
  if ((instruction.addrsize32 ? next : next & 0xffff) !== 0) cpu.eip = cpu.instructionStart;
}

/** INS: the destination is checked before the port is read (a port read has side effects). */
const inputString: Handler = (cpu, instruction) => {
  if (!repeatCountNonZero(cpu, instruction)) return;
  const size = elementSize(instruction);
  const port = cpu.regs[REG_EDX]! & 0xffff;
  checkIoPermission(cpu, port, size);
  const physical = resolveWrite(cpu, SEG_ES, indexOf(cpu, instruction, REG_EDI), size);
  const value = cpu.io.read(port, size);
  if (size === 4) writeResolved32(cpu, physical, value | 0);
  else if (size === 2) writeResolved16(cpu, physical, value & 0xffff);
  else writeResolved8(cpu, physical, value & 0xff);
  advance(cpu, instruction, REG_EDI, size);
  repeatIfNeeded(cpu, instruction);
};

const outputString: Handler = (cpu, instruction) => {
  if (!repeatCountNonZero(cpu, instruction)) return;
  const size = elementSize(instruction);
  const port = cpu.regs[REG_EDX]! & 0xffff;
  checkIoPermission(cpu, port, size);
  const offset = indexOf(cpu, instruction, REG_ESI);
  const seg = instruction.segment;
  const value = size === 4 ? read32(cpu, seg, offset) >>> 0 : size === 2 ? read16(cpu, seg, offset) : read8(cpu, seg, offset);
  cpu.io.write(port, size, value);
  advance(cpu, instruction, REG_ESI, size);
  repeatIfNeeded(cpu, instruction);
};

export const portHandlers: Readonly<Record<string, Handler>> = {
  in: input,
  out: output,
  ins: inputString,
  outs: outputString,
};
