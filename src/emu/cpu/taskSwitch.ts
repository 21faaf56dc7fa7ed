// Hardware task switching: task gates in the IDT, JMP/CALL to a TSS descriptor or task gate, and
// IRET with NT set (return to the task in the back link). 32-bit and 16-bit TSS formats.
// Owns: the save/restore sequence, busy bits, the back link, NT, CR0.TS, CR3 and LDT loads, the
// checks of Table 7-1 and the commit point after which faults belong to the new task.
// Must not know: which instruction asked (callers pass the source and did the privilege checks).
// Models Intel SDM Vol. 3A §7.2 (TSS layout, descriptors, task gates), §7.3 (task switching),
// §7.4 (task linking).
import type { CpuState } from './cpuState';
import { CR0_PG, CR0_TS } from './cpuState';
import { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../isa/registers';
import { CpuFault, EXC_GP, EXC_NP, EXC_TS } from './faults';
import { EFLAGS_NT, getEflags, setEflags } from './eflags';
import {
  type Descriptor, SYS_LDT, descriptorDpl, descriptorPresent, descriptorType, isCodeOrData, isCodeSegment,
  isConformingCode, isNullSelector, isReadableSegment, readDescriptor, setTssBusy,
} from './descriptorTables';
import { descriptorBase, descriptorLimit, loadNullSegment, loadSegmentCache, setCpl } from './segmentCache';
import { readSystem16, readSystem32, writeSystem16, writeSystem32 } from './memoryAccess';
import { StackFrame, checkStackSegment, commitSegment } from './segmentation';
import { flushForCr3Load } from './paging';

export type TaskSwitchSource = 'jmp' | 'call' | 'iret' | 'interrupt';

/** TSS offsets of the saved segment selectors, in ES CS SS DS FS GS order. */
const TSS32_SEGMENTS = [0x48, 0x4c, 0x50, 0x54, 0x58, 0x5c];
const TSS16_SEGMENTS = [0x22, 0x24, 0x26, 0x28];
const TSS32_MIN_LIMIT = 0x67;
const TSS16_MIN_LIMIT = 0x2b;
const DR7_LOCAL_ENABLES = 0x55;

interface TaskImage {
  eip: number;
  eflags: number;
  readonly regs: number[];
  readonly segments: number[];
  readonly ldt: number;
  readonly cr3: number;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/**
 * The TSS descriptor a JMP/CALL/task gate names: in the GDT, a TSS, available, present.
 * Faults: #GP(selector | ext) for a bad selector or type or a busy TSS, #NP when not present.
 */
export function checkTargetTss(cpu: CpuState, selector: number, ext: number): Descriptor {
  const error = (selector & 0xfffc) | ext;
  if (selector & 4) throw new CpuFault(EXC_GP, error, `TSS selector ${hex(selector)} refers to the LDT`);
  const descriptor = readDescriptor(cpu, selector, EXC_GP, ext);
  const type = descriptorType(descriptor.high);
  if (isCodeOrData(descriptor.high) || (type !== 1 && type !== 9)) {
    throw new CpuFault(EXC_GP, error, `selector ${hex(selector)} is not an available TSS (type ${type}${type === 3 || type === 0xb ? ', busy' : ''})`);
  }
  if (!descriptorPresent(descriptor.high)) throw new CpuFault(EXC_NP, error, `TSS ${hex(selector)} is not present`);
  return descriptor;
}

/** An interrupt or exception through a task gate: switch with nesting, then push the error code. */
export function switchTaskThroughGate(cpu: CpuState, tssSelector: number, errorCode: number, ext: number): void {
  const descriptor = checkTargetTss(cpu, tssSelector, ext);
  switchTask(cpu, tssSelector, descriptor, 'interrupt', ext);
  if (errorCode >= 0) {
    const frame = StackFrame.current(cpu, ext);
    frame.push(errorCode, descriptorType(descriptor.high) & 8 ? 4 : 2);
    cpu.regs[4] = frame.espFrom(cpu.regs[4]!);
  }
}

/** IRET with NT set: back to the task whose selector is in the current TSS's back link. */
export function returnFromNestedTask(cpu: CpuState): void {
  const selector = readSystem16(cpu, cpu.tr.base);
  const error = selector & 0xfffc;
  if (selector & 4) throw new CpuFault(EXC_TS, error, `IRET task return: back link ${hex(selector)} refers to the LDT`);
  const descriptor = readDescriptor(cpu, selector, EXC_TS, 0);
  const type = descriptorType(descriptor.high);
  if (isCodeOrData(descriptor.high) || (type !== 3 && type !== 0xb)) {
    throw new CpuFault(EXC_TS, error, `IRET task return: back link ${hex(selector)} is not a busy TSS (type ${type})`);
  }
  if (!descriptorPresent(descriptor.high)) throw new CpuFault(EXC_NP, error, `IRET task return: TSS ${hex(selector)} is not present`);
  switchTask(cpu, selector, descriptor, 'iret', 0);
}

/**
 * The task switch proper (§7.3 steps 3-14). Reads the whole new TSS and writes the old one before
 * the commit point; after it, segment faults are raised in the new task (cpu.instructionStart is
 * moved to the new EIP so that the run loop's rollback lands there).
 */
export function switchTask(cpu: CpuState, selector: number, descriptor: Descriptor, source: TaskSwitchSource, ext: number): void {
  const new32 = (descriptorType(descriptor.high) & 8) !== 0;
  const newBase = descriptorBase(descriptor.low, descriptor.high) | 0;
  const newLimit = descriptorLimit(descriptor.low, descriptor.high);
  if (newLimit < (new32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT)) {
    throw new CpuFault(EXC_TS, (selector & 0xfffc) | ext, `new TSS ${hex(selector)} limit ${hex(newLimit)} is below ${hex(new32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT)}`);
  }
  const old32 = (cpu.tr.flags & 0x800) !== 0;
  if (cpu.tr.limit < (old32 ? 0x5f : 0x29)) {
    throw new CpuFault(EXC_TS, (cpu.tr.selector & 0xfffc) | ext, `current TSS ${hex(cpu.tr.selector)} limit ${hex(cpu.tr.limit)} cannot hold the saved state`);
  }
  const image = readTaskImage(cpu, newBase, new32);
  const oldDescriptor = source === 'jmp' || source === 'iret' ? readDescriptor(cpu, cpu.tr.selector, EXC_TS, ext) : undefined;
  saveTaskImage(cpu, old32, source === 'iret');
  if (oldDescriptor) setTssBusy(cpu, oldDescriptor, false);
  if (source === 'call' || source === 'interrupt') {
    writeSystem16(cpu, newBase, cpu.tr.selector);
    image.eflags |= EFLAGS_NT;
  }
  if (source !== 'iret') setTssBusy(cpu, descriptor, true);
  commitTask(cpu, selector, descriptor, image, new32);
  loadTaskSegments(cpu, image, ext);
  if (cpu.eip > cpu.segLimit[SEG_CS]!) throw new CpuFault(EXC_GP, ext, `new task EIP ${hex(cpu.eip)} is beyond its CS limit`);
}

function readTaskImage(cpu: CpuState, base: number, tss32: boolean): TaskImage {
  const at = (offset: number) => (base + offset) | 0;
  if (tss32) {
    const regs: number[] = [];
    for (let i = 0; i < 8; i++) regs.push(readSystem32(cpu, at(0x28 + i * 4)));
    return {
      cr3: readSystem32(cpu, at(0x1c)),
      eip: readSystem32(cpu, at(0x20)) >>> 0,
      eflags: readSystem32(cpu, at(0x24)),
      regs,
      segments: TSS32_SEGMENTS.map((offset) => readSystem16(cpu, at(offset))),
      ldt: readSystem16(cpu, at(0x60)),
    };
  }
  const regs: number[] = [];
  for (let i = 0; i < 8; i++) regs.push((cpu.regs[i]! & ~0xffff) | readSystem16(cpu, at(0x12 + i * 2)));
  const [es, cs, ss, ds] = TSS16_SEGMENTS.map((offset) => readSystem16(cpu, at(offset)));
  return {
    cr3: cpu.cr3,
    eip: readSystem16(cpu, at(0x0e)),
    eflags: readSystem16(cpu, at(0x10)),
    regs,
    segments: [es!, cs!, ss!, ds!, 0, 0],
    ldt: readSystem16(cpu, at(0x2a)),
  };
}

/** Writes EIP, EFLAGS, the general registers and the segment selectors into the current TSS. */
function saveTaskImage(cpu: CpuState, tss32: boolean, clearNt: boolean): void {
  const base = cpu.tr.base;
  const at = (offset: number) => (base + offset) | 0;
  const eflags = getEflags(cpu) & ~(clearNt ? EFLAGS_NT : 0);
  if (tss32) {
    writeSystem32(cpu, at(0x20), cpu.eip);
    writeSystem32(cpu, at(0x24), eflags);
    for (let i = 0; i < 8; i++) writeSystem32(cpu, at(0x28 + i * 4), cpu.regs[i]!);
    TSS32_SEGMENTS.forEach((offset, seg) => writeSystem16(cpu, at(offset), cpu.segSel[seg]!));
    return;
  }
  writeSystem16(cpu, at(0x0e), cpu.eip & 0xffff);
  writeSystem16(cpu, at(0x10), eflags & 0xffff);
  for (let i = 0; i < 8; i++) writeSystem16(cpu, at(0x12 + i * 2), cpu.regs[i]! & 0xffff);
  TSS16_SEGMENTS.forEach((offset, seg) => writeSystem16(cpu, at(offset), cpu.segSel[seg]!));
}

/** The commit point: TR, CR0.TS, CR3, EFLAGS, EIP, registers and raw selectors of the new task. */
function commitTask(cpu: CpuState, selector: number, descriptor: Descriptor, image: TaskImage, tss32: boolean): void {
  cpu.tr = {
    selector,
    base: descriptorBase(descriptor.low, descriptor.high),
    limit: descriptorLimit(descriptor.low, descriptor.high),
    flags: (descriptor.high | 0x200) & 0x00f0ff00,
  };
  cpu.cr0 |= CR0_TS;
  cpu.dr[7] = cpu.dr[7]! & ~DR7_LOCAL_ENABLES;
  if (tss32 && cpu.cr0 & CR0_PG) {
    cpu.cr3 = image.cr3;
    flushForCr3Load(cpu);
  }
  setEflags(cpu, image.eflags);
  cpu.eip = image.eip;
  for (let i = 0; i < 8; i++) cpu.regs[i] = image.regs[i]!;
  // Selectors are loaded first with unusable caches; the descriptor loads that follow may fault.
  image.segments.forEach((sel, seg) => loadSegmentCache(cpu, seg, sel, 0, 0, seg === SEG_CS ? cpu.segFlags[SEG_CS]! : 0));
  cpu.ldtr = { selector: image.ldt, base: 0, limit: 0, flags: 0 };
  setCpl(cpu, image.segments[SEG_CS]! & 3);
  cpu.instructionStart = cpu.eip;
  cpu.eventPending = true;
}

/** Table 7-1: LDT, then CS, SS, ES, DS, FS, GS, each qualified in the new task's context. */
function loadTaskSegments(cpu: CpuState, image: TaskImage, ext: number): void {
  loadTaskLdt(cpu, image.ldt, ext);
  const cpl = image.segments[SEG_CS]! & 3;
  loadTaskCode(cpu, image.segments[SEG_CS]!, ext);
  const ssSelector = image.segments[SEG_SS]!;
  commitSegment(cpu, SEG_SS, ssSelector, checkStackSegment(cpu, ssSelector, cpl, EXC_TS, ext, 'task switch SS'));
  for (const seg of [SEG_ES, SEG_DS, SEG_FS, SEG_GS]) loadTaskData(cpu, seg, image.segments[seg]!, cpl, ext);
}

function loadTaskLdt(cpu: CpuState, selector: number, ext: number): void {
  const error = (selector & 0xfffc) | ext;
  if (isNullSelector(selector)) return;
  if (selector & 4) throw new CpuFault(EXC_TS, error, `task switch: LDT selector ${hex(selector)} refers to the LDT`);
  const descriptor = readDescriptor(cpu, selector, EXC_TS, ext);
  if (isCodeOrData(descriptor.high) || descriptorType(descriptor.high) !== SYS_LDT) {
    throw new CpuFault(EXC_TS, error, `task switch: selector ${hex(selector)} is not an LDT descriptor`);
  }
  if (!descriptorPresent(descriptor.high)) throw new CpuFault(EXC_TS, error, `task switch: LDT ${hex(selector)} is not present`);
  cpu.ldtr = {
    selector,
    base: descriptorBase(descriptor.low, descriptor.high),
    limit: descriptorLimit(descriptor.low, descriptor.high),
    flags: descriptor.high & 0x00f0ff00,
  };
}

function loadTaskCode(cpu: CpuState, selector: number, ext: number): void {
  const error = (selector & 0xfffc) | ext;
  if (isNullSelector(selector)) throw new CpuFault(EXC_TS, ext, 'task switch: null CS selector');
  const descriptor = readDescriptor(cpu, selector, EXC_TS, ext);
  const high = descriptor.high;
  const dpl = descriptorDpl(high);
  const rpl = selector & 3;
  if (!isCodeSegment(high)) throw new CpuFault(EXC_TS, error, `task switch: CS ${hex(selector)} is not a code segment`);
  if (isConformingCode(high) ? dpl > rpl : dpl !== rpl) throw new CpuFault(EXC_TS, error, `task switch: CS ${hex(selector)} DPL ${dpl} does not fit RPL ${rpl}`);
  if (!descriptorPresent(high)) throw new CpuFault(EXC_NP, error, `task switch: CS ${hex(selector)} is not present`);
  commitSegment(cpu, SEG_CS, selector, descriptor);
}

function loadTaskData(cpu: CpuState, seg: number, selector: number, cpl: number, ext: number): void {
  if (isNullSelector(selector)) {
    loadNullSegment(cpu, seg, selector);
    return;
  }
  const error = (selector & 0xfffc) | ext;
  const descriptor = readDescriptor(cpu, selector, EXC_TS, ext);
  const high = descriptor.high;
  const dpl = descriptorDpl(high);
  if (!isReadableSegment(high)) throw new CpuFault(EXC_TS, error, `task switch: ${hex(selector)} is not a data or readable code segment`);
  if (!isConformingCode(high) && (dpl < cpl || dpl < (selector & 3))) {
    throw new CpuFault(EXC_TS, error, `task switch: data segment ${hex(selector)} DPL ${dpl} is below CPL/RPL`);
  }
  if (!descriptorPresent(high)) throw new CpuFault(EXC_NP, error, `task switch: segment ${hex(selector)} is not present`);
  commitSegment(cpu, seg, selector, descriptor);
}
