// Reading and updating GDT/LDT descriptors by selector: table choice (TI bit), limit checks with
// the caller's fault, accessed-bit updates and TSS busy bits. All accesses are supervisor accesses.
// Owns: descriptor addressing. Must not know: what a descriptor is used for.
// Models Intel SDM Vol. 3A §3.4.2 (selectors), §3.5.1 (descriptor tables).
import type { CpuState } from './cpuState';
import { CpuFault } from './faults';
import { readSystem32, writeSystem8 } from './memoryAccess';

export interface Descriptor {
  readonly low: number;
  readonly high: number;
  /** Linear address of the descriptor (for accessed/busy bit updates). */
  readonly address: number;
}

/**
 * The descriptor `selector` names, or throws fault `vector` with error code
 * `(selector & 0xFFFC) | ext` when it lies outside its table (or the LDT is unusable).
 */
export function readDescriptor(cpu: CpuState, selector: number, vector: number, ext: number): Descriptor {
  const index = selector & 0xfff8;
  let base: number;
  let limit: number;
  if (selector & 4) {
    if (!(cpu.ldtr.flags & 0x8000) || (cpu.ldtr.selector & 0xfffc) === 0) {
      throw new CpuFault(vector, (selector & 0xfffc) | ext, `selector 0x${selector.toString(16)} refers to the LDT, but no LDT is loaded`);
    }
    base = cpu.ldtr.base;
    limit = cpu.ldtr.limit;
  } else {
    base = cpu.gdtrBase;
    limit = cpu.gdtrLimit;
  }
  if (index + 7 > limit) {
    throw new CpuFault(vector, (selector & 0xfffc) | ext, `selector 0x${selector.toString(16)} is beyond the ${selector & 4 ? 'LDT' : 'GDT'} limit 0x${limit.toString(16)}`);
  }
  const address = (base + index) | 0;
  return { low: readSystem32(cpu, address), high: readSystem32(cpu, (address + 4) | 0), address };
}

/** Sets the accessed bit (type bit 0) of a code/data descriptor in memory if it is clear. */
export function markAccessed(cpu: CpuState, descriptor: Descriptor): void {
  if (!(descriptor.high & 0x100)) writeSystem8(cpu, (descriptor.address + 5) | 0, (descriptor.high >>> 8) & 0xff | 1);
}

/** Sets (or clears) the busy bit of a TSS descriptor in memory (type 9 <-> 0xB). */
export function setTssBusy(cpu: CpuState, descriptor: Descriptor, busy: boolean): void {
  const accessByte = (descriptor.high >>> 8) & 0xff;
  writeSystem8(cpu, (descriptor.address + 5) | 0, busy ? accessByte | 2 : accessByte & ~2);
}

export function descriptorDpl(high: number): number {
  return (high >>> 13) & 3;
}

export function descriptorPresent(high: number): boolean {
  return (high & 0x8000) !== 0;
}

/** Type field (bits 8-11 of the high dword) and the S bit (code/data when set). */
export function descriptorType(high: number): number {
  return (high >>> 8) & 0xf;
}

export function isCodeOrData(high: number): boolean {
  return (high & 0x1000) !== 0;
}
