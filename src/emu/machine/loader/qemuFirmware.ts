// What QEMU 7.2's `-kernel` path (SeaBIOS plus QEMU's multiboot option ROM) leaves in memory and
// in the CPU when a multiboot kernel's first instruction runs, measured with `-d cpu` and a probe
// kernel that dumped memory over COM1 (test/harness/kernels/sources/mbiDump.S).
// Owns: those facts: the entry register state, the option ROM's GDT at 0xCB2B8, the BIOS data
// area words kernels read, the E820 memory map SeaBIOS reports, mem_lower/mem_upper.
// Must not know: multiboot header parsing or image placement (multibootLoader.ts does that).
// Models Multiboot 0.6.96 §3.2 (machine state) as QEMU realises it.
import type { ProtectedModeEntryState, SegmentCache } from '../../cpu/cpuContracts';
import type { PhysicalMemory } from '../physicalMemory';
import { MULTIBOOT_BOOTLOADER_MAGIC } from './multibootHeader';

/** Where QEMU's option ROM keeps its GDT (five descriptors, limit 0x27). */
export const FIRMWARE_GDT_BASE = 0xcb2b8;
export const FIRMWARE_GDT_LIMIT = 0x27;
/** The option ROM's stack pointer when it jumps to the kernel. */
export const FIRMWARE_ENTRY_ESP = 0x6f08;

const FIRMWARE_GDT: readonly number[] = [
  0x00000000, 0x00000000, // null
  0x0000ffff, 0x00cf9a00, // 0x08: 32-bit code, base 0, 4 GiB
  0x0000ffff, 0x00cf9300, // 0x10: 32-bit data, base 0, 4 GiB (accessed)
  0x0000ffff, 0x00009e00, // 0x18: 16-bit code, base 0, 64 KiB
  0x0000ffff, 0x00009200, // 0x20: 16-bit data, base 0, 64 KiB
];

// Segment flags as the CPU contract keeps them (descriptor high dword & 0x00F0FF00). QEMU's log
// prints the limit's bits 19:16 as well (00cf9a00); comparisons mask them off.
const FLAT_CODE: SegmentCache = { selector: 0x08, base: 0, limit: 0xffffffff, flags: 0x00c09a00 };
const FLAT_DATA: SegmentCache = { selector: 0x10, base: 0, limit: 0xffffffff, flags: 0x00c09300 };

/**
 * The CPU state at the kernel's entry. EAX and EBX are the multiboot contract; ECX, EDX, EDI and
 * ESP are what the option ROM leaves behind (ECX holds the entry point it jumped through).
 */
export function qemuMultibootEntryState(entry: number, mbiAddress: number): ProtectedModeEntryState {
  return {
    registers: {
      eax: MULTIBOOT_BOOTLOADER_MAGIC,
      ebx: mbiAddress >>> 0,
      ecx: entry >>> 0,
      edx: 0x00010511,
      esi: 0,
      edi: 0x00001000,
      ebp: 0,
      esp: FIRMWARE_ENTRY_ESP,
    },
    eip: entry >>> 0,
    eflags: 0x00000006,
    segments: { es: FLAT_DATA, cs: FLAT_CODE, ss: FLAT_DATA, ds: FLAT_DATA, fs: FLAT_DATA, gs: FLAT_DATA },
    ldtr: { selector: 0, base: 0, limit: 0xffff, flags: 0x00008200 },
    tr: { selector: 0, base: 0, limit: 0xffff, flags: 0x00008b00 },
    gdtr: { base: FIRMWARE_GDT_BASE, limit: FIRMWARE_GDT_LIMIT },
    idtr: { base: 0, limit: 0x3ff },
    cr0: 0x00000011,
    cr2: 0,
    cr3: 0,
    cr4: 0,
  };
}

/** Writes the option ROM's GDT and the BIOS data area words a kernel commonly reads. */
export function writeFirmwareTables(memory: PhysicalMemory): void {
  const gdt = new Uint8Array(FIRMWARE_GDT.length * 4);
  const view = new DataView(gdt.buffer);
  FIRMWARE_GDT.forEach((word, i) => view.setUint32(i * 4, word, true));
  memory.writeBytes(FIRMWARE_GDT_BASE, gdt);
  memory.write16(0x400, 0x03f8); // COM1 base
  memory.write16(0x408, 0x0378); // LPT1 base
  memory.write16(0x40e, 0x9fc0); // EBDA segment
  memory.write16(0x410, 0x4227); // equipment word
  memory.write16(0x413, 0x027f); // conventional memory in KiB (639)
}

export interface E820Entry {
  readonly base: number;
  readonly length: number;
  /** 1 = usable RAM, 2 = reserved. */
  readonly type: number;
}

/** SeaBIOS reserves the top 128 KiB of RAM below 4 GiB for its tables. */
const SEABIOS_HIGH_RESERVED = 0x20000;

/** The E820 map SeaBIOS reports under QEMU for `ramBytes` of RAM (all of it below 4 GiB). */
export function qemuE820Map(ramBytes: number): E820Entry[] {
  return [
    { base: 0, length: 0x9fc00, type: 1 },
    { base: 0x9fc00, length: 0x400, type: 2 },
    { base: 0xf0000, length: 0x10000, type: 2 },
    { base: 0x100000, length: ramBytes - 0x100000 - SEABIOS_HIGH_RESERVED, type: 1 },
    { base: ramBytes - SEABIOS_HIGH_RESERVED, length: SEABIOS_HIGH_RESERVED, type: 2 },
    { base: 0xfffc0000, length: 0x40000, type: 2 }, // the BIOS flash
  ];
}

/** mem_lower and mem_upper in KiB, as QEMU's multiboot info reports them. */
export function qemuMemoryKiB(ramBytes: number): { lower: number; upper: number } {
  return { lower: 639, upper: (ramBytes - 0x100000 - SEABIOS_HIGH_RESERVED) / 1024 };
}
