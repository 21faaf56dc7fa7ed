// The lguest structures shared by the Switcher, the Guest and the Host, declared once: the Host
// model reads and writes memory through these offsets, and the built-in asm-offsets.h is generated
// from them. Owns: layouts and the asm-offsets symbol list. Must not know: Host behaviour.
// Models drivers/lguest/lg.h (2.6.23 struct lguest_regs order, as the Switcher's pushes fix it),
// include/linux/lguest.h (2.6.24 struct lguest_data) and asm-offsets_32.c; values in
// reference/lguest-facts.md §2.
import { arrayOf, defineStruct, u16, u32, u8 } from './structLayout';

export const PAGE_SIZE = 4096;
export const IDT_ENTRIES = 256;
export const GDT_ENTRIES = 32;
export const LHCALL_RING_SIZE = 64;

/** The Guest's saved registers, in the 2.6.23 order the Switcher pushes and pops (ebx first). */
export const lguestRegs = defineStruct('lguest_regs', [
  ['ebx', u32], ['ecx', u32], ['edx', u32], ['esi', u32], ['edi', u32], ['ebp', u32],
  ['gs', u32], ['eax', u32], ['fs', u32], ['ds', u32], ['es', u32],
  // Filled by the stubs and the CPU on the way out of the Guest.
  ['trapnum', u32], ['errcode', u32],
  ['eip', u32], ['cs', u32], ['eflags', u32], ['esp', u32], ['ss', u32],
]);

/** Operand of lgdt/lidt/sgdt/sidt as 2.6.23/2.6.24 declare it: size, address, then padding. */
export const descriptorPointer = defineStruct('Xgt_desc_struct', [['size', u16], ['address', u32], ['pad', u16]], { packed: true });

/** One GDT or IDT entry as two dwords. */
export const descStruct = defineStruct('desc_struct', [['a', u32], ['b', u32]]);

/** The 32-bit hardware TSS (Intel SDM Vol. 3A §7.2.1). */
export const i386HwTss = defineStruct(
  'i386_hw_tss',
  [
    ['back_link', u16], ['__blh', u16],
    ['esp0', u32], ['ss0', u16], ['__ss0h', u16],
    ['esp1', u32], ['ss1', u16], ['__ss1h', u16],
    ['esp2', u32], ['ss2', u16], ['__ss2h', u16],
    ['__cr3', u32], ['eip', u32], ['eflags', u32],
    ['eax', u32], ['ecx', u32], ['edx', u32], ['ebx', u32],
    ['esp', u32], ['ebp', u32], ['esi', u32], ['edi', u32],
    ['es', u16], ['__esh', u16], ['cs', u16], ['__csh', u16], ['ss', u16], ['__ssh', u16],
    ['ds', u16], ['__dsh', u16], ['fs', u16], ['__fsh', u16], ['gs', u16], ['__gsh', u16],
    ['ldt', u16], ['__ldth', u16],
    ['trace', u16], ['io_bitmap_base', u16],
  ],
  { packed: true },
);

/** The per-CPU state page the Guest may read but not write. */
export const lguestRoState = defineStruct('lguest_ro_state', [
  ['host_cr3', u32],
  ['host_idt_desc', descriptorPointer],
  ['host_gdt_desc', descriptorPointer],
  ['host_sp', u32],
  ['guest_idt_desc', descriptorPointer],
  ['guest_gdt_desc', descriptorPointer],
  ['guest_tss', i386HwTss],
  ['guest_idt', arrayOf(descStruct, IDT_ENTRIES)],
  ['guest_gdt', arrayOf(descStruct, GDT_ENTRIES)],
]);

/** Two pages per CPU at SWITCHER_ADDR + PAGE_SIZE * (1 + 2 * cpu): the regs page, then the state page. */
export const lguestPages = defineStruct(
  'lguest_pages',
  [
    ['spare', arrayOf(u8, PAGE_SIZE - lguestRegs.size)],
    ['regs', lguestRegs],
    ['state', lguestRoState],
  ],
  { aligned: PAGE_SIZE },
);

/** The 2.6.24 hypercall ring entry: arg0..arg3 in the order eax, ebx, ecx, edx are saved. */
export const hcallArgs = defineStruct('hcall_args', [['arg0', u32], ['arg2', u32], ['arg3', u32], ['arg1', u32]]);

export const timespec = defineStruct('timespec', [['tv_sec', u32], ['tv_nsec', u32]]);

/** The structure shared between Guest and Host in Guest memory (2.6.24 layout, with pgdir). */
export const lguestData = defineStruct('lguest_data', [
  ['irq_enabled', u32],
  ['blocked_interrupts', arrayOf(u32, 1)],
  ['cr2', u32],
  ['time', timespec],
  ['hcall_status', arrayOf(u8, LHCALL_RING_SIZE)],
  ['hcalls', arrayOf(hcallArgs, LHCALL_RING_SIZE)],
  ['reserve_mem', u32],
  ['tsc_khz', u32],
  ['pgdir', u32],
  ['noirq_start', u32],
  ['noirq_end', u32],
  ['kernel_address', u32],
  ['syscall_vec', u32],
]);

/** Offsets of the boot_params fields the Guest head's world refers to (x86 boot protocol 2.07). */
export const bootParamsOffsets = {
  scratch: 0x1e4,
  e820_entries: 0x1e8,
  version: 0x206,
  type_of_loader: 0x210,
  loadflags: 0x211,
  cmd_line_ptr: 0x228,
  hardware_subarch: 0x23c,
  e820_map: 0x2d0,
} as const;

export interface AsmOffset {
  readonly symbol: string;
  readonly value: number;
  /** What the value is, e.g. `offsetof(struct lguest_pages, regs)`. */
  readonly derivation: string;
}

function offset(symbol: string, struct: { name: string; offsetOf(path: string): number }, path: string): AsmOffset {
  return { symbol, value: struct.offsetOf(path), derivation: `offsetof(struct ${struct.name}, ${path})` };
}

/** The asm-offsets.h symbols the lguest assembly uses, computed from the layouts above. */
export const asmOffsets: readonly AsmOffset[] = [
  offset('LGUEST_DATA_irq_enabled', lguestData, 'irq_enabled'),
  offset('LGUEST_DATA_pgdir', lguestData, 'pgdir'),
  offset('LGUEST_PAGES_host_gdt_desc', lguestPages, 'state.host_gdt_desc'),
  offset('LGUEST_PAGES_host_idt_desc', lguestPages, 'state.host_idt_desc'),
  offset('LGUEST_PAGES_host_cr3', lguestPages, 'state.host_cr3'),
  offset('LGUEST_PAGES_host_sp', lguestPages, 'state.host_sp'),
  offset('LGUEST_PAGES_guest_gdt_desc', lguestPages, 'state.guest_gdt_desc'),
  offset('LGUEST_PAGES_guest_idt_desc', lguestPages, 'state.guest_idt_desc'),
  offset('LGUEST_PAGES_guest_gdt', lguestPages, 'state.guest_gdt'),
  offset('LGUEST_PAGES_regs_trapnum', lguestPages, 'regs.trapnum'),
  offset('LGUEST_PAGES_regs_errcode', lguestPages, 'regs.errcode'),
  offset('LGUEST_PAGES_regs', lguestPages, 'regs'),
  ...Object.entries(bootParamsOffsets)
    .filter(([name]) => ['scratch', 'loadflags', 'hardware_subarch', 'version'].includes(name))
    .map(([name, value]) => ({ symbol: `BP_${name}`, value, derivation: `offsetof(struct boot_params, ${name === 'scratch' ? name : `hdr.${name}`})` })),
];
