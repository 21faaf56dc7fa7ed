// Writing CR0, CR3, CR4 and the debug registers with their validity rules and side effects (TLB
// flushes, DR6/DR7 fixed bits, the DR4/DR5 aliases). Owns: which bits exist on this CPU.
// Must not know: instructions (MOV CR/DR, LMSW and CLTS call in here, as may a loader or the Host).
// Models Intel SDM Vol. 3A §2.5 (control registers), §4.10.4.1 (operations that invalidate TLBs),
// §17.2 (debug registers), Vol. 2 MOV—Move to/from Control Registers and Debug Registers.
//
// CR4 bits for features this CPU does not model (VME, PVI, PAE, OSFXSR and later) are reserved
// here: setting one raises #GP(0), as on a processor without the feature. CPUID must agree.
import type { CpuState } from './cpuState';
import {
  CR0_AM, CR0_CD, CR0_EM, CR0_ET, CR0_MP, CR0_NE, CR0_NW, CR0_PE, CR0_PG, CR0_TS, CR0_WP,
  CR4_DE, CR4_MCE, CR4_PCE, CR4_PGE, CR4_PSE, CR4_TSD,
} from './cpuState';
import { CpuFault, EXC_DB, generalProtection, invalidOpcode } from './faults';
import { flushAllTranslations, flushForCr3Load } from './paging';

export const CR0_IMPLEMENTED = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG;
export const CR4_IMPLEMENTED = CR4_TSD | CR4_DE | CR4_PSE | CR4_MCE | CR4_PGE | CR4_PCE;

export const DR6_FIXED_ONES = 0xffff0ff0 | 0;
export const DR6_BD = 0x2000;
/** B0-B3, BD, BS, BT; bit 12 reads as zero, the rest as one. */
const DR6_WRITABLE = 0xe00f;
export const DR6_BS = 0x4000;
export const DR7_FIXED_ONES = 0x400;
export const DR7_GD = 0x2000;
/** DR7 bits 11, 12, 14 and 15 read as zero. */
const DR7_RESERVED_ZERO = 0xd800;

export function readControlRegister(cpu: CpuState, index: number): number {
  switch (index) {
    case 0: return cpu.cr0;
    case 2: return cpu.cr2;
    case 3: return cpu.cr3;
    case 4: return cpu.cr4;
    default: throw invalidOpcode(`CR${index} does not exist`);
  }
}

export function writeControlRegister(cpu: CpuState, index: number, value: number): void {
  switch (index) {
    case 0: writeCr0(cpu, value); return;
    case 2: cpu.cr2 = value | 0; return;
    case 3: writeCr3(cpu, value); return;
    case 4: writeCr4(cpu, value); return;
    default: throw invalidOpcode(`CR${index} does not exist`);
  }
}

/** CR0: ET reads as 1; PG without PE and NW without CD are #GP(0); PG/WP/PE changes flush the TLB. */
export function writeCr0(cpu: CpuState, value: number): void {
  const next = ((value & CR0_IMPLEMENTED) | CR0_ET) | 0;
  if (next & CR0_PG && !(next & CR0_PE)) throw generalProtection(0, 'CR0.PG set with CR0.PE clear');
  if (next & CR0_NW && !(next & CR0_CD)) throw generalProtection(0, 'CR0.NW set with CR0.CD clear');
  const changed = cpu.cr0 ^ next;
  cpu.cr0 = next;
  if (changed & (CR0_PG | CR0_WP | CR0_PE)) flushAllTranslations(cpu);
}

/** CR3: the page-directory base (and PWT/PCD); drops non-global translations. */
export function writeCr3(cpu: CpuState, value: number): void {
  cpu.cr3 = value | 0;
  flushForCr3Load(cpu);
}

export function writeCr4(cpu: CpuState, value: number): void {
  if (value & ~CR4_IMPLEMENTED) throw generalProtection(0, `CR4 bits 0x${((value & ~CR4_IMPLEMENTED) >>> 0).toString(16)} are reserved on this CPU`);
  const changed = cpu.cr4 ^ value;
  cpu.cr4 = value | 0;
  if (changed & (CR4_PSE | CR4_PGE)) flushAllTranslations(cpu);
}

/** DR4/DR5 alias DR6/DR7 unless CR4.DE (then #UD). */
function debugIndex(cpu: CpuState, index: number): number {
  if (index === 4 || index === 5) {
    if (cpu.cr4 & CR4_DE) throw invalidOpcode(`DR${index} with CR4.DE set`);
    return index + 2;
  }
  return index;
}

/** DR7.GD: any debug-register access raises #DB (a fault) with DR6.BD, and clears GD. */
function checkGeneralDetect(cpu: CpuState, index: number): void {
  if (cpu.dr[7]! & DR7_GD) {
    cpu.dr[6] = cpu.dr[6]! | DR6_BD;
    cpu.dr[7] = cpu.dr[7]! & ~DR7_GD;
    throw new CpuFault(EXC_DB, -1, `access to DR${index} with DR7.GD set`);
  }
}

export function readDebugRegister(cpu: CpuState, index: number): number {
  const target = debugIndex(cpu, index);
  checkGeneralDetect(cpu, index);
  return cpu.dr[target]!;
}

export function writeDebugRegister(cpu: CpuState, index: number, value: number): void {
  const target = debugIndex(cpu, index);
  checkGeneralDetect(cpu, index);
  if (target === 6) cpu.dr[6] = (value & DR6_WRITABLE) | DR6_FIXED_ONES;
  else if (target === 7) cpu.dr[7] = ((value & ~DR7_RESERVED_ZERO) | DR7_FIXED_ONES) | 0;
  else cpu.dr[target] = value | 0;
}
