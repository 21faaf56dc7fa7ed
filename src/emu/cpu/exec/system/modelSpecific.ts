// RDMSR, WRMSR, RDTSC, RDPMC, SYSENTER and SYSEXIT.
// Owns: their privilege checks and the flat CS/SS caches SYSENTER/SYSEXIT load.
// Must not know: which MSRs exist (msr.ts). Models Intel SDM Vol. 2 RDMSR, WRMSR, RDTSC, RDPMC,
// SYSENTER, SYSEXIT; Vol. 3B §5.8.7 (fast system calls).
//
// RDPMC: this CPU has no performance-monitoring counters, so every counter index is invalid and
// RDPMC raises #GP(0) at any CPL.
import type { Handler } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { CR0_PE, CR4_TSD } from '../../cpuState';
import { SEG_CS, SEG_SS } from '../../../isa/registers';
import { generalProtection } from '../../faults';
import { EFLAGS_IF, EFLAGS_RF, EFLAGS_VM } from '../../eflags';
import { loadSegmentCache, setCpl } from '../../segmentCache';
import { readMsr, readTimeStampCounter, writeMsr } from '../../msr';
import { requireCpl0 } from './systemOperands';

const REG_EAX = 0;
const REG_ECX = 1;
const REG_EDX = 2;
const REG_ESP = 4;

/** Flat 4 GiB segments: code execute/read accessed, data read/write accessed, 32-bit, 4 KiB units. */
const FLAT_CODE_FLAGS = 0x00c09b00;
const FLAT_DATA_FLAGS = 0x00c09300;
const DPL3 = 0x6000;

function setEdxEax(cpu: CpuState, value: bigint): void {
  cpu.regs[REG_EAX] = Number(value & 0xffffffffn) | 0;
  cpu.regs[REG_EDX] = Number((value >> 32n) & 0xffffffffn) | 0;
}

const rdtsc: Handler = (cpu) => {
  if (cpu.cr4 & CR4_TSD && cpu.cpl !== 0) throw generalProtection(0, `RDTSC at CPL ${cpu.cpl} with CR4.TSD set`);
  setEdxEax(cpu, readTimeStampCounter(cpu));
};

const rdmsr: Handler = (cpu) => {
  requireCpl0(cpu, 'RDMSR');
  setEdxEax(cpu, readMsr(cpu, cpu.regs[REG_ECX]! >>> 0));
};

const wrmsr: Handler = (cpu) => {
  requireCpl0(cpu, 'WRMSR');
  const value = (BigInt(cpu.regs[REG_EDX]! >>> 0) << 32n) | BigInt(cpu.regs[REG_EAX]! >>> 0);
  writeMsr(cpu, cpu.regs[REG_ECX]! >>> 0, value);
};

const rdpmc: Handler = (cpu) => {
  throw generalProtection(0, `RDPMC of counter ${cpu.regs[REG_ECX]! >>> 0}: this CPU has no performance counters`);
};

const sysenter: Handler = (cpu) => {
  const cs = cpu.sysenterCs & 0xfffc;
  if (!(cpu.cr0 & CR0_PE)) throw generalProtection(0, 'SYSENTER outside protected mode');
  if (cs === 0) throw generalProtection(0, 'SYSENTER with IA32_SYSENTER_CS = 0');
  cpu.flags &= ~(EFLAGS_VM | EFLAGS_IF | EFLAGS_RF);
  loadSegmentCache(cpu, SEG_CS, cs, 0, 0xffffffff, FLAT_CODE_FLAGS);
  loadSegmentCache(cpu, SEG_SS, (cs + 8) & 0xfffc, 0, 0xffffffff, FLAT_DATA_FLAGS);
  setCpl(cpu, 0);
  cpu.regs[REG_ESP] = cpu.sysenterEsp;
  cpu.eip = cpu.sysenterEip >>> 0;
};

const sysexit: Handler = (cpu) => {
  const cs = cpu.sysenterCs & 0xfffc;
  if (!(cpu.cr0 & CR0_PE)) throw generalProtection(0, 'SYSEXIT outside protected mode');
  requireCpl0(cpu, 'SYSEXIT');
  if (cs === 0) throw generalProtection(0, 'SYSEXIT with IA32_SYSENTER_CS = 0');
  loadSegmentCache(cpu, SEG_CS, ((cs + 16) & 0xfffc) | 3, 0, 0xffffffff, FLAT_CODE_FLAGS | DPL3);
  loadSegmentCache(cpu, SEG_SS, ((cs + 24) & 0xfffc) | 3, 0, 0xffffffff, FLAT_DATA_FLAGS | DPL3);
  setCpl(cpu, 3);
  cpu.regs[REG_ESP] = cpu.regs[REG_ECX]!;
  cpu.eip = cpu.regs[REG_EDX]! >>> 0;
};

export const modelSpecificHandlers: Readonly<Record<string, Handler>> = {
  rdtsc,
  rdmsr,
  wrmsr,
  rdpmc,
  sysenter,
  sysexit,
};
