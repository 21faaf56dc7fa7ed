// Virtual time for the PC platform: the one Clock every timed device reads.
// Owns: the mapping from retired instructions (deterministic mode) or the wall clock (realtime
// mode) to nanoseconds, and the "skip ahead while halted" offset.
// Must not know: any device, the CPU's internals (it only reads a retired-instruction counter).
// Models no datasheet; it is the time base that QEMU's virtual clock plays for its devices.
import type { Clock } from './deviceContracts';

export type ClockMode = 'deterministic' | 'realtime';

export interface VirtualClockOptions {
  readonly mode?: ClockMode;
  /** Deterministic mode: nanoseconds per retired instruction (default 1, i.e. 1000 MIPS). */
  readonly nsPerInstruction?: number;
  /** Realtime mode: the wall clock in nanoseconds (injectable for tests). */
  readonly wallClockNs?: () => number;
}

export class VirtualClock implements Clock {
  readonly mode: ClockMode;
  readonly nsPerInstruction: number;
  private instructionCounter: () => number = () => 0;
  /** Nanoseconds added by halts (deterministic) or the wall-clock origin (realtime). */
  private offsetNs = 0;
  private lastNow = 0;
  private readonly wallClockNs: () => number;

  constructor(options: VirtualClockOptions = {}) {
    this.mode = options.mode ?? 'deterministic';
    this.nsPerInstruction = options.nsPerInstruction ?? 1;
    if (!(this.nsPerInstruction > 0)) throw new RangeError('nsPerInstruction must be positive');
    this.wallClockNs = options.wallClockNs ?? defaultWallClockNs;
    if (this.mode === 'realtime') this.offsetNs = -this.wallClockNs();
  }

  /** Connects the retired-instruction counter (the CPU's instructionCount). */
  attachInstructionCounter(counter: () => number): void {
    const before = this.now();
    this.instructionCounter = counter;
    if (this.mode === 'deterministic') this.offsetNs = before - counter() * this.nsPerInstruction;
  }

  now(): number {
    const t = this.mode === 'deterministic'
      ? this.offsetNs + this.instructionCounter() * this.nsPerInstruction
      : this.offsetNs + this.wallClockNs();
    // Monotonic even if the counter is reset or the wall clock steps back.
    if (t > this.lastNow) this.lastNow = t;
    return this.lastNow;
  }

  /**
   * Moves time forward to `time` without retiring instructions (the CPU is halted). In realtime
   * mode time cannot be skipped: the caller waits instead (see `waitUntil`).
   */
  skipTo(time: number): void {
    const now = this.now();
    if (time <= now || !Number.isFinite(time)) return;
    if (this.mode === 'deterministic') {
      this.offsetNs += time - now;
      this.lastNow = time;
    }
  }

  /** Realtime mode: blocks the thread until `time` or for at most `maxWaitMs`; no-op otherwise. */
  waitUntil(time: number, maxWaitMs: number): void {
    if (this.mode !== 'realtime') return;
    const ms = Math.min(maxWaitMs, Math.max(0, (time - this.now()) / 1e6));
    if (ms >= 1) Atomics.wait(sleepCell, 0, 0, Math.floor(ms));
  }

  /** Instructions that fit in the interval up to `time` (at least 1), for slicing the run loop. */
  instructionsUntil(time: number): number {
    if (!Number.isFinite(time)) return Infinity;
    const delta = time - this.now();
    if (this.mode === 'realtime') return delta <= 0 ? 1 : Infinity;
    return Math.max(1, Math.ceil(delta / this.nsPerInstruction));
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function defaultWallClockNs(): number {
  return Number(process.hrtime.bigint());
}
