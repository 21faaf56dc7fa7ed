// The I/O port address space (0-0xFFFF): dispatches IN/OUT to devices.
// Owns: port ranges and the rule that unmapped ports read as all ones and ignore writes.
// Must not know: the CPU's IOPL/TSS permission checks (the CPU does them before calling here).
import type { AccessSize, PortDevice } from './deviceContracts';

export class IoBus {
  private readonly devices: (PortDevice | undefined)[] = new Array(0x10000).fill(undefined);

  /** Attaches `device` to ports first..last inclusive. Later registrations win. */
  register(first: number, last: number, device: PortDevice): void {
    for (let port = first; port <= last; port++) this.devices[port & 0xffff] = device;
  }

  read(port: number, size: AccessSize): number {
    port &= 0xffff;
    const device = this.devices[port];
    if (device) return device.readPort(port, size) >>> 0;
    // Unmapped: the bus floats high, one byte at a time for wide accesses that straddle devices.
    if (size === 1) return 0xff;
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.read(port + i, 1);
    return value >>> 0;
  }

  write(port: number, size: AccessSize, value: number): void {
    port &= 0xffff;
    const device = this.devices[port];
    if (device) device.writePort(port, size, value >>> 0);
  }
}
