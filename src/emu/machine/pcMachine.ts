// The PC platform around the CPU, shaped like what `qemu-system-i386 -kernel` gives a multiboot
// kernel: RAM, the I/O bus, the 8259 pair, the 8254, COM1, the local APIC, fw_cfg, isa-debug-exit,
// ports 0x61/0x80/0x92, virtual time, and the run loop that slices CPU execution between device
// events and handles HLT.
// Owns: construction and wiring, the machine-level stop (CPU stop, debug exit, reset, halted
// forever). Must not know: how the CPU executes (it sees a CpuRunner made by an injected factory).
// Models QEMU's pc machine with SeaBIOS as the firmware state a multiboot kernel starts from.
import type { CpuRunner, StopReason } from '../cpu/cpuContracts';
import type { InterruptAcknowledge, InterruptPins, MsrHandler, PortDevice, TimedDevice } from './deviceContracts';
import { IoBus } from './ioBus';
import { PhysicalMemory } from './physicalMemory';
import { VirtualClock, type VirtualClockOptions } from './virtualClock';
import { InterruptRouter } from './interruptRouter';
import { Pic8259Pair } from './devices/pic8259';
import { Pit8254 } from './devices/pit8254';
import { Uart16550 } from './devices/uart16550';
import { APIC_DEFAULT_BASE, LocalApic } from './devices/localApic';
import { FwCfg, FW_CFG_PORT_DATA, FW_CFG_PORT_SELECTOR } from './devices/fwCfg';
import { ISA_DEBUG_EXIT_PORT, ISA_DEBUG_EXIT_SIZE, IsaDebugExit } from './devices/isaDebugExit';
import { SystemControlPortA } from './devices/systemControlPortA';
import { SystemControlPortB } from './devices/systemControlPortB';
import { PostCodePort } from './devices/postCodePort';
import { loadDefaultCpuFactory } from './defaultCpu';
import { loadMultiboot, type MultibootLoadOptions, type MultibootLoadResult } from './loader/multibootLoader';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;
export const MIB = 1024 * 1024;
/** RAM must end below the PCI hole QEMU's pc machine keeps under 4 GiB (0xE0000000). */
export const MAX_MEMORY_MIB = 3584;

/** What the CPU is built from. */
export interface CpuContext {
  readonly memory: PhysicalMemory;
  readonly io: IoBus;
  readonly interruptAcknowledge: InterruptAcknowledge;
  readonly msrHandler: MsrHandler;
  readonly clock: VirtualClock;
}

export type MachineCpu = CpuRunner & InterruptPins;
export type CpuFactory = (context: CpuContext) => MachineCpu;

export type MachineStopReason =
  | StopReason
  /** The guest wrote `value` to isa-debug-exit; `code` is QEMU's exit status (value << 1) | 1. */
  | { readonly kind: 'exit'; readonly code: number; readonly value: number }
  | { readonly kind: 'haltedForever'; readonly description: string }
  | { readonly kind: 'reset'; readonly description: string };

export interface PcMachineOptions {
  /** RAM size in MiB (default 128, as QEMU's default). */
  readonly memoryMiB?: number;
  readonly clock?: VirtualClockOptions;
  /** Builds the CPU; defaults to the emulator's Cpu class when it is available. */
  readonly createCpu?: CpuFactory;
  /** Receives every byte the guest transmits on COM1. */
  readonly serialOutput?: (byte: number) => void;
  /** Start the devices as SeaBIOS leaves them (default true) rather than in their reset state. */
  readonly firmwareState?: boolean;
  /** Deterministic mode: give up on a halt that no interrupt ended within this much virtual time. */
  readonly haltTimeoutNs?: number;
  /** Realtime mode: the longest one `run` call sleeps in HLT before returning 'halted'. */
  readonly realtimeHaltWaitMs?: number;
  /** Upper bound on one CPU slice (device events usually bound it earlier). */
  readonly maxSliceInstructions?: number;
}

const RESCHEDULE = 'machine: device schedule changed';
const INTERNAL_STOP = 'machine: device requested stop';

export class PcMachine {
  readonly memory: PhysicalMemory;
  readonly io = new IoBus();
  readonly clock: VirtualClock;
  readonly router = new InterruptRouter();
  readonly pic: Pic8259Pair;
  readonly pit: Pit8254;
  readonly uart: Uart16550;
  readonly apic: LocalApic;
  readonly fwCfg: FwCfg;
  readonly postCodes = new PostCodePort();
  private readonly timedDevices: TimedDevice[];
  private readonly createCpu: CpuFactory | undefined;
  private cpuInstance: MachineCpu | undefined;
  private exit: { code: number; value: number } | undefined;
  private resetRequested = false;
  private userStop: string | undefined;
  private inCpuRun = false;
  private sliceEndTime = Infinity;
  private haltedSince: number | undefined;
  private readonly haltTimeoutNs: number;
  private readonly realtimeHaltWaitMs: number;
  private readonly maxSlice: number;

  constructor(options: PcMachineOptions = {}) {
    const memoryMiB = options.memoryMiB ?? 128;
    if (!Number.isInteger(memoryMiB) || memoryMiB < 2 || memoryMiB > MAX_MEMORY_MIB) {
      throw new RangeError(`memory size ${memoryMiB} MiB is out of range (2 to ${MAX_MEMORY_MIB} MiB)`);
    }
    this.memory = new PhysicalMemory(memoryMiB * MIB);
    this.clock = new VirtualClock(options.clock);
    this.haltTimeoutNs = options.haltTimeoutNs ?? 10e9;
    this.realtimeHaltWaitMs = options.realtimeHaltWaitMs ?? 10;
    this.maxSlice = options.maxSliceInstructions ?? 1_000_000;
    this.createCpu = options.createCpu ?? loadDefaultCpuFactory();

    this.pic = new Pic8259Pair((level) => this.router.picOutputChanged(level));
    this.pit = new Pit8254(this.clock, () => this.pic.pulseIrq(0));
    this.uart = new Uart16550(COM1_BASE, options.serialOutput ?? (() => {}), (level) => this.pic.setIrq(COM1_IRQ, level));
    this.apic = new LocalApic(this.clock, {
      interruptStateChanged: () => this.router.update(),
      raiseNmi: () => this.router.raiseNmi(),
    });
    this.router.connect(this.pic, this.apic);
    this.fwCfg = new FwCfg({ ramBytes: this.memory.ramSize });
    this.timedDevices = [this.pit, this.apic];
    this.attachDevices();
    if (options.firmwareState ?? true) {
      this.pic.programAsFirmwareLeavesIt();
      this.pit.programAsFirmwareLeavesIt();
      this.apic.programAsFirmwareLeavesIt();
    }
  }

  private attachDevices(): void {
    const io = this.io;
    const pic = this.pic;
    io.register(0x20, 0x21, pic);
    io.register(0xa0, 0xa1, pic);
    io.register(0x4d0, 0x4d1, pic);
    io.register(0x40, 0x43, this.rescheduling(this.pit));
    io.register(0x61, 0x61, this.rescheduling(new SystemControlPortB(this.pit, this.clock)));
    io.register(0x80, 0x80, this.postCodes);
    io.register(0x92, 0x92, new SystemControlPortA(() => this.stopForDevice(() => (this.resetRequested = true))));
    io.register(COM1_BASE, COM1_BASE + 7, this.uart);
    io.register(FW_CFG_PORT_SELECTOR, FW_CFG_PORT_DATA, this.fwCfg);
    const debugExit = new IsaDebugExit((code, value) => this.stopForDevice(() => (this.exit = { code, value })));
    io.register(ISA_DEBUG_EXIT_PORT, ISA_DEBUG_EXIT_PORT + ISA_DEBUG_EXIT_SIZE - 1, debugExit);
    const apic = this.apic;
    this.memory.mapMmio(APIC_DEFAULT_BASE, 0x1000, {
      readMmio: (offset, size) => apic.readMmio(offset, size),
      writeMmio: (offset, size, value) => {
        apic.writeMmio(offset, size, value);
        this.noteScheduleChange();
      },
    });
  }

  /** Wraps a timed device's ports so that reprogramming it can end the current CPU slice early. */
  private rescheduling(device: PortDevice): PortDevice {
    return {
      readPort: (port, size) => device.readPort(port, size),
      writePort: (port, size, value) => {
        device.writePort(port, size, value);
        this.noteScheduleChange();
      },
    };
  }

  private noteScheduleChange(): void {
    if (this.inCpuRun && this.nextEventTime() < this.sliceEndTime) this.cpuInstance?.requestStop(RESCHEDULE);
  }

  private stopForDevice(record: () => void): void {
    record();
    if (this.inCpuRun) this.cpuInstance?.requestStop(INTERNAL_STOP);
  }

  /** The CPU, built on first use by the factory. */
  get cpu(): MachineCpu {
    if (!this.cpuInstance) {
      if (!this.createCpu) throw new Error('no CPU is available: pass createCpu (the emulator CPU module is not built yet)');
      const cpu = this.createCpu({
        memory: this.memory,
        io: this.io,
        interruptAcknowledge: this.router,
        msrHandler: this.apic,
        clock: this.clock,
      });
      this.cpuInstance = cpu;
      this.clock.attachInstructionCounter(() => cpu.instructionCount);
      this.router.attachCpu(cpu);
    }
    return this.cpuInstance;
  }

  get hasCpu(): boolean {
    return this.cpuInstance !== undefined || this.createCpu !== undefined;
  }

  /** Loads a multiboot kernel and puts the CPU at its entry, as `qemu-system-i386 -kernel` does. */
  bootMultiboot(image: Uint8Array, options: MultibootLoadOptions = {}): MultibootLoadResult {
    const result = loadMultiboot(this.memory, image, options);
    this.cpu.setEntryState(result.entryState);
    return result;
  }

  /** The exit recorded from isa-debug-exit, if the guest has written it. */
  get exitStatus(): { code: number; value: number } | undefined {
    return this.exit;
  }

  /** Virtual time of the next device event. */
  nextEventTime(): number {
    let next = Infinity;
    for (const device of this.timedDevices) next = Math.min(next, device.nextEventTime());
    return next;
  }

  /** Lets every device process what is due at the current time. */
  advanceDevices(): void {
    const now = this.clock.now();
    for (const device of this.timedDevices) if (device.nextEventTime() <= now) device.advanceTo(now);
  }

  /** An edge on the platform's NMI line (through LINT1 while the APIC is enabled). */
  raiseNmi(): void {
    this.apic.pulseLint1();
  }

  /** Asks a running `run` to return { kind: 'stopRequested', reason } after the current instruction. */
  requestStop(reason: string): void {
    this.userStop = reason;
    if (this.inCpuRun) this.cpuInstance?.requestStop(reason);
  }

  /** Runs up to `maxInstructions` instructions, slicing at device events. */
  run(maxInstructions: number): MachineStopReason {
    const cpu = this.cpu;
    const start = cpu.instructionCount;
    for (let idleSpins = 0; ; ) {
      const early = this.pendingStop();
      if (early) return early;
      this.advanceDevices();
      const executed = cpu.instructionCount - start;
      if (executed >= maxInstructions) return { kind: 'budget' };
      if (cpu.halted && !cpu.canWake) {
        const stop = this.waitWhileHalted();
        if (stop) return stop;
        continue;
      }
      this.haltedSince = undefined;
      const before = cpu.instructionCount;
      const reason = this.runSlice(cpu, maxInstructions - executed);
      idleSpins = cpu.instructionCount === before && reason.kind === 'halted' ? idleSpins + 1 : 0;
      if (idleSpins > 1000) return { kind: 'internalError', message: 'the CPU reports HLT wake-up but does not leave HLT' };
      if (reason.kind === 'budget' || reason.kind === 'halted') continue;
      if (reason.kind === 'stopRequested' && (reason.reason === RESCHEDULE || reason.reason === INTERNAL_STOP)) continue;
      if (reason.kind === 'stopRequested') this.userStop = undefined;
      return reason;
    }
  }

  /** Executes exactly one CPU step (an instruction or an event delivery), then due device events. */
  step(): MachineStopReason {
    const early = this.pendingStop();
    if (early) return early;
    this.advanceDevices();
    const reason = this.cpu.step();
    this.advanceDevices();
    return this.pendingStop() ?? reason;
  }

  private runSlice(cpu: MachineCpu, budget: number): StopReason {
    const untilEvent = this.clock.instructionsUntil(this.nextEventTime());
    const slice = Math.max(1, Math.min(budget, this.maxSlice, untilEvent));
    this.sliceEndTime = this.clock.mode === 'deterministic' ? this.clock.now() + slice * this.clock.nsPerInstruction : Infinity;
    this.inCpuRun = true;
    try {
      return cpu.run(slice);
    } finally {
      this.inCpuRun = false;
    }
  }

  private pendingStop(): MachineStopReason | undefined {
    if (this.exit) return { kind: 'exit', code: this.exit.code, value: this.exit.value };
    if (this.resetRequested) return { kind: 'reset', description: 'the guest requested a system reset through port 0x92' };
    if (this.userStop !== undefined) {
      const reason = this.userStop;
      this.userStop = undefined;
      return { kind: 'stopRequested', reason };
    }
    return undefined;
  }

  /** HLT with nothing to wake it now: move time to the next event, or decide it never ends. */
  private waitWhileHalted(): MachineStopReason | undefined {
    const now = this.clock.now();
    this.haltedSince ??= now;
    if (this.router.intrAsserted) {
      // INTR is up yet the CPU cannot take it: EFLAGS.IF is clear.
      return { kind: 'haltedForever', description: 'halted forever (interrupts disabled): HLT with EFLAGS.IF=0 while an interrupt is pending' };
    }
    const next = this.nextEventTime();
    if (this.clock.mode === 'realtime') {
      this.clock.waitUntil(next, this.realtimeHaltWaitMs);
      return this.clock.now() < next ? { kind: 'halted' } : undefined;
    }
    if (!Number.isFinite(next)) {
      return { kind: 'haltedForever', description: 'halted forever (interrupts disabled): HLT with no interrupt pending and no timer armed' };
    }
    if (next - this.haltedSince > this.haltTimeoutNs) {
      const seconds = this.haltTimeoutNs / 1e9;
      return { kind: 'haltedForever', description: `halted forever (interrupts disabled or masked): no interrupt ended HLT within ${seconds} s of virtual time` };
    }
    this.clock.skipTo(next);
    return undefined;
  }
}
