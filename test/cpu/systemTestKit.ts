// Helpers for the system-level CPU tests: descriptor and gate builders, a CPU with a roomy GDT
// (rings 0-3, TSSs, an LDT) and an IDT, and `execute`, which runs one system handler the way the
// run loop does (EIP past the instruction while it runs, rollback and a returned CpuFault on a
// fault). `deliver` then hands a fault to the IDT like the run loop would.
import { createFlatCpu, type FlatCpu } from '../helpers/cpuFixture';
import { Instruction } from '../../src/emu/cpu/instruction';
import { CpuFault } from '../../src/emu/cpu/faults';
import { systemHandlers } from '../../src/emu/cpu/exec/system/systemHandlers';
import { raiseException } from '../../src/emu/cpu/interrupts';
import type { Cpu } from '../../src/emu/cpu/cpu';

export const GDT = 0x500;
export const IDT = 0x800;
export const TSS_A = 0x1000;
export const TSS_B = 0x1100;
export const LDT = 0x1200;
export const CODE = 0x10000;

/** Access bytes. */
export const CODE0 = 0x9b;
export const DATA0 = 0x93;
export const CODE1 = 0xbb;
export const DATA1 = 0xb3;
export const CODE2 = 0xdb;
export const DATA2 = 0xd3;
export const CODE3 = 0xfb;
export const DATA3 = 0xf3;

/** Selectors of the standard test GDT. */
export const SEL = {
  code0: 0x08, data0: 0x10, code3: 0x1b, data3: 0x23, code1: 0x29, data1: 0x31, tssA: 0x38, tssB: 0x40,
  code2: 0x4a, data2: 0x52, ldt: 0x58, conforming: 0x60,
} as const;
export const GDT_ENTRIES = 32;

/** Descriptor words for base/limit (byte limit, or 4 KiB units with `g`), access byte and D/B. */
export function descriptor(base: number, limit: number, access: number, options: { g?: boolean; big?: boolean } = {}): [number, number] {
  const g = options.g ?? limit > 0xfffff;
  const raw = g ? limit >>> 12 : limit;
  const low = ((base & 0xffff) << 16) | (raw & 0xffff);
  const flags = (g ? 0x8 : 0) | (options.big ?? true ? 0x4 : 0);
  const high = (base & 0xff000000) | ((base >>> 16) & 0xff) | (access << 8) | (raw & 0xf0000) | (flags << 20);
  return [low | 0, high | 0];
}

/** A gate descriptor (interrupt 0xE/6, trap 0xF/7, call 0xC/4, task 5) with DPL and parameter count. */
export function gate(selector: number, offset: number, type: number, dpl: number, parameters = 0): [number, number] {
  const low = ((selector & 0xffff) << 16) | (offset & 0xffff);
  const high = (offset & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8) | (parameters & 0x1f);
  return [low | 0, high | 0];
}

export interface SystemCpu extends FlatCpu {
  setGdt(index: number, words: [number, number]): void;
  setIdt(vector: number, words: [number, number]): void;
  gdtHigh(index: number): number;
}

/** A flat ring-0 CPU with the standard test GDT (all descriptors pre-accessed) and TR = TSS A. */
export function createSystemCpu(): SystemCpu {
  const flat = createFlatCpu();
  const { cpu, memory } = flat;
  const setGdt = (index: number, [low, high]: [number, number]) => {
    memory.write32(GDT + index * 8, low);
    memory.write32(GDT + index * 8 + 4, high);
  };
  const setIdt = (vector: number, [low, high]: [number, number]) => {
    memory.write32(IDT + vector * 8, low);
    memory.write32(IDT + vector * 8 + 4, high);
  };
  for (let i = 0; i < GDT_ENTRIES; i++) setGdt(i, [0, 0]);
  const flat4g = (access: number) => descriptor(0, 0xffffffff, access);
  setGdt(1, flat4g(CODE0));
  setGdt(2, flat4g(DATA0));
  setGdt(3, flat4g(CODE3));
  setGdt(4, flat4g(DATA3));
  setGdt(5, flat4g(CODE1));
  setGdt(6, flat4g(DATA1));
  setGdt(7, descriptor(TSS_A, 0x67, 0x89, { big: false }));
  setGdt(8, descriptor(TSS_B, 0x67, 0x89, { big: false }));
  setGdt(9, flat4g(CODE2));
  setGdt(10, flat4g(DATA2));
  setGdt(11, descriptor(LDT, 0x1f, 0x82));
  setGdt(12, flat4g(0x9f)); // conforming, readable, DPL 0
  cpu.gdtrBase = GDT;
  cpu.gdtrLimit = GDT_ENTRIES * 8 - 1;
  // TSS A: ring stacks 0-2.
  memory.write32(TSS_A + 4, 0x90000);
  memory.write32(TSS_A + 8, SEL.data0);
  memory.write32(TSS_A + 0xc, 0x80000);
  memory.write32(TSS_A + 0x10, SEL.data1);
  memory.write32(TSS_A + 0x14, 0x70000);
  memory.write32(TSS_A + 0x18, SEL.data2);
  memory.write16(TSS_A + 0x66, 0x68);
  setGdt(7, descriptor(TSS_A, 0x67, 0x8b, { big: false }));
  cpu.tr = { selector: SEL.tssA, base: TSS_A, limit: 0x67, flags: 0x00008b00 };
  return {
    ...flat,
    setGdt,
    setIdt,
    gdtHigh: (index) => memory.read32(GDT + index * 8 + 4),
  };
}

/** Runs one system handler like the run loop: returns the fault (EIP rolled back) or undefined. */
export function execute(cpu: Cpu, op: string, fields: Partial<Instruction> = {}, length = 2): CpuFault | undefined {
  const handler = systemHandlers[op];
  if (!handler) throw new Error(`no system handler for ${op}`);
  const instruction = Object.assign(new Instruction(handler), { length, opsize32: true, addrsize32: true }, fields);
  cpu.instructionStart = cpu.eip;
  cpu.eip = (cpu.eip + length) >>> 0;
  try {
    handler(cpu, instruction);
    cpu.instructionCount++;
    return undefined;
  } catch (caught) {
    cpu.eip = cpu.instructionStart;
    if (caught instanceof CpuFault) return caught;
    throw caught;
  }
}

/** Runs one handler; a fault is delivered through the IDT as the run loop would. */
export function executeAndDeliver(cpu: Cpu, op: string, fields: Partial<Instruction> = {}, length = 2): CpuFault | undefined {
  const fault = execute(cpu, op, fields, length);
  if (fault) raiseException(cpu, fault);
  return fault;
}

/** A register operand (mod 3) for ModRM rm. */
export function rm(register: number): Partial<Instruction> {
  return { mod: 3, rm: register };
}

/** A memory operand at an absolute DS offset. */
export function mem(offset: number, segment = 3): Partial<Instruction> {
  return { mod: 0, rm: 5, eaDisp: offset, eaBase: -1, eaIndex: -1, segment };
}
