// The 8254 programmable interval timer at ports 0x40-0x43: three channels clocked at 1.193182 MHz;
// channel 0's output drives IRQ0, channel 2's gate and output are reached through port 0x61.
// Owns: control words, modes 0-5, binary/BCD counting, lobyte/hibyte/lo-hi access with the read
// and write flip-flops, counter latch and read-back commands, and when channel 0 next rises.
// Must not know: the PIC or the CPU (IRQ0 is a callback), how virtual time advances (a Clock).
// Models the Intel 8254 datasheet (control word format, mode waveforms, read-back status byte).
// Like QEMU's i8254, a channel counts from the moment its count is written, a new count restarts
// it at once, and the gate is ignored in modes 0 and 4; the status byte's null-count bit reads 0.
import type { AccessSize, Clock, PortDevice, TimedDevice } from '../deviceContracts';

export const PIT_HZ = 1_193_182;
const NS_PER_S = 1_000_000_000;

/** Whole PIT ticks elapsed at virtual time `ns` (exact for any ns below 2^53). */
export function pitTicksAt(ns: number): number {
  const seconds = Math.floor(ns / NS_PER_S);
  return seconds * PIT_HZ + Math.floor(((ns - seconds * NS_PER_S) * PIT_HZ) / NS_PER_S);
}

/** The earliest virtual time at which `pitTicksAt` reaches `ticks`. */
export function pitTimeOfTick(ticks: number): number {
  const seconds = Math.floor(ticks / PIT_HZ);
  return seconds * NS_PER_S + Math.ceil(((ticks - seconds * PIT_HZ) * NS_PER_S) / PIT_HZ);
}

const ACCESS_LATCH = 0;
const ACCESS_LOW = 1;
const ACCESS_HIGH = 2;
const ACCESS_LOW_HIGH = 3;

export class PitChannel {
  mode = 0;
  bcd = false;
  access = ACCESS_LOW_HIGH;
  /** The count N in counting units (0 written means 65536, or 10000 in BCD). */
  count = 0x10000;
  /** Tick at which counting began, or NaN while stopped (no count yet, waiting for a trigger). */
  startTick = NaN;
  gate: boolean;
  /** Output level while stopped: low after a mode-0 control word, high otherwise. */
  idleOutput = true;
  private writeLowPending = false;
  private writeLow = 0;
  private readHighNext = false;
  private latched: number[] = [];
  private statusLatch: number | undefined;

  constructor(gate: boolean) {
    this.gate = gate;
  }

  private get modulus(): number {
    return this.bcd ? 10000 : 0x10000;
  }

  get running(): boolean {
    return !Number.isNaN(this.startTick);
  }

  /** Output level at absolute tick `now`. */
  outputAt(now: number): boolean {
    if (!this.running) return this.idleOutput;
    const n = this.count;
    const d = now - this.startTick;
    switch (this.mode) {
      case 0: case 1: return d >= n;
      case 2: return !this.gate || d % n !== n - 1;
      case 3: return !this.gate || d % n < (n + 1) >> 1;
      default: return d !== n; // 4, 5: one tick low at terminal count
    }
  }

  /** Counter element value at absolute tick `now`, in counting units. */
  counterAt(now: number): number {
    if (!this.running) return this.count % this.modulus;
    const n = this.count;
    const d = now - this.startTick;
    let value: number;
    if (this.mode === 2) value = n - (d % n);
    else if (this.mode === 3) value = n - ((2 * d) % n);
    else value = n - (d % this.modulus);
    return ((value % this.modulus) + this.modulus) % this.modulus;
  }

  /** Absolute tick of the next rising edge of the output strictly after `now`, or Infinity. */
  nextRisingEdge(now: number): number {
    if (!this.running || ((this.mode === 2 || this.mode === 3) && !this.gate)) return Infinity;
    const n = this.count;
    const d = now - this.startTick;
    switch (this.mode) {
      case 0: case 1: return d < n ? this.startTick + n : Infinity;
      case 2: case 3: return this.startTick + (Math.floor(d / n) + 1) * n;
      default: return d < n + 1 ? this.startTick + n + 1 : Infinity;
    }
  }

  writeControl(value: number): void {
    const access = (value >> 4) & 3;
    if (access === ACCESS_LATCH) {
      this.latchCount(this.lastTick);
      return;
    }
    this.access = access;
    this.mode = (value >> 1) & 7;
    if (this.mode > 5) this.mode -= 4; // 6 and 7 alias modes 2 and 3
    this.bcd = (value & 1) !== 0;
    this.writeLowPending = false;
    this.readHighNext = false;
    this.startTick = NaN;
    this.idleOutput = this.mode !== 0;
  }

  writeCount(value: number, now: number): void {
    let raw: number;
    if (this.access === ACCESS_LOW) raw = value;
    else if (this.access === ACCESS_HIGH) raw = value << 8;
    else if (!this.writeLowPending) {
      this.writeLow = value;
      this.writeLowPending = true;
      return;
    } else {
      raw = this.writeLow | (value << 8);
      this.writeLowPending = false;
    }
    const units = this.bcd ? fromBcd(raw) : raw;
    this.count = units === 0 ? this.modulus : units;
    // Modes 1 and 5 wait for a gate trigger; the others start counting now.
    if (this.mode === 1 || this.mode === 5) this.startTick = NaN;
    else this.startTick = now;
  }

  /** Gate input; a rising edge triggers modes 1 and 5 and restarts modes 2 and 3. */
  setGate(level: boolean, now: number): void {
    const rising = level && !this.gate;
    this.gate = level;
    if (rising && this.mode !== 0 && this.mode !== 4) this.startTick = now;
  }

  /** Tick of the most recent port access (for the counter latch inside writeControl). */
  lastTick = 0;

  latchCount(now: number): void {
    if (this.latched.length > 0) return;
    const value = this.bcd ? toBcd(this.counterAt(now)) : this.counterAt(now);
    if (this.access === ACCESS_LOW) this.latched = [value & 0xff];
    else if (this.access === ACCESS_HIGH) this.latched = [(value >> 8) & 0xff];
    else this.latched = [value & 0xff, (value >> 8) & 0xff];
  }

  latchStatus(now: number): void {
    if (this.statusLatch !== undefined) return;
    this.statusLatch = (this.outputAt(now) ? 0x80 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  read(now: number): number {
    if (this.statusLatch !== undefined) {
      const status = this.statusLatch;
      this.statusLatch = undefined;
      return status;
    }
    if (this.latched.length > 0) return this.latched.shift()!;
    const raw = this.counterAt(now);
    const value = this.bcd ? toBcd(raw) : raw;
    if (this.access === ACCESS_LOW) return value & 0xff;
    if (this.access === ACCESS_HIGH) return (value >> 8) & 0xff;
    this.readHighNext = !this.readHighNext;
    return this.readHighNext ? value & 0xff : (value >> 8) & 0xff;
  }
}

export class Pit8254 implements PortDevice, TimedDevice {
  readonly channels = [new PitChannel(true), new PitChannel(true), new PitChannel(false)];
  /** Absolute tick at or before which channel 0's rising edges have been delivered. */
  private deliveredTick = 0;

  /** `raiseIrq0` receives one call per rising edge of channel 0's output. */
  constructor(
    private readonly clock: Clock,
    private readonly raiseIrq0: () => void,
  ) {}

  private ticksNow(): number {
    const now = pitTicksAt(this.clock.now());
    for (const channel of this.channels) channel.lastTick = now;
    return now;
  }

  readPort(port: number, _size: AccessSize): number {
    const index = port - 0x40;
    if (index < 0 || index > 2) return 0xff; // the control register is write-only
    return this.channels[index]!.read(this.ticksNow());
  }

  writePort(port: number, _size: AccessSize, value: number): void {
    value &= 0xff;
    const now = this.ticksNow();
    this.advanceTo(this.clock.now()); // edges due before the reprogramming still count
    const index = port - 0x40;
    if (index >= 0 && index <= 2) {
      this.channels[index]!.writeCount(value, now);
      if (index === 0) this.deliveredTick = now;
    } else if (index === 3) this.writeControlWord(value, now);
  }

  private writeControlWord(value: number, now: number): void {
    const select = value >> 6;
    if (select !== 3) {
      this.channels[select]!.writeControl(value);
      return;
    }
    // Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 pick channels.
    for (let i = 0; i < 3; i++) {
      if ((value & (2 << i)) === 0) continue;
      const channel = this.channels[i]!;
      if ((value & 0x10) === 0) channel.latchStatus(now);
      if ((value & 0x20) === 0) channel.latchCount(now);
    }
  }

  /** Channel 2's gate (port 0x61 bit 0). */
  setChannel2Gate(level: boolean): void {
    this.channels[2]!.setGate(level, this.ticksNow());
  }

  channel2Output(): boolean {
    return this.channels[2]!.outputAt(this.ticksNow());
  }

  nextEventTime(): number {
    const edge = this.channels[0]!.nextRisingEdge(this.deliveredTick);
    return Number.isFinite(edge) ? pitTimeOfTick(edge) : Infinity;
  }

  advanceTo(time: number): void {
    const now = pitTicksAt(time);
    const edge = this.channels[0]!.nextRisingEdge(this.deliveredTick);
    if (edge <= now) this.raiseIrq0(); // edges missed together latch IRR once, as on the chip
    if (now > this.deliveredTick) this.deliveredTick = now;
  }

  /** Channel 0 as SeaBIOS leaves it: mode 2, lo/hi access, count 65536 (18.2 Hz). */
  programAsFirmwareLeavesIt(): void {
    this.writePort(0x43, 1, 0x34);
    this.writePort(0x40, 1, 0x00);
    this.writePort(0x40, 1, 0x00);
  }
}

function fromBcd(value: number): number {
  return ((value >> 12) & 0xf) * 1000 + ((value >> 8) & 0xf) * 100 + ((value >> 4) & 0xf) * 10 + (value & 0xf);
}

function toBcd(value: number): number {
  return ((Math.floor(value / 1000) % 10) << 12) | ((Math.floor(value / 100) % 10) << 8) | ((Math.floor(value / 10) % 10) << 4) | (value % 10);
}
