// Handlers that fit no larger family: NOP (90, 0F 1F /x: the operand is decoded, never accessed),
// UD2, BOUND (#BR when the index is outside the signed bounds pair) and CPUID.
// Owns: this CPU's identity as CPUID reports it: a GenuineIntel family 6 part (the same
// signature EDX holds after reset) whose EDX features are those the emulator really implements.
// Must not know: encodings. Models Intel SDM Vol. 2 (NOP, UD2, BOUND, CPUID) and Vol. 3A §9.1.4
// (the reset signature).
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { CpuFault, EXC_BR, invalidOpcode } from '../../faults';
import { addressAdd, getRegister, readMemory } from './operands';

/** CPUID leaf 1 EDX bits (Intel SDM Vol. 2A Table 3-11). */
export const CPUID_DE = 1 << 2;
export const CPUID_PSE = 1 << 3;
export const CPUID_TSC = 1 << 4;
export const CPUID_MSR = 1 << 5;
export const CPUID_CX8 = 1 << 8;
export const CPUID_APIC = 1 << 9;
export const CPUID_SEP = 1 << 11;
export const CPUID_PGE = 1 << 13;
export const CPUID_CMOV = 1 << 15;

/**
 * What leaf 1 reports. FPU (bit 0) is clear on purpose: only the x87 control instructions exist
 * here, so software must not rely on x87 arithmetic. No VME, PAE, MCE, MTRR, MMX or FXSR either.
 */
export const CPUID_FEATURES_EDX = CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8 | CPUID_APIC | CPUID_SEP | CPUID_PGE | CPUID_CMOV;
/** Family 6, model 6, stepping 3: the value EDX holds after RESET (cpu.ts). */
export const CPUID_SIGNATURE = 0x663;
export const CPUID_MAX_LEAF = 2;

const VENDOR_EBX = 0x756e6547; // "Genu"
const VENDOR_EDX = 0x49656e69; // "ineI"
const VENDOR_ECX = 0x6c65746e; // "ntel"

/** Leaf 2 with one iteration and only null cache descriptors. */
const LEAF2_EAX = 0x00000001;

function setCpuidResult(cpu: CpuState, eax: number, ebx: number, ecx: number, edx: number): void {
  const regs = cpu.regs;
  regs[0] = eax;
  regs[3] = ebx;
  regs[1] = ecx;
  regs[2] = edx;
}

/** Leaves above the maximum return the highest basic leaf, as Intel processors do. */
function cpuid(cpu: CpuState): void {
  const leaf = cpu.regs[0]! >>> 0;
  if (leaf === 0) setCpuidResult(cpu, CPUID_MAX_LEAF, VENDOR_EBX, VENDOR_ECX, VENDOR_EDX);
  else if (leaf === 1) setCpuidResult(cpu, CPUID_SIGNATURE, 0, 0, CPUID_FEATURES_EDX);
  else setCpuidResult(cpu, LEAF2_EAX, 0, 0, 0);
}

function nop(): void {}

function ud2(): void {
  throw invalidOpcode('UD2 (0F 0B) raises #UD on purpose');
}

/** BOUND r, m: the signed pair [lower, upper] at m; #BR (a fault) when r is outside it. */
function bound(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const shift = 32 - size * 8;
  const offset = effectiveAddress(cpu, i);
  const lower = (readMemory(cpu, i.segment, offset, size) << shift) >> shift;
  const upper = (readMemory(cpu, i.segment, addressAdd(i, offset, size), size) << shift) >> shift;
  const index = (getRegister(cpu, i.reg, size) << shift) >> shift;
  if (index < lower || index > upper) throw new CpuFault(EXC_BR, -1, `BOUND: index ${index} is outside [${lower}, ${upper}]`);
}

export const MISC_HANDLERS: Readonly<Record<string, Handler>> = { nop, ud2, bound, cpuid };
