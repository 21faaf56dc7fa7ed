// Model-specific registers: the ones the core keeps (IA32_TIME_STAMP_COUNTER, the SYSENTER trio),
// then the platform's (IA32_APIC_BASE through cpu.msrHandler); any other index raises #GP(0), as a
// processor does for an MSR it does not implement. Also the deterministic time-stamp counter.
// Owns: MSR numbering and the TSC value. Must not know: the instructions (RDMSR/WRMSR/RDTSC).
// Models Intel SDM Vol. 4 (MSR index), Vol. 3B §17.17 (time-stamp counter), Vol. 2 SYSENTER.
//
// The TSC is instructionCount x cyclesPerInstruction + tscOffset (deterministic: a replay reads
// the same values); realtimeTsc reads nanoseconds of the host's monotonic clock instead.
import type { CpuState } from './cpuState';
import { generalProtection } from './faults';

export const MSR_IA32_TSC = 0x10;
export const MSR_IA32_APIC_BASE = 0x1b;
export const MSR_IA32_SYSENTER_CS = 0x174;
export const MSR_IA32_SYSENTER_ESP = 0x175;
export const MSR_IA32_SYSENTER_EIP = 0x176;

const MASK64 = (1n << 64n) - 1n;

export function readTimeStampCounter(cpu: CpuState): bigint {
  const count = cpu.realtimeTsc
    ? BigInt(Math.round(performance.now() * 1e6))
    : BigInt(cpu.instructionCount) * BigInt(cpu.cyclesPerInstruction);
  return (count + cpu.tscOffset) & MASK64;
}

export function readMsr(cpu: CpuState, index: number): bigint {
  switch (index) {
    case MSR_IA32_TSC: return readTimeStampCounter(cpu);
    case MSR_IA32_SYSENTER_CS: return BigInt(cpu.sysenterCs & 0xffff);
    case MSR_IA32_SYSENTER_ESP: return BigInt(cpu.sysenterEsp >>> 0);
    case MSR_IA32_SYSENTER_EIP: return BigInt(cpu.sysenterEip >>> 0);
  }
  const value = cpu.msrHandler?.readMsr(index);
  if (value === undefined) throw generalProtection(0, `RDMSR of MSR 0x${(index >>> 0).toString(16)}, which this CPU does not implement`);
  return value & MASK64;
}

export function writeMsr(cpu: CpuState, index: number, value: bigint): void {
  value &= MASK64;
  switch (index) {
    case MSR_IA32_TSC:
      cpu.tscOffset = value - (readTimeStampCounter(cpu) - cpu.tscOffset);
      return;
    case MSR_IA32_SYSENTER_CS: cpu.sysenterCs = Number(value & 0xffffn); return;
    case MSR_IA32_SYSENTER_ESP: cpu.sysenterEsp = Number(value & 0xffffffffn) | 0; return;
    case MSR_IA32_SYSENTER_EIP: cpu.sysenterEip = Number(value & 0xffffffffn) | 0; return;
  }
  if (!cpu.msrHandler?.writeMsr(index, value)) {
    throw generalProtection(0, `WRMSR of MSR 0x${(index >>> 0).toString(16)}, which this CPU does not implement`);
  }
}
