// QEMU's isa-debug-exit device (configured as iobase=0xf4, iosize=4): a write of value v ends
// the run with exit status (v << 1) | 1. Owns: the port behaviour. Must not know: how the
// machine stops (a callback receives the status).
// Models the QEMU device documentation for isa-debug-exit (the status formula).
import type { AccessSize, PortDevice } from '../deviceContracts';

export const ISA_DEBUG_EXIT_PORT = 0xf4;
export const ISA_DEBUG_EXIT_SIZE = 4;

/** The exit status QEMU reports for a write of `value` (the process exit code is its low byte). */
export function debugExitStatus(value: number): number {
  return ((value << 1) | 1) >>> 0;
}

export class IsaDebugExit implements PortDevice {
  constructor(private readonly onExit: (status: number, value: number) => void) {}

  readPort(_port: number, _size: AccessSize): number {
    return 0;
  }

  writePort(_port: number, _size: AccessSize, value: number): void {
    this.onExit(debugExitStatus(value >>> 0), value >>> 0);
  }
}
