// Every memory access an instruction makes: segment checks (limit, type, null) against the
// precomputed windows, then the TLB fast path into RAM, or the slow path for page walks, accesses
// that cross a page, MMIO and holes, and watchpoints. Also the stack helpers and "system" accesses
// (descriptor tables, TSS, IDT: always supervisor). Owns: the access discipline "check everything,
// then write", and the rule that 32-bit values travel as int32 while 8/16-bit ones are unsigned.
// Must not know: instructions, descriptors. Models Intel SDM Vol. 3A §5.3 (limit checking), §5.5
// (privilege of implicit accesses), §4.6 (access rights).
import type { CpuState } from './cpuState';
import { SEG_SS } from '../isa/registers';
import { CpuFault, EXC_GP, EXC_SS } from './faults';
import { translate } from './paging';
import { noteWatchedAccess } from './watchpoints';

const REG_ESP = 4;
const SEGMENT_NAMES = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];

// ---------------------------------------------------------------- segment checks

/** The linear address of a read of `size` bytes at `offset` in `seg`, or #GP/#SS. */
export function segmentReadAddress(cpu: CpuState, seg: number, offset: number, size: number): number {
  const off = offset >>> 0;
  if (off < cpu.segReadLo[seg]! || off + size - 1 > cpu.segReadHi[seg]!) throw segmentViolation(cpu, seg, off, size, false);
  return (cpu.segBase[seg]! + off) | 0;
}

/** The linear address of a write of `size` bytes at `offset` in `seg`, or #GP/#SS. */
export function segmentWriteAddress(cpu: CpuState, seg: number, offset: number, size: number): number {
  const off = offset >>> 0;
  if (off < cpu.segWriteLo[seg]! || off + size - 1 > cpu.segWriteHi[seg]!) throw segmentViolation(cpu, seg, off, size, true);
  return (cpu.segBase[seg]! + off) | 0;
}

function segmentViolation(cpu: CpuState, seg: number, offset: number, size: number, write: boolean): CpuFault {
  const vector = seg === SEG_SS ? EXC_SS : EXC_GP;
  const name = SEGMENT_NAMES[seg] ?? `segment ${seg}`;
  const flags = cpu.segFlags[seg]!;
  let why: string;
  if (!(flags & 0x8000)) why = `${name} is unusable (selector 0x${cpu.segSel[seg]!.toString(16)})`;
  else if (write && (cpu.segWriteLo[seg]! > cpu.segWriteHi[seg]!)) why = `${name} is not writable`;
  else if (!write && (cpu.segReadLo[seg]! > cpu.segReadHi[seg]!)) why = `${name} is not readable`;
  else why = `${size}-byte ${write ? 'write' : 'read'} at ${name}:0x${offset.toString(16)} is outside the segment limit 0x${cpu.segLimit[seg]!.toString(16)}`;
  return new CpuFault(vector, 0, why);
}

// ---------------------------------------------------------------- segmented accesses

export function read8(cpu: CpuState, seg: number, offset: number): number {
  return readLinear8(cpu, segmentReadAddress(cpu, seg, offset, 1));
}

export function read16(cpu: CpuState, seg: number, offset: number): number {
  return readLinear16(cpu, segmentReadAddress(cpu, seg, offset, 2));
}

export function read32(cpu: CpuState, seg: number, offset: number): number {
  return readLinear32(cpu, segmentReadAddress(cpu, seg, offset, 4));
}

export function write8(cpu: CpuState, seg: number, offset: number, value: number): void {
  writeLinear8(cpu, segmentWriteAddress(cpu, seg, offset, 1), value);
}

export function write16(cpu: CpuState, seg: number, offset: number, value: number): void {
  writeLinear16(cpu, segmentWriteAddress(cpu, seg, offset, 2), value);
}

export function write32(cpu: CpuState, seg: number, offset: number, value: number): void {
  writeLinear32(cpu, segmentWriteAddress(cpu, seg, offset, 4), value);
}

// ---------------------------------------------------------------- linear accesses at the current privilege

export function readLinear8(cpu: CpuState, linear: number): number {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.readMask) === tlb.readWant) return cpu.memory.ram[(entry & -4096) | (linear & 0xfff)]!;
  return readSlow(cpu, linear, 1, cpu.cpl === 3);
}

export function readLinear16(cpu: CpuState, linear: number): number {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.readMask) === tlb.readWant && (linear & 0xfff) !== 0xfff) {
    const p = (entry & -4096) | (linear & 0xfff);
    const ram = cpu.memory.ram;
    return ram[p]! | (ram[p + 1]! << 8);
  }
  return readSlow(cpu, linear, 2, cpu.cpl === 3);
}

export function readLinear32(cpu: CpuState, linear: number): number {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.readMask) === tlb.readWant && (linear & 0xfff) <= 0xffc) {
    const p = (entry & -4096) | (linear & 0xfff);
    if ((p & 3) === 0) return cpu.memory.ram32[p >> 2]!;
    const ram = cpu.memory.ram;
    return ram[p]! | (ram[p + 1]! << 8) | (ram[p + 2]! << 16) | (ram[p + 3]! << 24);
  }
  return readSlow(cpu, linear, 4, cpu.cpl === 3) | 0;
}

export function writeLinear8(cpu: CpuState, linear: number, value: number): void {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.writeMask) === tlb.writeWant) {
    const p = (entry & -4096) | (linear & 0xfff);
    cpu.memory.ram[p] = value;
    if (cpu.memory.codePages[p >>> 12]) cpu.memory.noteWrite(p, 1);
    return;
  }
  writeSlow(cpu, linear, 1, value, cpu.cpl === 3);
}

export function writeLinear16(cpu: CpuState, linear: number, value: number): void {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.writeMask) === tlb.writeWant && (linear & 0xfff) !== 0xfff) {
    const p = (entry & -4096) | (linear & 0xfff);
    const ram = cpu.memory.ram;
    ram[p] = value;
    ram[p + 1] = value >> 8;
    if (cpu.memory.codePages[p >>> 12]) cpu.memory.noteWrite(p, 2);
    return;
  }
  writeSlow(cpu, linear, 2, value, cpu.cpl === 3);
}

export function writeLinear32(cpu: CpuState, linear: number, value: number): void {
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.writeMask) === tlb.writeWant && (linear & 0xfff) <= 0xffc) {
    const p = (entry & -4096) | (linear & 0xfff);
    if ((p & 3) === 0) cpu.memory.ram32[p >> 2] = value;
    else {
      const ram = cpu.memory.ram;
      ram[p] = value;
      ram[p + 1] = value >> 8;
      ram[p + 2] = value >> 16;
      ram[p + 3] = value >> 24;
    }
    if (cpu.memory.codePages[p >>> 12]) cpu.memory.noteWrite(p, 4);
    return;
  }
  writeSlow(cpu, linear, 4, value, cpu.cpl === 3);
}

// ---------------------------------------------------------------- system (supervisor) accesses

/** Reads of descriptor tables, the TSS and the IDT are supervisor accesses whatever the CPL. */
export function readSystem8(cpu: CpuState, linear: number): number {
  return readSlow(cpu, linear, 1, false);
}

export function readSystem16(cpu: CpuState, linear: number): number {
  return readSlow(cpu, linear, 2, false);
}

export function readSystem32(cpu: CpuState, linear: number): number {
  return readSlow(cpu, linear, 4, false) | 0;
}

export function writeSystem8(cpu: CpuState, linear: number, value: number): void {
  writeSlow(cpu, linear, 1, value, false);
}

export function writeSystem16(cpu: CpuState, linear: number, value: number): void {
  writeSlow(cpu, linear, 2, value, false);
}

export function writeSystem32(cpu: CpuState, linear: number, value: number): void {
  writeSlow(cpu, linear, 4, value, false);
}

// ---------------------------------------------------------------- read-modify-write

/**
 * Checks a read-modify-write destination completely (segment write rights, page write rights on
 * every page touched) and returns its physical address when it lies in RAM within one page, or -1
 * (with cpu.resolvedLinear set) when the access must go through the slow path. After this call the
 * access cannot fault, so the handler may update registers freely.
 */
export function resolveWrite(cpu: CpuState, seg: number, offset: number, size: number): number {
  const linear = segmentWriteAddress(cpu, seg, offset, size);
  const tlb = cpu.tlb;
  const entry = tlb.entries[linear >>> 12]!;
  if ((entry & tlb.writeMask) === tlb.writeWant && (linear & 0xfff) <= 0x1000 - size) return (entry & -4096) | (linear & 0xfff);
  const user = cpu.cpl === 3;
  translate(cpu, linear, true, user);
  if ((linear & 0xfff) > 0x1000 - size) translate(cpu, (linear | 0xfff) + 1, true, user);
  cpu.resolvedLinear = linear;
  return -1;
}

export function readResolved8(cpu: CpuState, physical: number): number {
  return physical >= 0 ? cpu.memory.ram[physical]! : readSlow(cpu, cpu.resolvedLinear, 1, cpu.cpl === 3);
}

export function readResolved16(cpu: CpuState, physical: number): number {
  if (physical < 0) return readSlow(cpu, cpu.resolvedLinear, 2, cpu.cpl === 3);
  const ram = cpu.memory.ram;
  return ram[physical]! | (ram[physical + 1]! << 8);
}

export function readResolved32(cpu: CpuState, physical: number): number {
  if (physical < 0) return readSlow(cpu, cpu.resolvedLinear, 4, cpu.cpl === 3) | 0;
  if ((physical & 3) === 0) return cpu.memory.ram32[physical >> 2]!;
  const ram = cpu.memory.ram;
  return ram[physical]! | (ram[physical + 1]! << 8) | (ram[physical + 2]! << 16) | (ram[physical + 3]! << 24);
}

export function writeResolved8(cpu: CpuState, physical: number, value: number): void {
  if (physical < 0) return writeSlow(cpu, cpu.resolvedLinear, 1, value, cpu.cpl === 3);
  cpu.memory.ram[physical] = value;
  if (cpu.memory.codePages[physical >>> 12]) cpu.memory.noteWrite(physical, 1);
}

export function writeResolved16(cpu: CpuState, physical: number, value: number): void {
  if (physical < 0) return writeSlow(cpu, cpu.resolvedLinear, 2, value, cpu.cpl === 3);
  const ram = cpu.memory.ram;
  ram[physical] = value;
  ram[physical + 1] = value >> 8;
  if (cpu.memory.codePages[physical >>> 12]) cpu.memory.noteWrite(physical, 2);
}

export function writeResolved32(cpu: CpuState, physical: number, value: number): void {
  if (physical < 0) return writeSlow(cpu, cpu.resolvedLinear, 4, value, cpu.cpl === 3);
  if ((physical & 3) === 0) cpu.memory.ram32[physical >> 2] = value;
  else {
    const ram = cpu.memory.ram;
    ram[physical] = value;
    ram[physical + 1] = value >> 8;
    ram[physical + 2] = value >> 16;
    ram[physical + 3] = value >> 24;
  }
  if (cpu.memory.codePages[physical >>> 12]) cpu.memory.noteWrite(physical, 4);
}

// ---------------------------------------------------------------- stack

/** The current stack pointer as an offset in SS (SP when SS.B is clear). */
export function stackPointer(cpu: CpuState): number {
  return cpu.stackSize32 ? cpu.regs[REG_ESP]! : cpu.regs[REG_ESP]! & 0xffff;
}

/** Moves the stack pointer by `delta` with the width SS.B selects. */
export function adjustStackPointer(cpu: CpuState, delta: number): void {
  const esp = cpu.regs[REG_ESP]!;
  cpu.regs[REG_ESP] = cpu.stackSize32 ? (esp + delta) | 0 : (esp & ~0xffff) | ((esp + delta) & 0xffff);
}

export function push32(cpu: CpuState, value: number): void {
  const top = cpu.stackSize32 ? (cpu.regs[REG_ESP]! - 4) | 0 : (cpu.regs[REG_ESP]! - 4) & 0xffff;
  write32(cpu, SEG_SS, top, value);
  cpu.regs[REG_ESP] = cpu.stackSize32 ? top : (cpu.regs[REG_ESP]! & ~0xffff) | top;
}

export function push16(cpu: CpuState, value: number): void {
  const top = cpu.stackSize32 ? (cpu.regs[REG_ESP]! - 2) | 0 : (cpu.regs[REG_ESP]! - 2) & 0xffff;
  write16(cpu, SEG_SS, top, value);
  cpu.regs[REG_ESP] = cpu.stackSize32 ? top : (cpu.regs[REG_ESP]! & ~0xffff) | top;
}

export function pop32(cpu: CpuState): number {
  const value = read32(cpu, SEG_SS, stackPointer(cpu));
  adjustStackPointer(cpu, 4);
  return value;
}

export function pop16(cpu: CpuState): number {
  const value = read16(cpu, SEG_SS, stackPointer(cpu));
  adjustStackPointer(cpu, 2);
  return value;
}

/** Reads the stack `depth` bytes above the top without popping (IRET, RET imm, LEAVE checks). */
export function peekStack32(cpu: CpuState, depth: number): number {
  const offset = cpu.stackSize32 ? (stackPointer(cpu) + depth) | 0 : (stackPointer(cpu) + depth) & 0xffff;
  return read32(cpu, SEG_SS, offset);
}

export function peekStack16(cpu: CpuState, depth: number): number {
  const offset = cpu.stackSize32 ? (stackPointer(cpu) + depth) | 0 : (stackPointer(cpu) + depth) & 0xffff;
  return read16(cpu, SEG_SS, offset);
}

// ---------------------------------------------------------------- slow paths

/** Reads `size` bytes at `linear`: page walks, page-crossing accesses, MMIO, holes, watchpoints. */
export function readSlow(cpu: CpuState, linear: number, size: number, user: boolean): number {
  const inPage = 0x1000 - (linear & 0xfff);
  const first = translate(cpu, linear, false, user);
  let value: number;
  if (size <= inPage) {
    const memory = cpu.memory;
    value = size === 1 ? memory.read8(first) : size === 2 ? memory.read16(first) : memory.read32(first);
  } else {
    const second = translate(cpu, (linear | 0xfff) + 1, false, user);
    value = 0;
    for (let i = size - 1; i >= 0; i--) value = (value << 8) | cpu.memory.read8(i < inPage ? first + i : second + (i - inPage));
    value >>>= 0;
  }
  if (cpu.watchpoints.length !== 0) noteWatchedAccess(cpu, linear, first, size, 'read', value);
  return value;
}

/** Writes `size` bytes at `linear` after checking every page touched. */
export function writeSlow(cpu: CpuState, linear: number, size: number, value: number, user: boolean): void {
  const inPage = 0x1000 - (linear & 0xfff);
  const first = translate(cpu, linear, true, user);
  const memory = cpu.memory;
  if (size <= inPage) {
    if (size === 1) memory.write8(first, value & 0xff);
    else if (size === 2) memory.write16(first, value & 0xffff);
    else memory.write32(first, value);
  } else {
    const second = translate(cpu, (linear | 0xfff) + 1, true, user);
    for (let i = 0; i < size; i++) memory.write8(i < inPage ? first + i : second + (i - inPage), (value >>> (8 * i)) & 0xff);
  }
  if (cpu.watchpoints.length !== 0) noteWatchedAccess(cpu, linear, first, size, 'write', value);
}
