// Constants of lguest's world, with their Linux spelling, shared by the Host model and the built-in
// headers. Owns: numbers only. Values from reference/lguest-facts.md §3 (segment.h, lguest.h,
// lguest_hcall.h, page.h, thread_info.h, processor-flags.h of 2.6.23/2.6.24).

export const PAGE_SHIFT = 12;
export const __PAGE_OFFSET = 0xc000_0000;
export const THREAD_SIZE = 8192;

export const SWITCHER_ADDR = 0xffc0_0000;
export const GUEST_PL = 1;
export const LGUEST_TRAP_ENTRY = 0x1f;
export const LGUEST_IRQS = 32;
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const SYSCALL_VECTOR = 0x80;

/** GDT slots (include/asm-i386/segment.h; identical in asm-x86/segment_32.h). */
export const GDT_ENTRY = {
  TLS_MIN: 6,
  TLS_MAX: 8,
  LGUEST_CS: 10,
  LGUEST_DS: 11,
  KERNEL_BASE: 12,
  KERNEL_CS: 12,
  KERNEL_DS: 13,
  DEFAULT_USER_CS: 14,
  DEFAULT_USER_DS: 15,
  TSS: 16,
  LDT: 17,
  PNPBIOS_BASE: 18,
  APMBIOS_BASE: 23,
  ESPFIX_SS: 26,
  PERCPU: 27,
  DOUBLEFAULT_TSS: 31,
} as const;

export const GDT_ENTRIES = 32;
export const LGUEST_CS = GDT_ENTRY.LGUEST_CS * 8;
export const LGUEST_DS = GDT_ENTRY.LGUEST_DS * 8;
export const __KERNEL_CS = GDT_ENTRY.KERNEL_CS * 8;
export const __KERNEL_DS = GDT_ENTRY.KERNEL_DS * 8;
export const __USER_CS = GDT_ENTRY.DEFAULT_USER_CS * 8 + 3;
export const __USER_DS = GDT_ENTRY.DEFAULT_USER_DS * 8 + 3;

/** Hypercall numbers (2.6.24 asm-x86/lguest_hcall.h; 11-13 existed only in 2.6.23). */
export const LHCALL = {
  FLUSH_ASYNC: 0,
  LGUEST_INIT: 1,
  CRASH: 2,
  LOAD_GDT: 3,
  NEW_PGTABLE: 4,
  FLUSH_TLB: 5,
  LOAD_IDT_ENTRY: 6,
  SET_STACK: 7,
  TS: 8,
  SET_CLOCKEVENT: 9,
  HALT: 10,
  SET_PTE: 14,
  SET_PMD: 15,
  LOAD_TLS: 16,
  NOTIFY: 17,
} as const;

export const X86_EFLAGS = {
  CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, TF: 0x100, IF: 0x200, DF: 0x400, OF: 0x800,
  IOPL: 0x3000, NT: 0x4000, RF: 0x10000, VM: 0x20000, AC: 0x40000, VIF: 0x80000, VIP: 0x100000, ID: 0x200000,
} as const;

export const X86_CR0 = {
  PE: 0x1, MP: 0x2, EM: 0x4, TS: 0x8, ET: 0x10, NE: 0x20, WP: 0x10000, AM: 0x40000, NW: 0x20000000, CD: 0x40000000, PG: 0x80000000,
} as const;

export const X86_CR4 = {
  VME: 0x1, PVI: 0x2, TSD: 0x4, DE: 0x8, PSE: 0x10, PAE: 0x20, MCE: 0x40, PGE: 0x80, PCE: 0x100, OSFXSR: 0x200, OSXMMEXCPT: 0x400,
} as const;

/** Page table entry bits (asm/pgtable.h). */
export const _PAGE = {
  PRESENT: 0x1, RW: 0x2, USER: 0x4, PWT: 0x8, PCD: 0x10, ACCESSED: 0x20, DIRTY: 0x40, PSE: 0x80, GLOBAL: 0x100,
} as const;
export const _PAGE_TABLE = 0x67;
export const _PAGE_KERNEL = 0x63;
