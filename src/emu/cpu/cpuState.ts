// The i386 architectural state, laid out in typed arrays and plain fields for the hot path.
// Owns: registers, segment caches and their precomputed access windows, system registers, lazy-flag
// fields, event flags and the per-CPL TLB masks. Must not know: how instructions execute, devices.
// Models Intel SDM Vol. 1 §3.4 (registers), Vol. 3A §2.1-2.5 (system registers), §3.4.3 (segment
// descriptor caches).
import type { PhysicalMemory } from '../machine/physicalMemory';
import type { IoBus } from '../machine/ioBus';
import type { InterruptAcknowledge, MsrHandler } from '../machine/deviceContracts';
import type { SegmentCache, Watchpoint } from './cpuContracts';
import type { CpuFault } from './faults';
import type { WatchHit } from './watchpoints';
import { Tlb } from './tlb';
import { FpuState } from './fpuState';

export const CR0_PE = 0x1;
export const CR0_MP = 0x2;
export const CR0_EM = 0x4;
export const CR0_TS = 0x8;
export const CR0_ET = 0x10;
export const CR0_NE = 0x20;
export const CR0_WP = 0x10000;
export const CR0_AM = 0x40000;
export const CR0_NW = 0x20000000;
export const CR0_CD = 0x40000000;
export const CR0_PG = 0x80000000 | 0;

export const CR4_VME = 0x1;
export const CR4_PVI = 0x2;
export const CR4_TSD = 0x4;
export const CR4_DE = 0x8;
export const CR4_PSE = 0x10;
export const CR4_PAE = 0x20;
export const CR4_MCE = 0x40;
export const CR4_PGE = 0x80;
export const CR4_PCE = 0x100;
export const CR4_OSFXSR = 0x200;

/** Descriptor attribute bits in the QEMU-style `flags` word (descriptor high dword & 0x00F0FF00). */
export const DESC_TYPE_SHIFT = 8;
export const DESC_S = 1 << 12;
export const DESC_DPL_SHIFT = 13;
export const DESC_P = 1 << 15;
export const DESC_AVL = 1 << 20;
export const DESC_B = 1 << 22; // D/B
export const DESC_G = 1 << 23;
export const DESC_FLAGS_MASK = 0x00f0ff00;

/** Segment register numbers in Intel's encoding order, plus the two system segments. */
export { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS } from '../isa/registers';

export interface CpuOptions {
  /** Answers INTA when the CPU accepts INTR (the machine's PIC/APIC). */
  readonly interruptAcknowledge?: InterruptAcknowledge;
  /** Platform MSRs (IA32_APIC_BASE). */
  readonly msrHandler?: MsrHandler;
  /** Deterministic mode: the TSC counts retired instructions times this many cycles (default 1). */
  readonly cyclesPerInstruction?: number;
  /** Realtime mode reads the TSC from the wall clock instead; off by default. */
  readonly realtimeTsc?: boolean;
}

export class CpuState {
  readonly memory: PhysicalMemory;
  readonly io: IoBus;
  readonly interruptAcknowledge: InterruptAcknowledge | undefined;
  readonly msrHandler: MsrHandler | undefined;

  /** EAX..EDI as int32. 8-bit registers AL..BH map to regs[n & 3] byte (n >> 2). */
  readonly regs = new Int32Array(8);
  /** While a handler runs: the offset of the next instruction (branches overwrite it).
   *  Between instructions: the offset of the instruction about to run. */
  eip = 0;
  /** Offset of the instruction being executed: faults roll EIP back to it. */
  instructionStart = 0;

  // Segment registers with their descriptor caches (index SEG_ES..SEG_GS).
  readonly segSel = new Uint16Array(6);
  readonly segBase = new Int32Array(6);
  readonly segLimit = new Uint32Array(6);
  readonly segFlags = new Int32Array(6);
  /** Valid offsets for reads and writes: lo <= offset and offset + size - 1 <= hi (an unusable
   *  segment has lo > hi). Recomputed whenever a cache is loaded (segmentCache.ts). */
  readonly segReadLo = new Float64Array(6);
  readonly segReadHi = new Float64Array(6);
  readonly segWriteLo = new Float64Array(6);
  readonly segWriteHi = new Float64Array(6);
  ldtr: SegmentCache = { selector: 0, base: 0, limit: 0xffff, flags: 0x8200 };
  tr: SegmentCache = { selector: 0, base: 0, limit: 0xffff, flags: 0x8b00 };
  gdtrBase = 0;
  gdtrLimit = 0xffff;
  idtrBase = 0;
  idtrLimit = 0xffff;

  cr0 = CR0_ET;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  readonly dr = new Int32Array(8);

  /** Current privilege level (CS.RPL in protected mode). */
  cpl = 0;
  /** CS.D: 32-bit default operand and address size. */
  codeSize32 = true;
  /** SS.B: ESP (true) or SP (false) for stack operations. */
  stackSize32 = true;

  /** EFLAGS except the arithmetic flags named in lazyMask, which come from the lazy fields. */
  flags = 0x2;
  lazyMask = 0;
  lazyOp = 0;
  lazyResult = 0;
  lazyOp1 = 0;
  lazyOp2 = 0;
  /** Carry-in of the last ADC/SBB. */
  lazyCarry = 0;
  /** Sign bit and width mask of the last lazy operation (0x80/0xFF, 0x8000/0xFFFF, 0x80000000/-1). */
  lazySignBit = 0;
  lazySizeMask = 0;

  readonly tlb: Tlb;
  readonly fpu = new FpuState();

  // Model-specific registers kept by the core.
  sysenterCs = 0;
  sysenterEsp = 0;
  sysenterEip = 0;
  tscOffset = 0n;
  readonly cyclesPerInstruction: number;
  readonly realtimeTsc: boolean;

  /** Instructions retired since reset. */
  instructionCount = 0;
  /** Something needs attention before the next instruction (interrupt, trap, stop, watch hit). */
  eventPending = false;
  halted = false;
  intrAsserted = false;
  nmiPending = false;
  /** NMIs are blocked from NMI delivery until the next IRET. */
  nmiBlocked = false;
  /** Interrupts (and single-step traps) are inhibited before the next instruction (STI, MOV SS). */
  interruptShadow = false;
  /** A single-step #DB is due after the current instruction (TF was set when it started). */
  singleStepArmed = false;
  /** Set by requestStop; the loop stops with 'stopRequested'. */
  stopRequest: string | undefined;
  /** Set when an exception escalates past a double fault; the loop stops with 'tripleFault'. */
  tripleFault: string | undefined;

  /** Linear address of the last resolveWrite that took the slow path. */
  resolvedLinear = 0;
  /** Data watchpoints (see watchpoints.ts) and the first hit since the last stop. */
  watchpoints: readonly Watchpoint[] = [];
  watchHit: WatchHit | undefined;
  /** exceptionStops[vector] != 0: stop before delivering that exception (debugger exception breakpoints). */
  readonly exceptionStops = new Uint8Array(32);
  /** An exception that stopped the machine before delivery; the next run delivers it. */
  pendingFault: CpuFault | undefined;
  /** The vector being delivered (-1 when none): a fault during delivery escalates (double fault). */
  deliveringVector = -1;
  /** Set by Cpu.step: an event delivered between instructions ends the step (serviceEvents). */
  stepDeliversEventsAlone = false;
  /** RF was set when the current instruction began: clear it once the instruction completes. */
  resumeFlagArmed = false;

  constructor(memory: PhysicalMemory, io: IoBus, options: CpuOptions = {}) {
    this.memory = memory;
    this.io = io;
    this.interruptAcknowledge = options.interruptAcknowledge;
    this.msrHandler = options.msrHandler;
    this.cyclesPerInstruction = options.cyclesPerInstruction ?? 1;
    this.realtimeTsc = options.realtimeTsc ?? false;
    this.tlb = new Tlb(memory);
  }
}
