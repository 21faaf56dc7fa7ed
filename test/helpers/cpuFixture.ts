// A CPU in flat 32-bit protected mode with a small GDT, ready to run code placed in memory, for
// CPU unit tests that need no machine. GDT: 0x08 ring-0 code, 0x10 ring-0 data, 0x18 ring-3 code
// (selector 0x1B), 0x20 ring-3 data (0x23), 0x28 ring-1 code (0x29), 0x30 ring-1 data (0x31),
// 0x38 a 32-bit TSS (not loaded). IDT at 0x800 (empty, limit 0x7FF).
import { PhysicalMemory } from '../../src/emu/machine/physicalMemory';
import { IoBus } from '../../src/emu/machine/ioBus';
import { Cpu } from '../../src/emu/cpu/cpu';
import type { CpuOptions } from '../../src/emu/cpu/cpuState';

export const GDT_BASE = 0x500;
export const IDT_BASE = 0x800;
export const TSS_BASE = 0x1000;
export const CODE_BASE = 0x10000;
export const STACK_TOP = 0x9f000;

/** A flat descriptor (base 0, limit 4 GiB, 32-bit) with the given access byte. */
export function flatDescriptor(access: number): [number, number] {
  return [0x0000ffff, 0x00cf0000 | (access << 8)];
}

export interface FlatCpu {
  readonly cpu: Cpu;
  readonly memory: PhysicalMemory;
  readonly io: IoBus;
  /** Copies code to `at` (default CODE_BASE) and points EIP at it. */
  load(code: Uint8Array | readonly number[], at?: number): void;
}

export function createFlatCpu(options: { memoryBytes?: number; cpu?: CpuOptions } = {}): FlatCpu {
  const memory = new PhysicalMemory(options.memoryBytes ?? 16 * 1024 * 1024);
  const io = new IoBus();
  const cpu = new Cpu(memory, io, options.cpu);
  const descriptors: [number, number][] = [
    [0, 0],
    flatDescriptor(0x9b),
    flatDescriptor(0x93),
    flatDescriptor(0xfb),
    flatDescriptor(0xf3),
    flatDescriptor(0xbb),
    flatDescriptor(0xb3),
    [((TSS_BASE & 0xffff) << 16) | 0x67, (TSS_BASE & 0xff000000) | ((TSS_BASE >>> 16) & 0xff) | 0x8900],
  ];
  descriptors.forEach(([low, high], i) => {
    memory.write32(GDT_BASE + i * 8, low);
    memory.write32(GDT_BASE + i * 8 + 4, high);
  });
  const flat = (selector: number, flags: number) => ({ selector, base: 0, limit: 0xffffffff, flags });
  cpu.setEntryState({
    registers: { eax: 0, ecx: 0, edx: 0, ebx: 0, esp: STACK_TOP, ebp: 0, esi: 0, edi: 0 },
    eip: CODE_BASE,
    eflags: 0x2,
    segments: {
      cs: flat(0x08, 0x00cf9b00), ss: flat(0x10, 0x00cf9300), ds: flat(0x10, 0x00cf9300),
      es: flat(0x10, 0x00cf9300), fs: flat(0x10, 0x00cf9300), gs: flat(0x10, 0x00cf9300),
    },
    gdtr: { base: GDT_BASE, limit: descriptors.length * 8 - 1 },
    idtr: { base: IDT_BASE, limit: 0x7ff },
    cr0: 0x11,
    cr3: 0,
    cr4: 0,
  });
  return {
    cpu,
    memory,
    io,
    load(code, at = CODE_BASE) {
      memory.writeBytes(at, Uint8Array.from(code));
      cpu.eip = at;
    },
  };
}
