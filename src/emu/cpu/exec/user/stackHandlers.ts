// Handlers for the user-level stack instructions: PUSH (50+r, FF /6, 6A, 68), POP (58+r, 8F /0),
// PUSHA/PUSHAD, POPA/POPAD, ENTER (with nesting level) and LEAVE. Operand size picks 2- or 4-byte
// slots; SS.B picks SP or ESP. Multi-slot instructions check the whole stack area before their
// first write, so a fault leaves ESP and memory as they were.
// Owns: slot order and the ESP-relative addressing of POP r/m (computed after the increment).
// Must not know: segment-register pushes (system). Models Intel SDM Vol. 2 (PUSH, POP, PUSHA/PUSHAD,
// POPA/POPAD, ENTER, LEAVE).
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { SEG_SS } from '../../../isa/registers';
import { adjustStackPointer, peekStack16, peekStack32, pop16, pop32, push16, push32, read16, read32, resolveWrite, stackPointer, write16, write32 } from '../../memoryAccess';
import { isMemoryForm, probeRead, readRm, setReg16, specializing, writeResolved } from './operands';

const REG_ESP = 4;
const REG_EBP = 5;

function stackOffset(cpu: CpuState, offset: number): number {
  return cpu.stackSize32 ? offset | 0 : offset & 0xffff;
}

/** Checks that `bytes` below the stack top can be written (segment limit and pages). */
function probeStackWrite(cpu: CpuState, bytes: number): void {
  const sp = stackPointer(cpu);
  if (cpu.stackSize32 || sp >= bytes) {
    resolveWrite(cpu, SEG_SS, stackOffset(cpu, sp - bytes), bytes);
    return;
  }
  if (sp > 0) resolveWrite(cpu, SEG_SS, 0, sp);
  resolveWrite(cpu, SEG_SS, 0x10000 - (bytes - sp), bytes - sp);
}

function probeStackRead(cpu: CpuState, offset: number, bytes: number): void {
  probeRead(cpu, SEG_SS, offset, bytes);
}

// ---------------------------------------------------------------- PUSH / POP

function push32Register(cpu: CpuState, i: Instruction): void {
  push32(cpu, cpu.regs[i.rm]!);
}

function push32Immediate(cpu: CpuState, i: Instruction): void {
  push32(cpu, i.imm);
}

/** Any PUSH: a register (50+r, FF /6 mod 3), memory (read before the push) or an immediate. */
function pushAny(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const source = i.form!.operands[0]!;
  const value = source === 'Zv' ? cpu.regs[i.rm]! : source === 'Ev' ? readRm(cpu, i, size) : i.imm;
  if (size === 4) push32(cpu, value);
  else push16(cpu, value & 0xffff);
}

function selectPush(i: Instruction): Handler {
  const source = i.form!.operands[0]!;
  if (i.width !== 4) return pushAny;
  if (source === 'Zv' || (source === 'Ev' && i.mod === 3)) return push32Register;
  return source === 'Ev' ? pushAny : push32Immediate;
}

function pop32Register(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.rm] = pop32(cpu); // POP ESP: the popped value replaces the incremented ESP
}

function pop16Register(cpu: CpuState, i: Instruction): void {
  setReg16(cpu, i.rm, pop16(cpu));
}

/** POP r/m: an address using ESP sees the incremented ESP; a fault restores ESP. */
function popMemory(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const value = size === 4 ? peekStack32(cpu, 0) : peekStack16(cpu, 0);
  const saved = cpu.regs[REG_ESP]!;
  adjustStackPointer(cpu, size);
  const offset = effectiveAddress(cpu, i);
  cpu.regs[REG_ESP] = saved;
  const physical = resolveWrite(cpu, i.segment, offset, size);
  adjustStackPointer(cpu, size);
  writeResolved(cpu, physical, size, value);
}

function selectPop(i: Instruction): Handler {
  if (isMemoryForm(i)) return popMemory;
  return i.width === 4 ? pop32Register : pop16Register;
}

// ---------------------------------------------------------------- PUSHA / POPA

function pusha(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  probeStackWrite(cpu, size * 8);
  const original = cpu.regs[REG_ESP]!;
  for (let r = 0; r < 8; r++) {
    const value = r === REG_ESP ? original : cpu.regs[r]!;
    if (size === 4) push32(cpu, value);
    else push16(cpu, value & 0xffff);
  }
}

/** POPA: EDI ESI EBP (skip) EBX EDX ECX EAX; all slots are read before any register changes. */
function popa(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  probeStackRead(cpu, stackPointer(cpu), size * 8);
  for (let slot = 0; slot < 8; slot++) {
    const r = 7 - slot;
    if (r === REG_ESP) continue;
    const value = size === 4 ? peekStack32(cpu, slot * 4) : peekStack16(cpu, slot * 2);
    if (size === 4) cpu.regs[r] = value;
    else setReg16(cpu, r, value);
  }
  adjustStackPointer(cpu, size * 8);
}

// ---------------------------------------------------------------- ENTER / LEAVE

function writeSlot(cpu: CpuState, offset: number, size: number, value: number): void {
  if (size === 4) write32(cpu, SEG_SS, offset, value);
  else write16(cpu, SEG_SS, offset, value & 0xffff);
}

/** ENTER size, level: the frame's reads and writes are checked first, then the final ESP; ESP/EBP last. */
function enter(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const frameBytes = i.imm & 0xffff;
  const level = i.imm2 & 31;
  const regs = cpu.regs;
  let framePointer = cpu.stackSize32 ? regs[REG_EBP]! : regs[REG_EBP]! & 0xffff;
  const pushed = size * (level === 0 ? 1 : level + 1);
  const finalTop = stackOffset(cpu, stackPointer(cpu) - pushed - frameBytes);
  probeStackWrite(cpu, pushed);
  if (level > 1) probeStackRead(cpu, stackOffset(cpu, framePointer - (level - 1) * size), (level - 1) * size);
  let top = stackOffset(cpu, stackPointer(cpu) - size);
  writeSlot(cpu, top, size, regs[REG_EBP]!);
  const frameTemp = top;
  if (level > 0) {
    for (let n = 1; n < level; n++) {
      framePointer = stackOffset(cpu, framePointer - size);
      const outer = size === 4 ? read32(cpu, SEG_SS, framePointer) : read16(cpu, SEG_SS, framePointer);
      top = stackOffset(cpu, top - size);
      writeSlot(cpu, top, size, outer);
    }
    top = stackOffset(cpu, top - size);
    writeSlot(cpu, top, size, frameTemp);
  }
  // The final ESP must be writable ("a write using the final value of the stack pointer"). The
  // host CPU checks it after storing the frame: a fault leaves the frame below ESP written.
  resolveWrite(cpu, SEG_SS, finalTop, size);
  if (cpu.stackSize32) {
    regs[REG_EBP] = frameTemp;
    regs[REG_ESP] = finalTop;
  } else {
    regs[REG_EBP] = (regs[REG_EBP]! & ~0xffff) | frameTemp;
    regs[REG_ESP] = (regs[REG_ESP]! & ~0xffff) | finalTop;
  }
}

/** LEAVE: eSP = eBP, then pop eBP; the pop is read before anything changes. */
function leave(cpu: CpuState, i: Instruction): void {
  const regs = cpu.regs;
  const framePointer = cpu.stackSize32 ? regs[REG_EBP]! : regs[REG_EBP]! & 0xffff;
  const size = i.width;
  const value = size === 4 ? read32(cpu, SEG_SS, framePointer) : read16(cpu, SEG_SS, framePointer);
  const top = stackOffset(cpu, framePointer + size);
  regs[REG_ESP] = cpu.stackSize32 ? top : (regs[REG_ESP]! & ~0xffff) | top;
  if (size === 4) regs[REG_EBP] = value;
  else setReg16(cpu, REG_EBP, value);
}

export const STACK_HANDLERS: Readonly<Record<string, Handler>> = {
  push: specializing(selectPush), pop: specializing(selectPop), pusha, popa, enter, leave,
};
