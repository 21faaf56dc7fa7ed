// The CPU the machine runs: the run loop (fetch from the decode cache, execute, count, service
// events between instructions) and the interface the machine, the loaders and the debugger use.
// Owns: the loop's order of checks, breakpoints by linear address, exception stops and the
// conversion of emulator bugs into an 'internalError' stop with state intact.
// Must not know: devices, the debugger protocol. Models the instruction cycle of Intel SDM Vol. 3A
// §6.5-6.9 (faults roll back, traps complete, interrupts between instructions).
import type { PhysicalMemory } from '../machine/physicalMemory';
import type { IoBus } from '../machine/ioBus';
import type { InterruptPins } from '../machine/deviceContracts';
import type { CpuRunner, ProtectedModeEntryState, StopReason, Watchpoint } from './cpuContracts';
import { CpuState, type CpuOptions, CR0_ET } from './cpuState';
import { SEG_CS } from '../isa/registers';
import { CpuFault, faultName } from './faults';
import { EFLAGS_IF, getEflags, setEflags } from './eflags';
import { DecodeCache } from './decodeCache';
import { CodeFetcher } from './codeFetch';
import { decodeInstruction } from './decoder';
import type { Instruction } from './instruction';
import { serviceEvents } from './events';
import { raiseException } from './interrupts';
import { translate, flushAllTranslations } from './paging';
import { loadSegmentCache, setCpl } from './segmentCache';
import { setWatchpoints } from './watchpoints';

const SEGMENT_KEYS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
const GPR_KEYS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;

export class Cpu extends CpuState implements CpuRunner, InterruptPins {
  readonly decodeCache: DecodeCache;
  private readonly fetcher = new CodeFetcher();
  /** Linear addresses with breakpoints, and a page filter so the check costs nothing elsewhere. */
  private readonly breakpoints = new Set<number>();
  /** Per linear page, a byte per offset marking breakpoints (null while there are none at all). */
  private breakpointPages: (Uint8Array | undefined)[] | null = null;
  /** The linear address of the breakpoint the last run stopped at: the next run executes it. */
  private breakpointResumeAt = -1;

  constructor(memory: PhysicalMemory, io: IoBus, options: CpuOptions = {}) {
    super(memory, io, options);
    this.decodeCache = new DecodeCache(memory);
    this.reset();
  }

  // ------------------------------------------------------------------ machine interface

  setIntr(asserted: boolean): void {
    this.intrAsserted = asserted;
    if (asserted) this.eventPending = true;
  }

  raiseNmi(): void {
    this.nmiPending = true;
    this.eventPending = true;
  }

  requestStop(reason: string): void {
    this.stopRequest = reason;
    this.eventPending = true;
  }

  get canWake(): boolean {
    return (this.nmiPending && !this.nmiBlocked) || (this.intrAsserted && (this.flags & EFLAGS_IF) !== 0);
  }

  /** Power-on state of the parts this emulator models (protected-mode loaders replace it). */
  reset(): void {
    this.regs.fill(0);
    this.regs[2] = 0x663; // EDX: family/model/stepping, as after RESET
    this.cr0 = CR0_ET;
    this.cr2 = 0;
    this.cr3 = 0;
    this.cr4 = 0;
    this.dr.fill(0);
    this.dr[6] = 0xffff0ff0 | 0;
    this.dr[7] = 0x400;
    setEflags(this, 0x2);
    for (let seg = 0; seg < 6; seg++) loadSegmentCache(this, seg, 0, 0, 0xffff, 0x9300);
    loadSegmentCache(this, SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x9b00);
    this.eip = 0xfff0;
    this.gdtrBase = 0;
    this.gdtrLimit = 0xffff;
    this.idtrBase = 0;
    this.idtrLimit = 0xffff;
    setCpl(this, 0);
    this.fpu.initialize();
    this.halted = false;
    this.nmiPending = false;
    this.nmiBlocked = false;
    this.interruptShadow = false;
    this.singleStepArmed = false;
    this.tripleFault = undefined;
    this.pendingFault = undefined;
    this.watchHit = undefined;
    this.instructionCount = 0;
    this.eventPending = true;
    flushAllTranslations(this);
    this.decodeCache.clear();
  }

  setEntryState(state: ProtectedModeEntryState): void {
    GPR_KEYS.forEach((key, index) => (this.regs[index] = state.registers[key] | 0));
    this.cr0 = state.cr0 | 0;
    this.cr2 = (state.cr2 ?? 0) | 0;
    this.cr3 = state.cr3 | 0;
    this.cr4 = state.cr4 | 0;
    this.gdtrBase = state.gdtr.base | 0;
    this.gdtrLimit = state.gdtr.limit;
    this.idtrBase = state.idtr.base | 0;
    this.idtrLimit = state.idtr.limit;
    SEGMENT_KEYS.forEach((key, seg) => {
      const s = state.segments[key];
      loadSegmentCache(this, seg, s.selector, s.base, s.limit, s.flags);
    });
    if (state.ldtr) this.ldtr = { ...state.ldtr };
    if (state.tr) this.tr = { ...state.tr };
    setCpl(this, state.segments.cs.selector & 3);
    setEflags(this, state.eflags);
    this.eip = state.eip >>> 0;
    this.halted = false;
    this.tripleFault = undefined;
    this.pendingFault = undefined;
    this.eventPending = true;
    flushAllTranslations(this);
  }

  // ------------------------------------------------------------------ debugger interface

  addBreakpoint(linear: number): void {
    linear >>>= 0;
    this.breakpoints.add(linear);
    this.breakpointPages ??= new Array(1 << 20).fill(undefined);
    const page = (this.breakpointPages[linear >>> 12] ??= new Uint8Array(4096));
    page[linear & 0xfff] = 1;
  }

  removeBreakpoint(linear: number): void {
    linear >>>= 0;
    if (!this.breakpoints.delete(linear)) return;
    const page = this.breakpointPages?.[linear >>> 12];
    if (page) page[linear & 0xfff] = 0;
    if (this.breakpoints.size === 0) this.breakpointPages = null;
  }

  clearBreakpoints(): void {
    this.breakpoints.clear();
    this.breakpointPages = null;
  }

  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    setWatchpoints(this, watchpoints);
  }

  /** Stop before delivering exceptions with these vectors (0-31). */
  setExceptionStops(vectors: readonly number[]): void {
    this.exceptionStops.fill(0);
    for (const vector of vectors) if (vector >= 0 && vector < 32) this.exceptionStops[vector] = 1;
  }

  get eflags(): number {
    return getEflags(this);
  }

  // ------------------------------------------------------------------ running

  /** One instruction, or one event delivery (interrupt, NMI, trap) on its own: after a delivery the
   *  CPU stands at the handler's first instruction, as QEMU's per-instruction log shows it. */
  step(): StopReason {
    this.stepDeliversEventsAlone = true;
    try {
      const stop = this.run(1);
      return stop.kind === 'budget' ? { kind: 'step' } : stop;
    } finally {
      this.stepDeliversEventsAlone = false;
    }
  }

  run(maxInstructions: number): StopReason {
    let executed = 0;
    // Resuming from a breakpoint stop executes the instruction it stopped at; any other run stops at
    // a breakpoint even on its first instruction (a run may begin anywhere: the machine slices runs).
    let skipBreakpointAt = this.breakpointResumeAt;
    this.breakpointResumeAt = -1;
    if (this.pendingFault) {
      const fault = this.pendingFault;
      this.pendingFault = undefined;
      this.eip = this.instructionStart;
      raiseException(this, fault);
      executed++;
      skipBreakpointAt = -1;
    }
    for (;;) {
      try {
        while (executed < maxInstructions) {
          if (this.eventPending) {
            const stop = serviceEvents(this);
            if (stop) return stop;
          }
          const eip = this.eip;
          const linear = (this.segBase[SEG_CS]! + eip) | 0;
          if (this.breakpointPages !== null && this.breakpointPages[linear >>> 12]?.[linear & 0xfff] === 1) {
            if (skipBreakpointAt !== linear >>> 0 || executed !== 0) {
              this.breakpointResumeAt = linear >>> 0;
              return { kind: 'breakpoint', address: linear >>> 0 };
            }
          }
          // Set before fetching: a fetch fault (#PF, CS limit) belongs to this instruction.
          this.instructionStart = eip;
          const instruction = this.fetchDecoded(eip, linear);
          this.eip = this.codeSize32 ? (eip + instruction.length) >>> 0 : (eip + instruction.length) & 0xffff;
          instruction.handler(this, instruction);
          this.instructionCount++;
          executed++;
        }
        return { kind: 'budget' };
      } catch (caught) {
        executed++;
        const stop = this.handleThrown(caught);
        if (stop) return stop;
      }
    }
  }

  /** The decoded instruction at CS:eip, from the cache or freshly decoded (may throw #PF/#GP). */
  private fetchDecoded(eip: number, linear: number): Instruction {
    const tlb = this.tlb;
    const entry = tlb.entries[linear >>> 12]!;
    const physical = (entry & tlb.readMask) === tlb.readWant ? (entry & -4096) | (linear & 0xfff) : translate(this, linear, false, this.cpl === 3);
    const page = this.decodeCache.page(physical >>> 12);
    if (page !== undefined) {
      const cached = page[physical & 0xfff];
      if (cached !== undefined && cached.codeSize32 === this.codeSize32) {
        // The segment may have shrunk since decoding: re-fetching the last byte re-checks the limit.
        if (eip + cached.length - 1 > this.segLimit[SEG_CS]!) {
          this.fetcher.begin(this, eip);
          this.fetcher.byte(cached.length - 1);
        }
        return cached;
      }
    }
    this.fetcher.begin(this, eip);
    const decoded = decodeInstruction(this, this.fetcher);
    decoded.codeSize32 = this.codeSize32;
    if (!this.fetcher.crossedPage) this.decodeCache.store(this.fetcher.physicalStart, decoded);
    return decoded;
  }

  /** A CpuFault is delivered (or stops the run at an exception breakpoint); anything else is a bug. */
  private handleThrown(caught: unknown): StopReason | undefined {
    this.eip = this.instructionStart;
    this.singleStepArmed = false;
    this.eventPending = true;
    if (!(caught instanceof CpuFault)) {
      const message = caught instanceof Error ? `${caught.message}` : String(caught);
      return { kind: 'internalError', message: `emulator error at EIP 0x${this.eip.toString(16)}: ${message}` };
    }
    if (this.exceptionStops[caught.vector] === 1) {
      this.pendingFault = caught;
      const stop: StopReason = caught.errorCode >= 0
        ? { kind: 'exception', vector: caught.vector, errorCode: caught.errorCode, description: `${faultName(caught.vector)}: ${caught.description}` }
        : { kind: 'exception', vector: caught.vector, description: `${faultName(caught.vector)}: ${caught.description}` };
      return stop;
    }
    try {
      raiseException(this, caught);
    } catch (inner) {
      const message = inner instanceof Error ? inner.message : String(inner);
      return { kind: 'internalError', message: `emulator error while delivering ${faultName(caught.vector)}: ${message}` };
    }
    return this.tripleFault !== undefined ? { kind: 'tripleFault', description: this.tripleFault } : undefined;
  }
}
