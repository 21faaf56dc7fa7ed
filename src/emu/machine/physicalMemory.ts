// The physical address space: RAM from 0 to `ramSize`, memory-mapped device regions, and all-ones
// for anything else. Owns: the RAM bytes, MMIO dispatch, and the per-page "holds decoded code" marks
// that let every writer (CPU, loader, Host model, debugger) invalidate cached instructions.
// Must not know: paging, segmentation (the CPU translates before calling), any device's registers.
import type { AccessSize, MmioDevice } from './deviceContracts';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

interface MmioRegion {
  readonly base: number;
  readonly end: number; // exclusive
  readonly device: MmioDevice;
}

export class PhysicalMemory {
  readonly ram: Uint8Array;
  /** Little-endian views over `ram` for aligned accesses on the hot path. */
  readonly ram16: Uint16Array;
  readonly ram32: Int32Array;
  readonly ramSize: number;
  /** codePages[physicalPage] != 0 while a decoded-instruction cache holds code from that page. */
  readonly codePages = new Uint8Array(1 << 20);
  /** Called when a write lands on a page marked in `codePages` (set by the CPU's decode cache). */
  codeWriteListener: ((page: number) => void) | undefined;
  /** mmioPages[physicalPage] != 0 when the page belongs to an MMIO region (checked on TLB fill). */
  readonly mmioPages = new Uint8Array(1 << 20);
  private readonly regions: MmioRegion[] = [];

  constructor(ramBytes: number) {
    if (!Number.isInteger(ramBytes) || ramBytes < PAGE_SIZE || ramBytes > 0xf000_0000) {
      throw new RangeError(`memory size ${ramBytes} bytes is out of range (4 KiB to 3.75 GiB)`);
    }
    this.ramSize = Math.ceil(ramBytes / PAGE_SIZE) * PAGE_SIZE;
    const buffer = new ArrayBuffer(this.ramSize);
    this.ram = new Uint8Array(buffer);
    this.ram16 = new Uint16Array(buffer);
    this.ram32 = new Int32Array(buffer);
  }

  /** Maps `device` at [base, base+size). Regions must be page-aligned and must not overlap RAM. */
  mapMmio(base: number, size: number, device: MmioDevice): void {
    base >>>= 0;
    if (base % PAGE_SIZE !== 0 || size % PAGE_SIZE !== 0) throw new RangeError('MMIO regions must be page-aligned');
    if (base < this.ramSize) throw new RangeError(`MMIO region at ${hex(base)} overlaps RAM`);
    this.regions.push({ base, end: base + size, device });
    for (let page = base >>> PAGE_SHIFT; page < (base + size) / PAGE_SIZE; page++) this.mmioPages[page] = 1;
  }

  isRam(address: number): boolean {
    return address >>> 0 < this.ramSize;
  }

  read8(address: number): number {
    address >>>= 0;
    if (address < this.ramSize) return this.ram[address]!;
    return this.readOther(address, 1);
  }

  read16(address: number): number {
    address >>>= 0;
    if (address + 1 < this.ramSize) return this.ram[address]! | (this.ram[address + 1]! << 8);
    return this.readOther(address, 2);
  }

  read32(address: number): number {
    address >>>= 0;
    if (address + 3 < this.ramSize) {
      if ((address & 3) === 0) return this.ram32[address >>> 2]! >>> 0;
      const r = this.ram;
      return (r[address]! | (r[address + 1]! << 8) | (r[address + 2]! << 16) | (r[address + 3]! << 24)) >>> 0;
    }
    return this.readOther(address, 4);
  }

  write8(address: number, value: number): void {
    address >>>= 0;
    if (address < this.ramSize) {
      this.ram[address] = value;
      if (this.codePages[address >>> PAGE_SHIFT]) this.codeWritten(address >>> PAGE_SHIFT);
    } else this.writeOther(address, 1, value);
  }

  write16(address: number, value: number): void {
    address >>>= 0;
    if (address + 1 < this.ramSize) {
      this.ram[address] = value;
      this.ram[address + 1] = value >>> 8;
      this.noteWrite(address, 2);
    } else this.writeOther(address, 2, value);
  }

  write32(address: number, value: number): void {
    address >>>= 0;
    if (address + 3 < this.ramSize) {
      if ((address & 3) === 0) this.ram32[address >>> 2] = value;
      else {
        const r = this.ram;
        r[address] = value;
        r[address + 1] = value >>> 8;
        r[address + 2] = value >>> 16;
        r[address + 3] = value >>> 24;
      }
      this.noteWrite(address, 4);
    } else this.writeOther(address, 4, value);
  }

  /** Copies bytes out of the physical address space (MMIO and holes read as the bus answers). */
  readBytes(address: number, length: number): Uint8Array {
    address >>>= 0;
    if (address + length <= this.ramSize) return this.ram.slice(address, address + length);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.read8(address + i);
    return out;
  }

  /** Copies bytes into the physical address space, invalidating any decoded code they overwrite. */
  writeBytes(address: number, bytes: Uint8Array): void {
    address >>>= 0;
    if (address + bytes.length <= this.ramSize) {
      this.ram.set(bytes, address);
      this.noteWrite(address, bytes.length);
      return;
    }
    for (let i = 0; i < bytes.length; i++) this.write8(address + i, bytes[i]!);
  }

  /** Fills [address, address+length) of RAM with `value`. */
  fill(address: number, length: number, value = 0): void {
    address >>>= 0;
    const end = Math.min(address + length, this.ramSize);
    this.ram.fill(value, address, end);
    this.noteWrite(address, end - address);
  }

  /** Tells the code-cache owner that [address, address+length) of RAM changed. */
  noteWrite(address: number, length: number): void {
    if (length <= 0) return;
    const first = address >>> PAGE_SHIFT;
    const last = (address + length - 1) >>> PAGE_SHIFT;
    for (let page = first; page <= last; page++) if (this.codePages[page]) this.codeWritten(page);
  }

  private codeWritten(page: number): void {
    this.codePages[page] = 0;
    this.codeWriteListener?.(page);
  }

  private findRegion(address: number): MmioRegion | undefined {
    for (const region of this.regions) if (address >= region.base && address < region.end) return region;
    return undefined;
  }

  private readOther(address: number, size: AccessSize): number {
    const region = this.findRegion(address);
    if (region && address + size <= region.end) return region.device.readMmio(address - region.base, size) >>> 0;
    // Straddling RAM's end, a region's edge, or nothing mapped: byte by byte, holes read 0xFF.
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.readByteAnywhere((address + i) >>> 0);
    return value >>> 0;
  }

  private readByteAnywhere(address: number): number {
    if (address < this.ramSize) return this.ram[address]!;
    const region = this.findRegion(address);
    return region ? region.device.readMmio(address - region.base, 1) & 0xff : 0xff;
  }

  private writeOther(address: number, size: AccessSize, value: number): void {
    const region = this.findRegion(address);
    if (region && address + size <= region.end) {
      region.device.writeMmio(address - region.base, size, value >>> 0);
      return;
    }
    for (let i = 0; i < size; i++) {
      const byteAddress = (address + i) >>> 0;
      const byte = (value >>> (8 * i)) & 0xff;
      if (byteAddress < this.ramSize) this.write8(byteAddress, byte);
      else this.findRegion(byteAddress)?.device.writeMmio(byteAddress - this.findRegion(byteAddress)!.base, 1, byte);
    }
  }
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
