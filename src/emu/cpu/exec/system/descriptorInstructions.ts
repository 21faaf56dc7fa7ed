// The descriptor-table and protection instructions: LGDT/LIDT/SGDT/SIDT, LLDT/SLDT, LTR/STR,
// LAR/LSL/VERR/VERW (answers in ZF, never a fault for a bad selector) and ARPL.
// Owns: their checks and results. Must not know: how tables are walked (descriptorTables.ts).
// Models Intel SDM Vol. 2 LGDT/LIDT, SGDT, SIDT, LLDT, SLDT, LTR, STR, LAR, LSL, VERR/VERW, ARPL;
// Vol. 3A §2.4 (memory-management registers), §7.2.4 (task register).
import type { Handler, Instruction } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { CR0_PE } from '../../cpuState';
import { CpuFault, EXC_GP, EXC_NP, invalidOpcode } from '../../faults';
import { read16, read32, readResolved16, resolveWrite, segmentWriteAddress, write16, write32, writeResolved16 } from '../../memoryAccess';
import {
  SYS_LDT, descriptorDpl, descriptorPresent, descriptorType, isCodeOrData, isConformingCode, isNullSelector,
  isReadableSegment, isWritableData, readDescriptor, setTssBusy, tryReadDescriptor,
} from '../../descriptorTables';
import { descriptorBase, descriptorLimit } from '../../segmentCache';
import { hex, memoryOperand, readRm16, requireCpl0, setZf, writeRegister, writeRmWordOrRegister } from './systemOperands';

function requireProtectedMode(cpu: CpuState, mnemonic: string): void {
  if (!(cpu.cr0 & CR0_PE)) throw invalidOpcode(`${mnemonic} outside protected mode`);
}

/** Reads the 6-byte pseudo-descriptor (limit16, base32); a 16-bit operand keeps 24 base bits. */
function readPseudoDescriptor(cpu: CpuState, instruction: Instruction, mnemonic: string): { base: number; limit: number } {
  const offset = memoryOperand(cpu, instruction, mnemonic);
  const seg = instruction.segment;
  const limit = read16(cpu, seg, offset);
  const next = instruction.addrsize32 ? (offset + 2) | 0 : (offset + 2) & 0xffff;
  const base = read32(cpu, seg, next);
  return { base: instruction.opsize32 ? base : base & 0xffffff, limit };
}

function storePseudoDescriptor(cpu: CpuState, instruction: Instruction, base: number, limit: number, mnemonic: string): void {
  const offset = memoryOperand(cpu, instruction, mnemonic);
  const seg = instruction.segment;
  const next = instruction.addrsize32 ? (offset + 2) | 0 : (offset + 2) & 0xffff;
  segmentWriteAddress(cpu, seg, offset, 2);
  segmentWriteAddress(cpu, seg, next, 4);
  write16(cpu, seg, offset, limit);
  write32(cpu, seg, next, instruction.opsize32 ? base : base & 0xffffff);
}

const lgdt: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'LGDT');
  const { base, limit } = readPseudoDescriptor(cpu, instruction, 'LGDT');
  cpu.gdtrBase = base | 0;
  cpu.gdtrLimit = limit;
};

const lidt: Handler = (cpu, instruction) => {
  requireCpl0(cpu, 'LIDT');
  const { base, limit } = readPseudoDescriptor(cpu, instruction, 'LIDT');
  cpu.idtrBase = base | 0;
  cpu.idtrLimit = limit;
};

/** LLDT: null makes the LDT unusable; otherwise a present LDT descriptor in the GDT. */
const lldt: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'LLDT');
  requireCpl0(cpu, 'LLDT');
  const selector = readRm16(cpu, instruction);
  if (isNullSelector(selector)) {
    cpu.ldtr = { selector, base: 0, limit: 0, flags: 0 };
    return;
  }
  const error = selector & 0xfffc;
  if (selector & 4) throw new CpuFault(EXC_GP, error, `LLDT ${hex(selector)}: the selector refers to the LDT`);
  const descriptor = readDescriptor(cpu, selector, EXC_GP, 0);
  if (isCodeOrData(descriptor.high) || descriptorType(descriptor.high) !== SYS_LDT) {
    throw new CpuFault(EXC_GP, error, `LLDT ${hex(selector)}: not an LDT descriptor`);
  }
  if (!descriptorPresent(descriptor.high)) throw new CpuFault(EXC_NP, error, `LLDT ${hex(selector)}: LDT not present`);
  cpu.ldtr = {
    selector,
    base: descriptorBase(descriptor.low, descriptor.high),
    limit: descriptorLimit(descriptor.low, descriptor.high),
    flags: descriptor.high & 0x00f0ff00,
  };
};

/** LTR: an available TSS in the GDT, marked busy in memory (through paging, as a supervisor write). */
const ltr: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'LTR');
  requireCpl0(cpu, 'LTR');
  const selector = readRm16(cpu, instruction);
  const error = selector & 0xfffc;
  if (isNullSelector(selector)) throw new CpuFault(EXC_GP, 0, 'LTR with a null selector');
  if (selector & 4) throw new CpuFault(EXC_GP, error, `LTR ${hex(selector)}: the selector refers to the LDT`);
  const descriptor = readDescriptor(cpu, selector, EXC_GP, 0);
  const type = descriptorType(descriptor.high);
  if (isCodeOrData(descriptor.high) || (type !== 1 && type !== 9)) {
    const busy = !isCodeOrData(descriptor.high) && (type === 3 || type === 0xb);
    throw new CpuFault(EXC_GP, error, `LTR ${hex(selector)}: ${busy ? 'the TSS is busy' : `type ${type} is not an available TSS`}`);
  }
  if (!descriptorPresent(descriptor.high)) throw new CpuFault(EXC_NP, error, `LTR ${hex(selector)}: TSS not present`);
  setTssBusy(cpu, descriptor, true);
  cpu.tr = {
    selector,
    base: descriptorBase(descriptor.low, descriptor.high),
    limit: descriptorLimit(descriptor.low, descriptor.high),
    flags: (descriptor.high | 0x200) & 0x00f0ff00,
  };
};

/** System descriptor types LAR accepts (LSL accepts the subset with a limit: 1, 2, 3, 9, 0xB). */
const LAR_SYSTEM_TYPES = new Set([1, 2, 3, 4, 5, 9, 0xb, 0xc]);
const LSL_SYSTEM_TYPES = new Set([1, 2, 3, 9, 0xb]);

/** The descriptor if visible at CPL and the selector's RPL (conforming code always is). */
function visibleDescriptor(cpu: CpuState, selector: number, systemTypes: ReadonlySet<number>) {
  const descriptor = tryReadDescriptor(cpu, selector);
  if (!descriptor) return undefined;
  const high = descriptor.high;
  if (!isCodeOrData(high) && !systemTypes.has(descriptorType(high))) return undefined;
  const dpl = descriptorDpl(high);
  if (!isConformingCode(high) && (dpl < cpu.cpl || dpl < (selector & 3))) return undefined;
  return descriptor;
}

const lar: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'LAR');
  const descriptor = visibleDescriptor(cpu, readRm16(cpu, instruction), LAR_SYSTEM_TYPES);
  if (descriptor) writeRegister(cpu, instruction.reg, descriptor.high & (instruction.opsize32 ? 0x00f0ff00 : 0xff00), instruction.opsize32);
  setZf(cpu, descriptor !== undefined);
};

const lsl: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'LSL');
  const descriptor = visibleDescriptor(cpu, readRm16(cpu, instruction), LSL_SYSTEM_TYPES);
  if (descriptor) writeRegister(cpu, instruction.reg, descriptorLimit(descriptor.low, descriptor.high), instruction.opsize32);
  setZf(cpu, descriptor !== undefined);
};

const verr: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'VERR');
  const descriptor = visibleDescriptor(cpu, readRm16(cpu, instruction), new Set());
  setZf(cpu, descriptor !== undefined && isReadableSegment(descriptor.high));
};

const verw: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'VERW');
  const descriptor = visibleDescriptor(cpu, readRm16(cpu, instruction), new Set());
  setZf(cpu, descriptor !== undefined && isWritableData(descriptor.high));
};

/** ARPL: raise the destination selector's RPL to the source's; ZF says whether it changed. */
const arpl: Handler = (cpu, instruction) => {
  requireProtectedMode(cpu, 'ARPL');
  const source = cpu.regs[instruction.reg]! & 3;
  if (instruction.mod === 3) {
    const dest = cpu.regs[instruction.rm]! & 0xffff;
    const adjust = (dest & 3) < source;
    if (adjust) writeRegister(cpu, instruction.rm, (dest & ~3) | source, false);
    setZf(cpu, adjust);
    return;
  }
  const physical = resolveWrite(cpu, instruction.segment, memoryOperand(cpu, instruction, 'ARPL'), 2);
  const dest = readResolved16(cpu, physical);
  const adjust = (dest & 3) < source;
  writeResolved16(cpu, physical, adjust ? (dest & ~3) | source : dest);
  setZf(cpu, adjust);
};

export const descriptorHandlers: Readonly<Record<string, Handler>> = {
  lgdt,
  lidt,
  sgdt: (cpu, instruction) => storePseudoDescriptor(cpu, instruction, cpu.gdtrBase, cpu.gdtrLimit, 'SGDT'),
  sidt: (cpu, instruction) => storePseudoDescriptor(cpu, instruction, cpu.idtrBase, cpu.idtrLimit, 'SIDT'),
  lldt,
  sldt: (cpu, instruction) => {
    requireProtectedMode(cpu, 'SLDT');
    writeRmWordOrRegister(cpu, instruction, cpu.ldtr.selector);
  },
  ltr,
  str: (cpu, instruction) => {
    requireProtectedMode(cpu, 'STR');
    writeRmWordOrRegister(cpu, instruction, cpu.tr.selector);
  },
  lar,
  lsl,
  verr,
  verw,
  arpl,
};
