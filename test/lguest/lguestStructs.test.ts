// The struct layouts reproduce the offsets of reference/lguest-facts.md §2 (measured there with gcc -m32).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asmOffsets, i386HwTss, lguestData, lguestPages, lguestRegs, lguestRoState } from '../../src/emu/lguest/lguestStructs';

test('struct sizes match the 2.6.23/2.6.24 layouts', () => {
  assert.equal(lguestRegs.size, 72);
  assert.equal(i386HwTss.size, 104);
  assert.equal(lguestRoState.size, 2448);
  assert.equal(lguestPages.size, 8192);
  assert.equal(lguestData.size, 1136);
});

test('asm-offsets values', () => {
  const expected: Record<string, number> = {
    LGUEST_PAGES_host_cr3: 0x1000,
    LGUEST_PAGES_host_idt_desc: 0x1004,
    LGUEST_PAGES_host_gdt_desc: 0x100c,
    LGUEST_PAGES_host_sp: 0x1014,
    LGUEST_PAGES_guest_idt_desc: 0x1018,
    LGUEST_PAGES_guest_gdt_desc: 0x1020,
    LGUEST_PAGES_guest_gdt: 0x1890,
    LGUEST_PAGES_regs_trapnum: 0xfe4,
    LGUEST_PAGES_regs_errcode: 0xfe8,
    LGUEST_PAGES_regs: 0xfb8,
    LGUEST_DATA_irq_enabled: 0,
    LGUEST_DATA_pgdir: 0x45c,
    BP_scratch: 0x1e4,
    BP_loadflags: 0x211,
    BP_hardware_subarch: 0x23c,
    BP_version: 0x206,
  };
  assert.deepEqual(Object.fromEntries(asmOffsets.map((o) => [o.symbol, o.value])), expected);
});

test('fields the Switcher and the Host use sit where the facts put them', () => {
  assert.equal(lguestPages.offsetOf('state.guest_tss'), 0x1028);
  assert.equal(lguestPages.offsetOf('state.guest_tss.esp0'), 0x102c);
  assert.equal(lguestPages.offsetOf('state.guest_tss.esp1'), 0x1034);
  assert.equal(lguestPages.offsetOf('state.guest_tss.io_bitmap_base'), 0x108e);
  assert.equal(lguestPages.offsetOf('state.guest_idt'), 0x1090);
  assert.equal(lguestPages.offsetOf('state.guest_gdt.16'), 0x1910);
  assert.equal(lguestPages.offsetOf('regs.eip'), 0xfec);
  assert.equal(lguestRegs.offsetOf('eax'), 0x1c);
  assert.equal(lguestData.offsetOf('reserve_mem'), 0x454);
  assert.equal(lguestData.offsetOf('noirq_start'), 0x460);
  assert.equal(lguestData.offsetOf('syscall_vec'), 0x46c);
});
