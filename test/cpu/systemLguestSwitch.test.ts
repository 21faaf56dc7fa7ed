// A rehearsal of lguest's world switch (lguest-facts.md §1) on our CPU, with our own hand-written
// code doing the same instruction sequence as the 2.6.23 Switcher: the Host's `pushf; lcall
// *lguest_entry`, pushes of the Host segments, lgdt/lidt of the Guest tables, ltr of the Guest
// TSS, `andb` on the Host TSS busy bit, the CR3 switch to shadow page tables that map the Switcher
// page at the same address, pops of the Guest segment registers at CPL 0 against the Guest GDT,
// and IRET to ring 1; then `int $0x1f` through the DPL 1 interrupt gate, with the TSS stack
// switch to ss0:esp0 onto the Guest's regs page, a stub, SWITCH_TO_HOST and IRET home. A second
// round trip takes a #GP(0) from port I/O at CPL 1 (no I/O bitmap) back to the Host.
// The code is assembled with GNU as (the test skips without it); the memory image (Host GDT with
// its busy TSS, the lguest_pages layout, Guest GDT/IDT/TSS, Host and shadow page tables) is built
// here from the facts of §1.2-§1.5 and §2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhysicalMemory } from '../../src/emu/machine/physicalMemory';
import { IoBus } from '../../src/emu/machine/ioBus';
import { Cpu } from '../../src/emu/cpu/cpu';
import { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../../src/emu/isa/registers';
import { EFLAGS_IF, getEflags } from '../../src/emu/cpu/eflags';
import { gnuAsSkipReason, gnuLdSkipReason } from '../helpers/tools';

const skip = gnuAsSkipReason() || gnuLdSkipReason();

// Physical layout.
const HOST_GDT = 0x1000;
const HOST_IDT = 0x2000;
const HOST_TSS = 0x3000;
const HOST_PD = 0x10000;
const HOST_PT_LOW = 0x11000;
const HOST_SWITCHER_PT = 0x12000;
const SWITCHER_CODE = 0x20000;
const HOST_PERCPU_PAGE = 0x21000;
const STATE_PAGE = 0x22000;
const GUEST_REGS_PAGE = 0x23000;
const SHADOW_PD = 0x30000;
const GUEST_SWITCHER_PT = 0x31000;
const GUEST_PT = 0x32000;
const GUEST_PHYSICAL = 0x400000;
const HOST_STACK_TOP = 0x90000;
// Virtual addresses.
const SWITCHER_VA = 0xffc00000;
const P = 0xffc01000; // CPU 0's struct lguest_pages
const GUEST_CODE_VA = 0x1000;
const GUEST_STACK_VA = 0x8000;
// Selectors (2.6.23).
const LGUEST_CS = 0x50;
const LGUEST_DS = 0x58;
const KERNEL_CS = 0x60;
const KERNEL_DS = 0x68;
const USER_DS = 0x7b;
const GDT_ENTRY_TSS = 16;
const TSS_SELECTOR = GDT_ENTRY_TSS * 8;
// lguest_pages offsets (§2.3, §2.4).
const REGS = 0xfb8;
const HOST_CR3 = 0x1000;
const HOST_IDT_DESC = 0x1004;
const HOST_GDT_DESC = 0x100c;
const HOST_SP = 0x1014;
const GUEST_IDT_DESC = 0x1018;
const GUEST_GDT_DESC = 0x1020;
const GUEST_TSS = 0x1028;
const GUEST_IDT = 0x1090;
const GUEST_GDT = 0x1890;

const SOURCE = `
    .code32
    .text
    .globl host_entry
host_entry:                          # the Host's run_guest_once
    mov $${P}, %eax                  # EAX = P (virtual)
    mov $${SHADOW_PD}, %ebx          # EBX = physical address of the shadow page directory
    pushf
    lcall *lguest_entry
host_return:
    nop
    mov $${P}, %eax
    mov $${SHADOW_PD}, %ebx
    pushf
    lcall *lguest_entry
host_return2:
    nop
lguest_entry:
    .long ${SWITCHER_VA}
    .word ${LGUEST_CS}

    .section .switcher, "ax"
switch_to_guest:
    pushl %es
    pushl %ds
    pushl %gs
    pushl %fs
    pushl %ebp
    movl %esp, ${HOST_SP}(%eax)
    movl %eax, %edx
    addl $${REGS}, %edx
    movl %edx, %esp
    lgdt ${GUEST_GDT_DESC}(%eax)
after_lgdt:
    lidt ${GUEST_IDT_DESC}(%eax)
    movl $${TSS_SELECTOR}, %edx
    ltr %dx
after_ltr:
    movl ${HOST_GDT_DESC + 2}(%eax), %edx
    andb $0xfd, ${TSS_SELECTOR + 5}(%edx)
after_andb:
    movl %ebx, %cr3
after_cr3:
    popl %ebx
    popl %ecx
    popl %edx
    popl %esi
    popl %edi
    popl %ebp
    popl %gs
    popl %eax
    popl %fs
    popl %ds
    popl %es
    addl $8, %esp
before_iret:
    iret

    .p2align 4
stub_13:                             # #GP: the CPU pushed the error code
    pushl $13
    jmp return_to_host
    .p2align 4
stub_31:                             # LGUEST_TRAP_ENTRY
    pushl $0
    pushl $31
    jmp return_to_host

return_to_host:                      # SWITCH_TO_HOST, then iret
    pushl %es
    pushl %ds
    pushl %fs
    pushl %eax
    pushl %gs
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %edx
    pushl %ecx
    pushl %ebx
    movl $${LGUEST_DS}, %eax
    movl %eax, %ds
    movl %esp, %eax
    andl $0xfffff000, %eax
    movl ${REGS + 0x2c}(%eax), %ebx
    movl ${HOST_CR3}(%eax), %edx
    movl %edx, %cr3
back_on_host_cr3:
    andb $0xfd, ${GUEST_GDT + TSS_SELECTOR + 5}(%eax)
    lgdt ${HOST_GDT_DESC}(%eax)
    lidt ${HOST_IDT_DESC}(%eax)
    movl ${HOST_SP}(%eax), %esp
    movl $${TSS_SELECTOR}, %edx
    ltr %dx
    popl %ebp
    popl %fs
    popl %gs
    popl %ds
    popl %es
    iret

    .section .guest, "ax"
guest_start:                         # the Guest kernel at CPL 1
    mov $0x1234, %eax
    int $0x1f
guest_after_hypercall:
    out %al, $0x80                   # no I/O bitmap: #GP(0)
`;

interface Assembled {
  readonly host: Uint8Array;
  readonly switcher: Uint8Array;
  readonly guest: Uint8Array;
  readonly symbols: Map<string, number>;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function assemble(): Assembled {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-switch-'));
  try {
    writeFileSync(join(dir, 's.S'), SOURCE);
    run('as', ['--32', '-o', 's.o', 's.S'], dir);
    run('ld', ['-m', 'elf_i386', '-Ttext', '0x100000', `--section-start=.switcher=0x${SWITCHER_VA.toString(16)}`,
      `--section-start=.guest=0x${GUEST_CODE_VA.toString(16)}`, '-e', 'host_entry', '-o', 's.elf', 's.o'], dir);
    const section = (name: string) => {
      run('objcopy', ['-O', 'binary', '-j', name, 's.elf', `${name}.bin`], dir);
      return new Uint8Array(readFileSync(join(dir, `${name}.bin`)));
    };
    const symbols = new Map<string, number>();
    for (const line of run('nm', ['s.elf'], dir).split('\n')) {
      const match = /^([0-9a-f]+)\s+\S\s+(\S+)$/.exec(line.trim());
      if (match) symbols.set(match[2]!, parseInt(match[1]!, 16));
    }
    return { host: section('.text'), switcher: section('.switcher'), guest: section('.guest'), symbols };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A flat descriptor with the given access byte (accessed bit included by the caller). */
function flat(access: number): [number, number] {
  return [0x0000ffff, 0x00cf0000 | (access << 8)];
}

function tssDescriptor(base: number, type: number): [number, number] {
  return [((base & 0xffff) << 16) | 0x67, ((base >>> 0) & 0xff000000) | ((base >>> 16) & 0xff) | ((0x80 | type) << 8)];
}

function interruptGate(selector: number, offset: number, dpl: number): [number, number] {
  return [(selector << 16) | (offset & 0xffff), ((offset & 0xffff0000) | 0x8e00 | (dpl << 13)) | 0];
}

function writeDescriptor(memory: PhysicalMemory, table: number, index: number, [low, high]: [number, number]): void {
  memory.write32(table + index * 8, low);
  memory.write32(table + index * 8 + 4, high);
}

/** Host and Guest GDTs share entries 10-15 (§1.2 step 5: CS stays 0x50 across lgdt). */
function writeGdt(memory: PhysicalMemory, table: number, guest: boolean, tssBase: number, tssType: number): void {
  writeDescriptor(memory, table, 10, flat(0x9b)); // LGUEST_CS
  writeDescriptor(memory, table, 11, flat(0x93)); // LGUEST_DS
  writeDescriptor(memory, table, 12, flat(guest ? 0xbb : 0x9b)); // __KERNEL_CS (DPL 1 in the Guest's)
  writeDescriptor(memory, table, 13, flat(guest ? 0xb3 : 0x93)); // __KERNEL_DS
  writeDescriptor(memory, table, 14, flat(0xfb)); // __USER_CS
  writeDescriptor(memory, table, 15, flat(0xf3)); // __USER_DS
  writeDescriptor(memory, table, GDT_ENTRY_TSS, tssDescriptor(tssBase, tssType));
}

function buildWorld(code: Assembled) {
  const memory = new PhysicalMemory(16 * 1024 * 1024);
  const cpu = new Cpu(memory, new IoBus());
  memory.writeBytes(0x100000, code.host);
  memory.writeBytes(SWITCHER_CODE, code.switcher);
  memory.writeBytes(GUEST_PHYSICAL + GUEST_CODE_VA, code.guest);
  // Host: GDT with its TSS busy (the Host did ltr long ago), IDT, identity-mapped low 4 MiB.
  writeGdt(memory, HOST_GDT, false, HOST_TSS, 0xb);
  for (let i = 0; i < 1024; i++) memory.write32(HOST_PT_LOW + i * 4, (i << 12) | 0x63);
  memory.write32(HOST_PD, HOST_PT_LOW | 0x67);
  // The Switcher seen from the Host: text RO, both per-CPU pages RW.
  memory.write32(HOST_PD + 1023 * 4, HOST_SWITCHER_PT | 0x63);
  memory.write32(HOST_SWITCHER_PT, SWITCHER_CODE | 0x21);
  memory.write32(HOST_SWITCHER_PT + 4, HOST_PERCPU_PAGE | 0x63);
  memory.write32(HOST_SWITCHER_PT + 8, STATE_PAGE | 0x63);
  // The shadow page tables: Guest memory, and the same Switcher address with the Guest's regs
  // page in place of the Host's per-CPU page and the state page read-only.
  for (let i = 0; i < 1024; i++) memory.write32(GUEST_PT + i * 4, (GUEST_PHYSICAL + (i << 12)) | 0x63);
  memory.write32(SHADOW_PD, GUEST_PT | 0x67);
  memory.write32(SHADOW_PD + 1023 * 4, GUEST_SWITCHER_PT | 0x63);
  memory.write32(GUEST_SWITCHER_PT, SWITCHER_CODE | 0x21);
  memory.write32(GUEST_SWITCHER_PT + 4, GUEST_REGS_PAGE | 0x63);
  memory.write32(GUEST_SWITCHER_PT + 8, STATE_PAGE | 0x21);
  // The state page (lguest_ro_state), written through its physical address.
  const state = (offset: number) => STATE_PAGE + offset - 0x1000;
  memory.write32(state(HOST_CR3), HOST_PD);
  memory.write16(state(HOST_IDT_DESC), 0x7ff);
  memory.write32(state(HOST_IDT_DESC + 2), HOST_IDT);
  memory.write16(state(HOST_GDT_DESC), 0xff);
  memory.write32(state(HOST_GDT_DESC + 2), HOST_GDT);
  memory.write16(state(GUEST_IDT_DESC), 0x7ff);
  memory.write32(state(GUEST_IDT_DESC + 2), P + GUEST_IDT);
  memory.write16(state(GUEST_GDT_DESC), 0xff);
  memory.write32(state(GUEST_GDT_DESC + 2), P + GUEST_GDT);
  writeGdt(memory, state(GUEST_GDT), true, P + GUEST_TSS, 0x9);
  memory.write32(state(GUEST_TSS + 4), P + 0x1000); // esp0 = &pages->regs + 1
  memory.write32(state(GUEST_TSS + 8), LGUEST_DS);
  memory.write32(state(GUEST_TSS + 0xc), GUEST_STACK_VA);
  memory.write32(state(GUEST_TSS + 0x10), 0x69);
  memory.write16(state(GUEST_TSS + 0x66), 0x68); // io_bitmap_base beyond the limit
  const stub = (name: string) => code.symbols.get(name)!;
  writeDescriptor(memory, state(GUEST_IDT), 13, interruptGate(LGUEST_CS, stub('stub_13'), 0));
  writeDescriptor(memory, state(GUEST_IDT), 31, interruptGate(LGUEST_CS, stub('stub_31'), 1));
  // The Guest's regs page: the 2.6.23 struct lguest_regs at 0xFB8.
  const regs = [0xb0, 0xc0, 0xd0, 0x51, 0xd1, 0xb9, 0, 0xa0, 0, 0x69, 0x69, 256, 0, GUEST_CODE_VA, 0x61, 0x202, GUEST_STACK_VA, 0x69];
  regs.forEach((value, i) => memory.write32(GUEST_REGS_PAGE + REGS + i * 4, value));
  // The Host CPU at the lcall: CPL 0, CS 0x60, SS 0x68, DS/ES __USER_DS, IF 0, paging with WP.
  const segment = (selector: number, access: number) => ({ selector, base: 0, limit: 0xffffffff, flags: 0x00cf0000 & 0x00f0ff00 | 0x00c00000 | (access << 8) });
  cpu.setEntryState({
    registers: { eax: 0, ecx: 0, edx: 0, ebx: 0, esp: HOST_STACK_TOP, ebp: 0xbbbbbbbb, esi: 0, edi: 0 },
    eip: 0x100000,
    eflags: 0x2,
    segments: {
      cs: segment(KERNEL_CS, 0x9b), ss: segment(KERNEL_DS, 0x93), ds: segment(USER_DS, 0xf3), es: segment(USER_DS, 0xf3),
      fs: segment(0, 0), gs: segment(0, 0),
    },
    tr: { selector: TSS_SELECTOR, base: HOST_TSS, limit: 0x67, flags: 0x00008b00 },
    gdtr: { base: HOST_GDT, limit: 0xff },
    idtr: { base: HOST_IDT, limit: 0x7ff },
    cr0: 0x80010033,
    cr3: HOST_PD,
    cr4: 0,
  });
  return { memory, cpu };
}

function runTo(cpu: Cpu, address: number): void {
  cpu.clearBreakpoints();
  cpu.addBreakpoint(address);
  const stop = cpu.run(1000);
  assert.deepEqual(stop, { kind: 'breakpoint', address }, `running to 0x${address.toString(16)}`);
}

test('lguest world switch rehearsal: Host -> Guest ring 1 -> int $0x1f -> Host, then a #GP round trip', { skip }, () => {
  const code = assemble();
  const at = (name: string) => code.symbols.get(name)!;
  const { memory, cpu } = buildWorld(code);
  const busyByte = (table: number) => memory.read8(table + TSS_SELECTOR + 5);
  const hostGdtTssByte = () => busyByte(HOST_GDT);
  const guestGdtTssByte = () => busyByte(STATE_PAGE + GUEST_GDT - 0x1000);
  const guestRegs = (field: number) => memory.read32(GUEST_REGS_PAGE + REGS + field * 4);

  // §1.1: the lcall is a same-privilege far call: the stack holds EIP, CS (32-bit slot), EFLAGS.
  runTo(cpu, at('switch_to_guest'));
  const h = HOST_STACK_TOP - 12;
  assert.equal(cpu.segSel[SEG_CS], LGUEST_CS);
  assert.equal(cpu.regs[4], h);
  assert.deepEqual([memory.read32(h), memory.read32(h + 4), memory.read32(h + 8)], [at('host_return'), KERNEL_CS, 0x2]);

  // §1.2 steps 1-5: Host segments pushed, host_sp saved, ESP on the regs, lgdt keeps CS/SS cached.
  runTo(cpu, at('after_lgdt'));
  assert.equal(memory.read32(STATE_PAGE + HOST_SP - 0x1000), h - 20);
  assert.deepEqual([memory.read32(h - 4), memory.read32(h - 8), memory.read32(h - 20)], [USER_DS, USER_DS, 0xbbbbbbbb]);
  assert.equal(cpu.regs[4] >>> 0, P + REGS);
  assert.deepEqual([cpu.gdtrBase >>> 0, cpu.gdtrLimit], [P + GUEST_GDT, 0xff]);
  assert.equal(cpu.segSel[SEG_CS], LGUEST_CS);
  assert.equal(cpu.segSel[SEG_SS], KERNEL_DS);

  // Steps 6-7: lidt; ltr of the Guest TSS marks it busy in the Guest GDT (state page, writable now).
  runTo(cpu, at('after_ltr'));
  assert.deepEqual([cpu.idtrBase >>> 0, cpu.idtrLimit], [P + GUEST_IDT, 0x7ff]);
  assert.deepEqual([cpu.tr.selector, cpu.tr.base >>> 0, cpu.tr.limit], [TSS_SELECTOR, P + GUEST_TSS, 0x67]);
  assert.equal(guestGdtTssByte(), 0x8b);
  assert.equal(hostGdtTssByte(), 0x8b);

  // Step 8: andb clears the Host TSS busy bit by hand.
  runTo(cpu, at('after_andb'));
  assert.equal(hostGdtTssByte(), 0x89);

  // Step 9: the shadow page tables are live; the Switcher runs on at the same address.
  runTo(cpu, at('after_cr3'));
  assert.equal(cpu.cr3, SHADOW_PD);

  // Steps 10-11: the pops at CPL 0 against the Guest GDT load DS/ES = 0x69 (DPL 1).
  runTo(cpu, at('before_iret'));
  assert.equal(cpu.cpl, 0);
  assert.deepEqual([cpu.segSel[SEG_DS], cpu.segSel[SEG_ES], cpu.segSel[SEG_FS], cpu.segSel[SEG_GS]], [0x69, 0x69, 0, 0]);
  assert.equal(cpu.segFlags[SEG_DS]! & 0x6000, 0x2000, 'the Guest GDT descriptor, DPL 1');
  assert.deepEqual([cpu.regs[0], cpu.regs[3], cpu.regs[5]], [0xa0, 0xb0, 0xb9]);
  assert.equal(cpu.regs[4] >>> 0, P + 0xfec);

  // Step 12: IRET to ring 1 (outer privilege): SS:ESP popped, DS kept (DPL 1), IF from the image.
  runTo(cpu, GUEST_CODE_VA);
  assert.equal(cpu.cpl, 1);
  assert.deepEqual([cpu.segSel[SEG_CS], cpu.segSel[SEG_SS], cpu.segSel[SEG_DS]], [0x61, 0x69, 0x69]);
  assert.equal(cpu.regs[4], GUEST_STACK_VA);
  assert.equal(getEflags(cpu) & EFLAGS_IF, EFLAGS_IF);

  // §1.4: int $0x1f through the DPL 1 interrupt gate switches to ss0:esp0 = 0x58:P+0x1000, and
  // the CPU's frame lands in the Guest's regs page.
  runTo(cpu, at('stub_31'));
  assert.equal(cpu.cpl, 0);
  assert.deepEqual([cpu.segSel[SEG_CS], cpu.segSel[SEG_SS]], [LGUEST_CS, LGUEST_DS]);
  assert.equal(cpu.regs[4] >>> 0, P + 0xfec);
  assert.deepEqual([13, 14, 15, 16, 17].map(guestRegs), [at('guest_after_hypercall'), 0x61, 0x202, GUEST_STACK_VA, 0x69]);
  assert.equal(getEflags(cpu) & EFLAGS_IF, 0);

  // SWITCH_TO_HOST: the regs page holds the Guest's registers in 2.6.23 order, trapnum 31.
  runTo(cpu, at('back_on_host_cr3'));
  assert.equal(cpu.regs[3], 31, 'trapnum read before the CR3 switch');
  assert.equal(cpu.cr3, HOST_PD);
  runTo(cpu, at('host_return'));
  assert.equal(guestRegs(7), 0x1234, 'eax at 0xFD4');
  assert.deepEqual([guestRegs(11), guestRegs(12)], [31, 0]);
  assert.equal(guestGdtTssByte(), 0x89, 'Guest TSS made available again');
  assert.equal(hostGdtTssByte(), 0x8b, 'Host TSS busy again after its ltr');
  assert.deepEqual([cpu.tr.selector, cpu.tr.base], [TSS_SELECTOR, HOST_TSS]);
  assert.deepEqual([cpu.gdtrBase, cpu.idtrBase], [HOST_GDT, HOST_IDT]);
  assert.equal(cpu.cpl, 0);
  assert.equal(cpu.segSel[SEG_CS], KERNEL_CS);
  assert.equal(cpu.segSel[SEG_SS], LGUEST_DS, 'SS is never reloaded on the way back');
  assert.deepEqual([cpu.segSel[SEG_DS], cpu.segSel[SEG_ES]], [USER_DS, USER_DS]);
  assert.equal(cpu.regs[5] >>> 0, 0xbbbbbbbb);
  assert.equal(cpu.regs[4], HOST_STACK_TOP);
  assert.equal(getEflags(cpu) & EFLAGS_IF, 0);

  // Round trip 2: the Guest resumes after its hypercall; port I/O at CPL 1 is #GP(0).
  runTo(cpu, at('host_return2'));
  assert.deepEqual([guestRegs(11), guestRegs(12), guestRegs(13)], [13, 0, at('guest_after_hypercall')]);
  assert.equal(cpu.segSel[SEG_CS], KERNEL_CS);
  assert.equal(hostGdtTssByte(), 0x8b);
});
