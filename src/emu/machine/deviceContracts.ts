// How devices plug into the machine: port I/O, memory-mapped I/O, interrupt lines and virtual time.
// Owns: the interfaces only. Must not know: any particular device or the CPU's internals.

export type AccessSize = 1 | 2 | 4;

/** A device on the I/O port bus. `port` is the absolute port number. */
export interface PortDevice {
  readPort(port: number, size: AccessSize): number;
  writePort(port: number, size: AccessSize, value: number): void;
}

/** A device in the physical address space. `offset` is relative to the region's base. */
export interface MmioDevice {
  readMmio(offset: number, size: AccessSize): number;
  writeMmio(offset: number, size: AccessSize, value: number): void;
}

/** The CPU's interrupt pins, driven by the interrupt controllers. */
export interface InterruptPins {
  /** Level of the INTR line (maskable interrupts; sampled when EFLAGS.IF=1). */
  setIntr(asserted: boolean): void;
  /** Edge on the NMI line (latched until delivered). */
  raiseNmi(): void;
  /** INIT (accepted and ignored on a uniprocessor that is already running) and SIPI. */
  raiseInit?(): void;
}

/** Answers the CPU's interrupt-acknowledge cycle with a vector number (0-255). */
export interface InterruptAcknowledge {
  acknowledgeInterrupt(): number;
}

/**
 * Virtual time in nanoseconds. In deterministic mode it advances only with executed instructions
 * (and jumps ahead while the CPU halts), so runs replay exactly; in realtime mode it follows the
 * wall clock.
 */
export interface Clock {
  now(): number;
}

/** A device with timed behaviour (PIT, APIC timer, serial transmit). */
export interface TimedDevice {
  /** Virtual time of the device's next event, or Infinity. */
  nextEventTime(): number;
  /** Processes everything due at or before `time`. */
  advanceTo(time: number): void;
}

/** Model-specific registers that belong to the platform rather than the core (IA32_APIC_BASE). */
export interface MsrHandler {
  /** The value, or undefined when this handler does not implement `index`. */
  readMsr(index: number): bigint | undefined;
  /** True when handled; false when this handler does not implement `index`. */
  writeMsr(index: number, value: bigint): boolean;
}
