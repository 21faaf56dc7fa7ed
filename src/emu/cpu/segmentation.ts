// Protected-mode segment register loads with their protection checks (MOV/POP/LxS to DS, ES, FS,
// GS and SS), the nulling of data segments on a return to an outer ring, and stack frames that
// far transfers and interrupt delivery build or read with every check made before ESP changes.
// Owns: the rules that decide whether a selector may be loaded and the error code of the refusal.
// Must not know: instructions and their operands (exec/system), how a cache is stored
// (segmentCache.ts). Models Intel SDM Vol. 3A §3.4.3-3.4.5, §5.5-5.7 (privilege checks for data and
// stack segments), §5.8.5-5.8.6 (stack switching), Vol. 2 MOV/POP/LDS pseudo-code.
import type { CpuState } from './cpuState';
import { CR0_PE, DESC_B, DESC_S } from './cpuState';
import { SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../isa/registers';
import { CpuFault, EXC_GP, EXC_NP, EXC_SS } from './faults';
import {
  type Descriptor, descriptorDpl, descriptorPresent, isConformingCode, isNullSelector, isReadableSegment,
  isWritableData, markAccessed, readDescriptor,
} from './descriptorTables';
import { descriptorBase, descriptorLimit, loadNullSegment, loadSegmentCache, loadSegmentFromDescriptor } from './segmentCache';
import { readLinear16, readLinear32, readSystem16, readSystem32, writeLinear16, writeLinear32, writeSystem16, writeSystem32 } from './memoryAccess';

const REG_ESP = 4;
const NAMES = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** Loads a descriptor into a segment register, setting its accessed bit in memory and in the cache. */
export function commitSegment(cpu: CpuState, seg: number, selector: number, descriptor: Descriptor): void {
  markAccessed(cpu, descriptor);
  loadSegmentFromDescriptor(cpu, seg, selector, descriptor.low, descriptor.high | 0x100);
}

/** MOV/POP/LDS/LES/LFS/LGS to DS, ES, FS or GS. Throws #GP/#NP with the selector as error code. */
export function loadDataSegment(cpu: CpuState, seg: number, selector: number): void {
  selector &= 0xffff;
  if (!(cpu.cr0 & CR0_PE)) {
    loadSegmentCache(cpu, seg, selector, selector << 4, cpu.segLimit[seg]!, cpu.segFlags[seg]!);
    return;
  }
  if (isNullSelector(selector)) {
    loadNullSegment(cpu, seg, selector);
    return;
  }
  const descriptor = checkDataSegment(cpu, selector, NAMES[seg]!);
  commitSegment(cpu, seg, selector, descriptor);
}

/** The checks of a DS/ES/FS/GS load for a non-null selector; returns the descriptor to load. */
export function checkDataSegment(cpu: CpuState, selector: number, what: string): Descriptor {
  const error = selector & 0xfffc;
  const descriptor = readDescriptor(cpu, selector, EXC_GP, 0);
  const high = descriptor.high;
  if (!isReadableSegment(high)) throw new CpuFault(EXC_GP, error, `${what} load: selector ${hex(selector)} is not a data or readable code segment`);
  const dpl = descriptorDpl(high);
  if (!isConformingCode(high) && ((selector & 3) > dpl || cpu.cpl > dpl)) {
    throw new CpuFault(EXC_GP, error, `${what} load: selector ${hex(selector)} has DPL ${dpl} < max(CPL ${cpu.cpl}, RPL ${selector & 3})`);
  }
  if (!descriptorPresent(high)) throw new CpuFault(EXC_NP, error, `${what} load: segment ${hex(selector)} is not present`);
  return descriptor;
}

/** MOV/POP/LSS to SS. Throws #GP(0) for null, #GP(selector) or #SS(selector). */
export function loadStackSegment(cpu: CpuState, selector: number): void {
  selector &= 0xffff;
  if (!(cpu.cr0 & CR0_PE)) {
    loadSegmentCache(cpu, SEG_SS, selector, selector << 4, cpu.segLimit[SEG_SS]!, cpu.segFlags[SEG_SS]!);
    return;
  }
  const descriptor = checkStackSegment(cpu, selector, cpu.cpl, EXC_GP, 0, 'SS load');
  commitSegment(cpu, SEG_SS, selector, descriptor);
}

/**
 * The checks of a stack segment for privilege level `cpl` (MOV SS, RET/IRET to an outer level,
 * the TSS stack of a call gate or interrupt). Selector faults use `vector` (#GP or #TS); a missing
 * segment raises #SS. Error codes are the selector | ext, or ext alone for a null selector.
 */
export function checkStackSegment(cpu: CpuState, selector: number, cpl: number, vector: number, ext: number, what: string): Descriptor {
  const error = (selector & 0xfffc) | ext;
  if (isNullSelector(selector)) throw new CpuFault(vector, ext, `${what}: null stack segment selector`);
  if ((selector & 3) !== cpl) throw new CpuFault(vector, error, `${what}: stack selector ${hex(selector)} has RPL ${selector & 3}, not ${cpl}`);
  const descriptor = readDescriptor(cpu, selector, vector, ext);
  const high = descriptor.high;
  if (!isWritableData(high)) throw new CpuFault(vector, error, `${what}: selector ${hex(selector)} is not a writable data segment`);
  if (descriptorDpl(high) !== cpl) throw new CpuFault(vector, error, `${what}: stack segment ${hex(selector)} has DPL ${descriptorDpl(high)}, not ${cpl}`);
  if (!descriptorPresent(high)) throw new CpuFault(EXC_SS, error, `${what}: stack segment ${hex(selector)} is not present`);
  return descriptor;
}

/**
 * After RET far or IRET to an outer level: DS, ES, FS and GS holding a data or non-conforming code
 * segment with DPL < the new CPL become null (the new code could not have loaded them).
 */
export function nullInaccessibleDataSegments(cpu: CpuState, newCpl: number): void {
  for (const seg of [SEG_ES, SEG_DS, SEG_FS, SEG_GS]) {
    const flags = cpu.segFlags[seg]!;
    if ((seg === SEG_FS || seg === SEG_GS) && isNullSelector(cpu.segSel[seg]!)) continue;
    const conforming = (flags & DESC_S) !== 0 && ((flags >>> 8) & 0xc) === 0xc;
    if (!conforming && ((flags >>> 13) & 3) < newCpl) loadNullSegment(cpu, seg, 0);
  }
}

// ---------------------------------------------------------------- stack frames

/**
 * A stack being written or read with explicit segment properties: the current SS, or a new inner
 * stack whose descriptor is not loaded yet. Each access checks the segment window, then pages.
 * Nothing architectural except memory changes until the caller takes `esp`.
 */
export class StackFrame {
  private top: number;
  private constructor(
    private readonly cpu: CpuState,
    private readonly base: number,
    private readonly lo: number,
    private readonly hi: number,
    private readonly big: boolean,
    private readonly system: boolean,
    private readonly errorCode: number,
    esp: number,
  ) {
    this.top = big ? esp | 0 : esp & 0xffff;
  }

  /** The current SS:ESP, accessed with the current privilege (user at CPL 3). */
  static current(cpu: CpuState, errorCode = 0): StackFrame {
    const seg = SEG_SS;
    return new StackFrame(cpu, cpu.segBase[seg]!, cpu.segWriteLo[seg]!, cpu.segWriteHi[seg]!, cpu.stackSize32, cpu.cpl !== 3, errorCode, cpu.regs[REG_ESP]!);
  }

  /** The current SS:ESP for reads (the read window; a read-only SS cannot be loaded anyway). */
  static currentForRead(cpu: CpuState): StackFrame {
    const seg = SEG_SS;
    return new StackFrame(cpu, cpu.segBase[seg]!, cpu.segReadLo[seg]!, cpu.segReadHi[seg]!, cpu.stackSize32, cpu.cpl !== 3, 0, cpu.regs[REG_ESP]!);
  }

  /** A stack described by a (checked) descriptor, accessed as the supervisor. */
  static fromDescriptor(cpu: CpuState, descriptor: Descriptor, esp: number, errorCode: number): StackFrame {
    const high = descriptor.high;
    const limit = descriptorLimit(descriptor.low, high);
    const big = (high & DESC_B) !== 0;
    const expandDown = (high & 0x400) !== 0;
    const lo = expandDown ? limit + 1 : 0;
    const hi = expandDown ? (big ? 0xffffffff : 0xffff) : limit;
    return new StackFrame(cpu, descriptorBase(descriptor.low, high) | 0, lo, hi, big, true, errorCode, esp);
  }

  /** The stack pointer after the pushes/pops so far, merged into `esp` the way SS.B dictates. */
  espFrom(esp: number): number {
    return this.big ? this.top : (esp & ~0xffff) | (this.top & 0xffff);
  }

  get offset(): number {
    return this.top;
  }

  push(value: number, width: 2 | 4): void {
    this.top = this.big ? (this.top - width) | 0 : (this.top - width) & 0xffff;
    const linear = this.check(this.top, width);
    if (width === 4) (this.system ? writeSystem32 : writeLinear32)(this.cpu, linear, value);
    else (this.system ? writeSystem16 : writeLinear16)(this.cpu, linear, value & 0xffff);
  }

  pop(width: 2 | 4): number {
    const linear = this.check(this.top, width);
    const value = width === 4 ? (this.system ? readSystem32 : readLinear32)(this.cpu, linear) : (this.system ? readSystem16 : readLinear16)(this.cpu, linear);
    this.skip(width);
    return value;
  }

  /** Moves the pointer up by `bytes` without reading (RET imm16). */
  skip(bytes: number): void {
    this.top = this.big ? (this.top + bytes) | 0 : (this.top + bytes) & 0xffff;
  }

  private check(offset: number, width: number): number {
    const off = offset >>> 0;
    if (off < this.lo || off + width - 1 > this.hi) {
      throw new CpuFault(EXC_SS, this.errorCode, `stack access of ${width} bytes at offset ${hex(off)} is outside the stack segment`);
    }
    return (this.base + off) | 0;
  }
}
