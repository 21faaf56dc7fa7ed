// Port 0x92, "system control port A" (fast A20 and fast reset). Owns: the A20 bit as read back.
// Must not know: the CPU; A20 is always enabled in this machine (a multiboot kernel starts with
// A20 on, and nothing here masks address bit 20), so bit 1 is only remembered. Writing bit 0 asks
// for a reset, which ends the run like QEMU with -no-reboot (a callback).
// Models the IBM PS/2 technical reference (port 92h) as QEMU implements it.
import type { AccessSize, PortDevice } from '../deviceContracts';

export class SystemControlPortA implements PortDevice {
  private value = 0x02; // A20 enabled, as SeaBIOS leaves it

  constructor(private readonly onReset: () => void) {}

  readPort(_port: number, _size: AccessSize): number {
    return this.value;
  }

  writePort(_port: number, _size: AccessSize, value: number): void {
    this.value = value & 0x02;
    if (value & 0x01) this.onReset();
  }
}
