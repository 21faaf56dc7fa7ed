// Reading and updating GDT/LDT descriptors by selector: table choice (TI bit), limit checks with
// the caller's fault, accessed-bit updates and TSS busy bits, and the descriptor-type predicates
// every protection check shares. All accesses are supervisor accesses (they may still #PF).
// Owns: descriptor addressing and type decoding. Must not know: what a descriptor is used for.
// Models Intel SDM Vol. 3A §3.4.2 (selectors), §3.4.5 (descriptor types), §3.5 (system descriptor
// types, descriptor tables).
import type { CpuState } from './cpuState';
import { CpuFault } from './faults';
import { readSystem32, writeSystem8 } from './memoryAccess';

export interface Descriptor {
  readonly low: number;
  readonly high: number;
  /** Linear address of the descriptor (for accessed/busy bit updates). */
  readonly address: number;
}

/** System descriptor types (S = 0). */
export const SYS_TSS16_AVAILABLE = 1;
export const SYS_LDT = 2;
export const SYS_TSS16_BUSY = 3;
export const SYS_CALL_GATE16 = 4;
export const SYS_TASK_GATE = 5;
export const SYS_INTERRUPT_GATE16 = 6;
export const SYS_TRAP_GATE16 = 7;
export const SYS_TSS32_AVAILABLE = 9;
export const SYS_TSS32_BUSY = 0xb;
export const SYS_CALL_GATE32 = 0xc;
export const SYS_INTERRUPT_GATE32 = 0xe;
export const SYS_TRAP_GATE32 = 0xf;

/** Code/data type bits (S = 1). */
export const TYPE_ACCESSED = 1;
export const TYPE_WRITABLE = 2; // data
export const TYPE_READABLE = 2; // code
export const TYPE_EXPAND_DOWN = 4; // data
export const TYPE_CONFORMING = 4; // code
export const TYPE_CODE = 8;

/**
 * Linear base and limit of the table a selector indexes, or undefined for an LDT selector while
 * LDTR is unusable (LLDT of a null selector). LDTR's state after reset (selector 0, base 0, limit
 * 0xFFFF, present) is usable, as on hardware and in QEMU, until the first LLDT.
 */
function tableOf(cpu: CpuState, selector: number): { base: number; limit: number } | undefined {
  if (!(selector & 4)) return { base: cpu.gdtrBase, limit: cpu.gdtrLimit };
  if (!(cpu.ldtr.flags & 0x8000)) return undefined;
  return { base: cpu.ldtr.base, limit: cpu.ldtr.limit };
}

/**
 * The descriptor `selector` names, or throws fault `vector` with error code
 * `(selector & 0xFFFC) | ext` when it lies outside its table (or the LDT is unusable).
 */
export function readDescriptor(cpu: CpuState, selector: number, vector: number, ext: number): Descriptor {
  const table = tableOf(cpu, selector);
  if (table === undefined) {
    throw new CpuFault(vector, (selector & 0xfffc) | ext, `selector 0x${selector.toString(16)} refers to the LDT, but LDTR is null`);
  }
  const index = selector & 0xfff8;
  if (index + 7 > table.limit) {
    throw new CpuFault(vector, (selector & 0xfffc) | ext, `selector 0x${selector.toString(16)} is beyond the ${selector & 4 ? 'LDT' : 'GDT'} limit 0x${table.limit.toString(16)}`);
  }
  const address = (table.base + index) | 0;
  return { low: readSystem32(cpu, address), high: readSystem32(cpu, (address + 4) | 0), address };
}

/**
 * The descriptor, or undefined when the selector is null or outside its table (LAR, LSL, VERR,
 * VERW report that in ZF instead of faulting). Page faults on the table still propagate.
 */
export function tryReadDescriptor(cpu: CpuState, selector: number): Descriptor | undefined {
  if ((selector & 0xfffc) === 0) return undefined;
  const table = tableOf(cpu, selector);
  if (table === undefined || (selector & 0xfff8) + 7 > table.limit) return undefined;
  const address = (table.base + (selector & 0xfff8)) | 0;
  return { low: readSystem32(cpu, address), high: readSystem32(cpu, (address + 4) | 0), address };
}

/** Sets the accessed bit (type bit 0) of a code/data descriptor in memory if it is clear. */
export function markAccessed(cpu: CpuState, descriptor: Descriptor): void {
  if (!(descriptor.high & 0x100)) writeSystem8(cpu, (descriptor.address + 5) | 0, ((descriptor.high >>> 8) & 0xff) | 1);
}

/** Sets (or clears) the busy bit of a TSS descriptor in memory (type 9 <-> 0xB). */
export function setTssBusy(cpu: CpuState, descriptor: Descriptor, busy: boolean): void {
  const accessByte = (descriptor.high >>> 8) & 0xff;
  writeSystem8(cpu, (descriptor.address + 5) | 0, busy ? accessByte | 2 : accessByte & ~2);
}

export function isNullSelector(selector: number): boolean {
  return (selector & 0xfffc) === 0;
}

export function descriptorDpl(high: number): number {
  return (high >>> 13) & 3;
}

export function descriptorPresent(high: number): boolean {
  return (high & 0x8000) !== 0;
}

/** Type field (bits 8-11 of the high dword). */
export function descriptorType(high: number): number {
  return (high >>> 8) & 0xf;
}

/** The S bit: code or data (set) rather than system. */
export function isCodeOrData(high: number): boolean {
  return (high & 0x1000) !== 0;
}

export function isCodeSegment(high: number): boolean {
  return (high & 0x1800) === 0x1800;
}

export function isDataSegment(high: number): boolean {
  return (high & 0x1800) === 0x1000;
}

export function isConformingCode(high: number): boolean {
  return (high & 0x1c00) === 0x1c00;
}

/** A data segment, or a code segment with the readable bit. */
export function isReadableSegment(high: number): boolean {
  return isCodeOrData(high) && (!(high & 0x800) || (high & 0x200) !== 0);
}

export function isWritableData(high: number): boolean {
  return (high & 0x1a00) === 0x1200;
}

/** A 16- or 32-bit TSS descriptor, available or busy. */
export function isTssDescriptor(high: number): boolean {
  return !isCodeOrData(high) && (descriptorType(high) & 5) === 1;
}

/** Offset of a call gate: 32 bits for a 32-bit gate, 16 for a 16-bit one. */
export function gateOffset(low: number, high: number): number {
  return descriptorType(high) & 8 ? ((high & 0xffff0000) | (low & 0xffff)) >>> 0 : low & 0xffff;
}

export function gateSelector(low: number): number {
  return low >>> 16;
}
