// The CPU's registers as the debugger shows them: groups (general, segments with their hidden
// caches, system), EFLAGS spelled out, and lookup by name for hovers and watches (%eax, ax, al,
// cr3, cs...). Owns: names, grouping and formatting. Must not know: DAP.
import type { Cpu } from '../emu/cpu/cpu';
import { GPR16_NAMES, GPR32_NAMES, GPR8_NAMES, SEGMENT_REGISTERS } from '../emu/isa/registers';

export interface RegisterValue {
  readonly name: string;
  readonly value: number;
  /** Shown as text instead of a hex number (flag lists, descriptor caches). */
  readonly text?: string;
  /** Points into memory (show "View Binary Data"). */
  readonly pointer?: boolean;
}

export interface RegisterGroup {
  readonly name: string;
  readonly registers: readonly RegisterValue[];
}

const FLAG_NAMES: readonly [number, string][] = [
  [0x1, 'CF'], [0x4, 'PF'], [0x10, 'AF'], [0x40, 'ZF'], [0x80, 'SF'], [0x100, 'TF'], [0x200, 'IF'], [0x400, 'DF'],
  [0x800, 'OF'], [0x4000, 'NT'], [0x10000, 'RF'], [0x40000, 'AC'], [0x200000, 'ID'],
];

export function describeEflags(eflags: number): string {
  const set = FLAG_NAMES.filter(([bit]) => eflags & bit).map(([, name]) => name);
  return `${hex(eflags)} [${set.join(' ')}] IOPL=${(eflags >> 12) & 3}`;
}

export function hex(value: number, digits = 8): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}

export function registerGroups(cpu: Cpu): RegisterGroup[] {
  const general: RegisterValue[] = GPR32_NAMES.map((name, i) => ({ name, value: cpu.regs[i]! >>> 0, pointer: true }));
  general.push({ name: 'eip', value: cpu.eip >>> 0, pointer: true });
  general.push({ name: 'eflags', value: cpu.eflags >>> 0, text: describeEflags(cpu.eflags) });
  const segments: RegisterValue[] = SEGMENT_REGISTERS.map((name, i) => ({
    name,
    value: cpu.segSel[i]!,
    text: `${hex(cpu.segSel[i]!, 4)} base=${hex(cpu.segBase[i]!)} limit=${hex(cpu.segLimit[i]!)} flags=${hex(cpu.segFlags[i]!)}`,
  }));
  segments.push({ name: 'ldtr', value: cpu.ldtr.selector, text: `${hex(cpu.ldtr.selector, 4)} base=${hex(cpu.ldtr.base)} limit=${hex(cpu.ldtr.limit)}` });
  segments.push({ name: 'tr', value: cpu.tr.selector, text: `${hex(cpu.tr.selector, 4)} base=${hex(cpu.tr.base)} limit=${hex(cpu.tr.limit)} flags=${hex(cpu.tr.flags)}` });
  const system: RegisterValue[] = [
    { name: 'cpl', value: cpu.cpl, text: String(cpu.cpl) },
    { name: 'cr0', value: cpu.cr0 >>> 0 },
    { name: 'cr2', value: cpu.cr2 >>> 0, pointer: true },
    { name: 'cr3', value: cpu.cr3 >>> 0 },
    { name: 'cr4', value: cpu.cr4 >>> 0 },
    { name: 'gdtr', value: cpu.gdtrBase >>> 0, text: `base=${hex(cpu.gdtrBase)} limit=${hex(cpu.gdtrLimit, 4)}`, pointer: true },
    { name: 'idtr', value: cpu.idtrBase >>> 0, text: `base=${hex(cpu.idtrBase)} limit=${hex(cpu.idtrLimit, 4)}`, pointer: true },
  ];
  return [
    { name: 'General', registers: general },
    { name: 'Segments', registers: segments },
    { name: 'System', registers: system },
  ];
}

/** The value of a register named as in AT&T source (with or without %), or undefined. */
export function readRegister(cpu: Cpu, name: string): number | undefined {
  const key = name.replace(/^%/, '').toLowerCase();
  const gpr32 = GPR32_NAMES.indexOf(key);
  if (gpr32 >= 0) return cpu.regs[gpr32]! >>> 0;
  const gpr16 = GPR16_NAMES.indexOf(key);
  if (gpr16 >= 0) return cpu.regs[gpr16]! & 0xffff;
  const gpr8 = GPR8_NAMES.indexOf(key);
  if (gpr8 >= 0) return (cpu.regs[gpr8 & 3]! >>> ((gpr8 & 4) << 1)) & 0xff;
  const segment = SEGMENT_REGISTERS.indexOf(key as (typeof SEGMENT_REGISTERS)[number]);
  if (segment >= 0) return cpu.segSel[segment]!;
  switch (key) {
    case 'eip': return cpu.eip >>> 0;
    case 'eflags': return cpu.eflags >>> 0;
    case 'cr0': return cpu.cr0 >>> 0;
    case 'cr2': return cpu.cr2 >>> 0;
    case 'cr3': return cpu.cr3 >>> 0;
    case 'cr4': return cpu.cr4 >>> 0;
    case 'cpl': return cpu.cpl;
    default: return undefined;
  }
}
