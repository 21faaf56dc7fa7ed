// Linear-to-physical translation: the two-level i386 page walk with 4 KiB and 4 MiB (CR4.PSE)
// pages, U/S and R/W checks with CR0.WP, accessed/dirty updates, #PF with CR2 and its error code,
// and TLB fills. Owns: the walk and the CR0/CR3/CR4 flush rules. Must not know: segmentation.
// Models Intel SDM Vol. 3A §4.3 (32-bit paging), §4.6 (access rights), §4.7 (#PF), §4.8 (A/D bits),
// §4.10.4 (invalidation). A/D ordering follows QEMU: the PDE's accessed bit is set before the PTE is
// read; the PTE's bits (and a 4 MiB PDE's) only when the access is allowed.
import type { CpuState } from './cpuState';
import { CR0_PG, CR0_WP, CR4_PGE, CR4_PSE } from './cpuState';
import { CpuFault, EXC_PF, PF_PROTECTION, PF_USER, PF_WRITE } from './faults';
import { TLB_GLOBAL, TLB_SUPER_WRITE, TLB_USER_READ, TLB_USER_WRITE, TLB_VALID } from './tlb';

const PTE_P = 0x1;
const PTE_RW = 0x2;
const PTE_US = 0x4;
const PTE_A = 0x20;
const PTE_D = 0x40;
const PDE_PS = 0x80;
const PTE_G = 0x100;

/**
 * Translates `linear` for an access of the given kind, walking the page tables when the TLB entry
 * is missing or does not already allow it. Throws #PF (setting CR2). Returns the physical address.
 */
export function translate(cpu: CpuState, linear: number, write: boolean, user: boolean): number {
  const page = linear >>> 12;
  const entry = cpu.tlb.entries[page]!;
  if (entry & TLB_VALID) {
    const allowed = write ? entry & (user ? TLB_USER_WRITE : TLB_SUPER_WRITE) : user ? entry & TLB_USER_READ : 1;
    if (allowed) return ((entry & -4096) | (linear & 0xfff)) >>> 0;
  }
  if (!(cpu.cr0 & CR0_PG)) {
    cpu.tlb.fill(page, linear & -4096, TLB_USER_READ | TLB_USER_WRITE | TLB_SUPER_WRITE);
    return linear >>> 0;
  }
  return walk(cpu, linear, write, user);
}

function walk(cpu: CpuState, linear: number, write: boolean, user: boolean): number {
  const memory = cpu.memory;
  const pdeAddress = ((cpu.cr3 & -4096) + ((linear >>> 22) << 2)) >>> 0;
  let pde = memory.read32(pdeAddress);
  if (!(pde & PTE_P)) throw pageFault(cpu, linear, 0, write, user);

  if (pde & PDE_PS && cpu.cr4 & CR4_PSE) {
    checkAccess(cpu, linear, pde, write, user);
    const wanted = PTE_A | (write ? PTE_D : 0);
    if ((pde & wanted) !== wanted) memory.write32(pdeAddress, (pde |= wanted));
    const physical = ((pde & 0xffc00000) | (linear & 0x3ff000)) >>> 0;
    cpu.tlb.fill(linear >>> 12, physical, permissionBits(cpu, pde, pde));
    return (physical | (linear & 0xfff)) >>> 0;
  }

  if (!(pde & PTE_A)) memory.write32(pdeAddress, (pde |= PTE_A));
  const pteAddress = ((pde & -4096) + (((linear >>> 12) & 0x3ff) << 2)) >>> 0;
  let pte = memory.read32(pteAddress);
  if (!(pte & PTE_P)) throw pageFault(cpu, linear, 0, write, user);
  const combined = pte & pde & (PTE_US | PTE_RW);
  checkAccess(cpu, linear, combined | PTE_P, write, user);
  const wanted = PTE_A | (write ? PTE_D : 0);
  if ((pte & wanted) !== wanted) memory.write32(pteAddress, (pte |= wanted));
  const physical = (pte & -4096) >>> 0;
  cpu.tlb.fill(linear >>> 12, physical, permissionBits(cpu, combined, pte));
  return (physical | (linear & 0xfff)) >>> 0;
}

/** Throws #PF(protection) when the effective U/S and R/W bits forbid the access. */
function checkAccess(cpu: CpuState, linear: number, rights: number, write: boolean, user: boolean): void {
  if (user) {
    if (!(rights & PTE_US) || (write && !(rights & PTE_RW))) throw pageFault(cpu, linear, PF_PROTECTION, write, user);
  } else if (write && !(rights & PTE_RW) && cpu.cr0 & CR0_WP) {
    throw pageFault(cpu, linear, PF_PROTECTION, write, user);
  }
}

/** TLB permission bits from effective rights and the leaf entry (dirty, global). */
function permissionBits(cpu: CpuState, rights: number, leaf: number): number {
  const dirty = (leaf & PTE_D) !== 0;
  let bits = 0;
  if (rights & PTE_US) {
    bits |= TLB_USER_READ;
    if (rights & PTE_RW && dirty) bits |= TLB_USER_WRITE;
  }
  if ((rights & PTE_RW || !(cpu.cr0 & CR0_WP)) && dirty) bits |= TLB_SUPER_WRITE;
  if (leaf & PTE_G && cpu.cr4 & CR4_PGE) bits |= TLB_GLOBAL;
  return bits;
}

function pageFault(cpu: CpuState, linear: number, bits: number, write: boolean, user: boolean): CpuFault {
  cpu.cr2 = linear | 0;
  const code = bits | (write ? PF_WRITE : 0) | (user ? PF_USER : 0);
  const kind = bits & PF_PROTECTION ? 'protection violation' : 'not present';
  return new CpuFault(EXC_PF, code, `page fault at 0x${(linear >>> 0).toString(16)} (${write ? 'write' : 'read'}, ${user ? 'user' : 'supervisor'}, ${kind})`);
}

/** MOV to CR3: drops non-global translations (all of them when CR4.PGE is clear). */
export function flushForCr3Load(cpu: CpuState): void {
  cpu.tlb.flush((cpu.cr4 & CR4_PGE) !== 0);
}

/** CR0.PG/WP or CR4.PSE/PGE changed: every translation may be wrong. */
export function flushAllTranslations(cpu: CpuState): void {
  cpu.tlb.flush(false);
}

/** INVLPG. */
export function invalidatePage(cpu: CpuState, linear: number): void {
  cpu.tlb.invalidatePage(linear >>> 12);
}

/**
 * Translates without side effects (no A/D updates, no TLB fill, no fault): for the debugger.
 * Returns the physical address, or undefined when the page is not mapped.
 */
export function peekTranslate(cpu: CpuState, linear: number): number | undefined {
  linear >>>= 0;
  if (!(cpu.cr0 & CR0_PG)) return linear;
  const memory = cpu.memory;
  const pde = memory.read32(((cpu.cr3 & -4096) + ((linear >>> 22) << 2)) >>> 0);
  if (!(pde & PTE_P)) return undefined;
  if (pde & PDE_PS && cpu.cr4 & CR4_PSE) return ((pde & 0xffc00000) | (linear & 0x3fffff)) >>> 0;
  const pte = memory.read32(((pde & -4096) + (((linear >>> 12) & 0x3ff) << 2)) >>> 0);
  if (!(pte & PTE_P)) return undefined;
  return ((pte & -4096) | (linear & 0xfff)) >>> 0;
}
