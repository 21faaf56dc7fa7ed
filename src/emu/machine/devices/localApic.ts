// The local APIC of a uniprocessor in xAPIC mode: MMIO registers at 0xFEE00000 and the
// IA32_APIC_BASE MSR (0x1B). Owns: ID, version, TPR/PPR, EOI, LDR/DFR, SVR, ISR/TMR/IRR, ESR,
// the LVT (timer, thermal, performance, LINT0, LINT1, error), the timer (initial/current count,
// divide configuration, one-shot and periodic), and the ICR (fixed, lowest-priority and NMI
// delivery to itself; INIT and SIPI accepted and ignored: there are no other processors).
// Must not know: the PIC or the CPU. It reports "my interrupt state changed" and NMIs through
// callbacks; the interrupt router asks it what to deliver.
// Models Intel SDM Vol. 3A ch. 10 (xAPIC; ch. 11 in newer editions). Where QEMU 7.2 departs from
// the manual and a kernel could tell, this follows QEMU (measured): LVT registers keep every bit
// written, clearing SVR bit 8 does not mask the LVT, the timer counts at 1 GHz before the divider
// and a one-shot count N expires after N+1 ticks (a periodic one every N+1 ticks).
import type { AccessSize, Clock, MmioDevice, MsrHandler, TimedDevice } from '../deviceContracts';

export const APIC_DEFAULT_BASE = 0xfee00000;
export const MSR_IA32_APIC_BASE = 0x1b;
const APIC_BASE_BSP = 0x100;
const APIC_BASE_ENABLE = 0x800;
export const APIC_VERSION = 0x00050014;
export const LVT_MASKED = 0x10000;
const LVT_TIMER_PERIODIC = 0x20000;
const SVR_ENABLE = 0x100;

export const LVT_TIMER = 0;
export const LVT_THERMAL = 1;
export const LVT_PERF = 2;
export const LVT_LINT0 = 3;
export const LVT_LINT1 = 4;
export const LVT_ERROR = 5;

const MODE_FIXED = 0;
const MODE_LOWEST = 1;
const MODE_NMI = 4;
const MODE_EXTINT = 7;

const ESR_SEND_ILLEGAL_VECTOR = 0x20;
const ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;

export interface LocalApicOutputs {
  /** The APIC's own deliverable-interrupt state (or ExtINT routing) may have changed. */
  interruptStateChanged(): void;
  raiseNmi(): void;
}

export class LocalApic implements MmioDevice, TimedDevice, MsrHandler {
  id = 0;
  tpr = 0;
  ldr = 0;
  dfr = 0xffffffff;
  svr = 0xff;
  readonly lvt = new Uint32Array([LVT_MASKED, LVT_MASKED, LVT_MASKED, LVT_MASKED, LVT_MASKED, LVT_MASKED]);
  readonly irr = new Uint32Array(8);
  readonly isr = new Uint32Array(8);
  readonly tmr = new Uint32Array(8);
  icrLow = 0;
  icrHigh = 0;
  esr = 0;
  private pendingErrors = 0;
  divideConfig = 0;
  initialCount = 0;
  private loadTime = 0;
  private nextFire = Infinity;
  apicBaseMsr = APIC_DEFAULT_BASE | APIC_BASE_BSP | APIC_BASE_ENABLE;
  private lint0Level = false;

  constructor(
    private readonly clock: Clock,
    private readonly outputs: LocalApicOutputs,
  ) {}

  get globallyEnabled(): boolean {
    return (this.apicBaseMsr & APIC_BASE_ENABLE) !== 0;
  }

  get softwareEnabled(): boolean {
    return (this.svr & SVR_ENABLE) !== 0;
  }

  /** True when the 8259's INT output reaches the CPU: APIC off, or LINT0 unmasked as ExtINT. */
  passesExtInt(): boolean {
    if (!this.globallyEnabled) return true;
    const lint0 = this.lvt[LVT_LINT0]!;
    return (lint0 & LVT_MASKED) === 0 && ((lint0 >> 8) & 7) === MODE_EXTINT;
  }

  /** The highest vector in IRR that PPR lets through, or -1. */
  deliverableVector(): number {
    if (!this.globallyEnabled || !this.softwareEnabled) return -1;
    const vector = highestBit(this.irr);
    if (vector < 0) return -1;
    const ppr = this.ppr();
    return ppr !== 0 && (vector & 0xf0) <= (ppr & 0xf0) ? -1 : vector;
  }

  /** INTA: moves the highest deliverable IRR vector to ISR; the spurious vector when none. */
  acknowledge(): number {
    const vector = this.deliverableVector();
    if (vector < 0) return this.svr & 0xff;
    clearBit(this.irr, vector);
    setBit(this.isr, vector);
    this.outputs.interruptStateChanged();
    return vector;
  }

  ppr(): number {
    const isrv = Math.max(highestBit(this.isr), 0);
    return (this.tpr >> 4) >= (isrv >> 4) ? this.tpr : isrv & 0xf0;
  }

  /** LINT0 input (the 8259's INT on the PC). ExtINT routing is the router's; fixed/NMI act here. */
  setLint0(level: boolean): void {
    const rising = level && !this.lint0Level;
    this.lint0Level = level;
    if (this.globallyEnabled && rising) this.deliverLocal(this.lvt[LVT_LINT0]!, (this.lvt[LVT_LINT0]! & 0x8000) !== 0);
  }

  /** An edge on LINT1 (the platform's NMI line). With the APIC off it goes straight to NMI. */
  pulseLint1(): void {
    if (!this.globallyEnabled) this.outputs.raiseNmi();
    else this.deliverLocal(this.lvt[LVT_LINT1]!, false);
  }

  private deliverLocal(entry: number, level: boolean): void {
    if (entry & LVT_MASKED) return;
    const mode = (entry >> 8) & 7;
    if (mode === MODE_NMI) this.outputs.raiseNmi();
    else if (mode === MODE_FIXED) this.accept(entry & 0xff, level);
  }

  /** Accepts a fixed interrupt into IRR (vectors 0-15 are illegal and set ESR instead). */
  accept(vector: number, level: boolean): void {
    if (vector < 16) {
      this.signalError(ESR_RECEIVE_ILLEGAL_VECTOR);
      return;
    }
    setBit(this.irr, vector);
    if (level) setBit(this.tmr, vector);
    else clearBit(this.tmr, vector);
    this.outputs.interruptStateChanged();
  }

  private signalError(bits: number): void {
    const first = (this.pendingErrors & bits) !== bits;
    this.pendingErrors |= bits;
    const entry = this.lvt[LVT_ERROR]!;
    if (first && (entry & LVT_MASKED) === 0 && (entry & 0xff) >= 16) this.accept(entry & 0xff, false);
  }

  private endOfInterrupt(): void {
    const vector = highestBit(this.isr);
    if (vector < 0) return;
    clearBit(this.isr, vector);
    clearBit(this.tmr, vector); // no I/O APIC to forward a level-triggered EOI to
    this.outputs.interruptStateChanged();
  }

  // --- the timer -------------------------------------------------------------------------------

  private get tickShift(): number {
    const v = (this.divideConfig & 3) | ((this.divideConfig >> 1) & 4);
    return (v + 1) & 7;
  }

  private get periodic(): boolean {
    return (this.lvt[LVT_TIMER]! & LVT_TIMER_PERIODIC) !== 0;
  }

  currentCount(): number {
    if (this.initialCount === 0) return 0;
    const ticks = Math.floor((this.clock.now() - this.loadTime) / 2 ** this.tickShift);
    if (this.periodic) return this.initialCount - (ticks % (this.initialCount + 1));
    return ticks >= this.initialCount ? 0 : this.initialCount - ticks;
  }

  /** Recomputes the next expiry after `time` from the load time (mode or divider changed). */
  private scheduleTimer(time: number): void {
    if (this.initialCount === 0) {
      this.nextFire = Infinity;
      return;
    }
    const period = (this.initialCount + 1) * 2 ** this.tickShift;
    if (this.periodic) this.nextFire = this.loadTime + (Math.floor((time - this.loadTime) / period) + 1) * period;
    else this.nextFire = this.loadTime + period > time ? this.loadTime + period : Infinity;
  }

  nextEventTime(): number {
    return this.nextFire;
  }

  advanceTo(time: number): void {
    if (this.nextFire > time) return;
    // Expiries missed together collapse into one IRR bit, as they would on the chip.
    const entry = this.lvt[LVT_TIMER]!;
    if ((entry & LVT_MASKED) === 0) this.accept(entry & 0xff, false);
    if (this.periodic) this.scheduleTimer(time);
    else this.nextFire = Infinity;
  }

  // --- registers -------------------------------------------------------------------------------

  readMmio(offset: number, size: AccessSize): number {
    if ((offset & 0xf) + size > 4) return 0;
    const value = this.readRegister(offset >> 4);
    return size === 4 ? value >>> 0 : (value >>> ((offset & 3) * 8)) & (size === 1 ? 0xff : 0xffff);
  }

  private readRegister(index: number): number {
    if (index >= 0x10 && index < 0x18) return this.isr[index - 0x10]!;
    if (index >= 0x18 && index < 0x20) return this.tmr[index - 0x18]!;
    if (index >= 0x20 && index < 0x28) return this.irr[index - 0x20]!;
    if (index >= 0x32 && index <= 0x37) return this.lvt[index - 0x32]!;
    switch (index) {
      case 0x02: return this.id << 24;
      case 0x03: return APIC_VERSION;
      case 0x08: return this.tpr;
      case 0x0a: return this.ppr();
      case 0x0d: return this.ldr;
      case 0x0e: return this.dfr;
      case 0x0f: return this.svr;
      case 0x28: return this.esr;
      case 0x30: return this.icrLow;
      case 0x31: return this.icrHigh;
      case 0x38: return this.initialCount;
      case 0x39: return this.currentCount();
      case 0x3e: return this.divideConfig;
      default: return 0;
    }
  }

  /** Narrow writes are dropped, as on QEMU's APIC; the register is chosen by offset >> 4. */
  writeMmio(offset: number, size: AccessSize, value: number): void {
    if (size !== 4) return;
    this.writeRegister(offset >> 4, value >>> 0);
  }

  private writeRegister(index: number, value: number): void {
    if (index >= 0x32 && index <= 0x37) {
      this.writeLvt(index - 0x32, value);
      return;
    }
    switch (index) {
      case 0x02: this.id = value >>> 24; break;
      case 0x08: this.tpr = value & 0xff; this.outputs.interruptStateChanged(); break;
      case 0x0b: this.endOfInterrupt(); break;
      case 0x0d: this.ldr = value & 0xff000000; break;
      case 0x0e: this.dfr = (value | 0x0fffffff) >>> 0; break;
      case 0x0f: this.svr = value & 0x1ff; this.outputs.interruptStateChanged(); break;
      case 0x28: this.esr = this.pendingErrors; this.pendingErrors = 0; break;
      case 0x30: this.writeIcr(value); break;
      case 0x31: this.icrHigh = value & 0xff000000; break;
      case 0x38: this.loadTimer(value); break;
      case 0x3e: this.divideConfig = value & 0x0b; this.scheduleTimer(this.clock.now()); break;
      default: break; // read-only or reserved
    }
  }

  private writeLvt(which: number, value: number): void {
    this.lvt[which] = value;
    if (which === LVT_TIMER) this.scheduleTimer(this.clock.now());
    if (which === LVT_LINT0) this.outputs.interruptStateChanged();
  }

  private loadTimer(count: number): void {
    this.initialCount = count;
    this.loadTime = this.clock.now();
    this.scheduleTimer(this.loadTime);
  }

  private writeIcr(value: number): void {
    this.icrLow = value & ~0x1000; // delivery status always reads idle
    const mode = (value >> 8) & 7;
    const vector = value & 0xff;
    if (!this.icrTargetsSelf(value)) return;
    if (mode === MODE_FIXED || mode === MODE_LOWEST) {
      if (vector < 16) this.signalError(ESR_SEND_ILLEGAL_VECTOR);
      else this.accept(vector, false);
    } else if (mode === MODE_NMI) this.outputs.raiseNmi();
    // INIT, SIPI and SMI: a uniprocessor that is already running accepts and ignores them.
  }

  private icrTargetsSelf(value: number): boolean {
    switch ((value >> 18) & 3) {
      case 1: case 2: return true; // self, all including self
      case 3: return false; // all excluding self: nobody else exists
      default: break;
    }
    const destination = this.icrHigh >>> 24;
    if ((value & 0x800) === 0) return destination === 0xff || destination === this.id;
    const logicalId = this.ldr >>> 24;
    if ((this.dfr >>> 28) === 0xf) return (logicalId & destination) !== 0; // flat model
    return (logicalId >> 4) === (destination >> 4) && (logicalId & destination & 0xf) !== 0; // cluster
  }

  // --- IA32_APIC_BASE --------------------------------------------------------------------------

  readMsr(index: number): bigint | undefined {
    return index === MSR_IA32_APIC_BASE ? BigInt(this.apicBaseMsr >>> 0) : undefined;
  }

  /** The base stays at 0xFEE00000 (relocation is recorded, not performed). */
  writeMsr(index: number, value: bigint): boolean {
    if (index !== MSR_IA32_APIC_BASE) return false;
    const low = Number(value & 0xffffffffn);
    this.apicBaseMsr = ((low & 0xfffff000) | APIC_BASE_BSP | (low & APIC_BASE_ENABLE)) >>> 0;
    if (!this.globallyEnabled) this.svr &= ~SVR_ENABLE;
    this.outputs.interruptStateChanged();
    return true;
  }

  /** As SeaBIOS leaves the APIC under QEMU (measured): enabled, LINT0 ExtINT, LINT1 NMI. */
  programAsFirmwareLeavesIt(): void {
    this.svr = 0x1ff;
    this.lvt[LVT_LINT0] = 0x8700;
    this.lvt[LVT_LINT1] = 0x8400;
    this.icrLow = 0x000c4610; // the start-up IPI SeaBIOS broadcast, still readable
    this.outputs.interruptStateChanged();
  }
}

function highestBit(words: Uint32Array): number {
  for (let i = 7; i >= 0; i--) if (words[i] !== 0) return i * 32 + 31 - Math.clz32(words[i]!);
  return -1;
}

function setBit(words: Uint32Array, bit: number): void {
  words[bit >> 5]! |= 1 << (bit & 31);
}

function clearBit(words: Uint32Array, bit: number): void {
  words[bit >> 5]! &= ~(1 << (bit & 31));
}
