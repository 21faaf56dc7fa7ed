// Far JMP and far CALL: direct (ptr16:16/32 in the instruction) and indirect (m16:16/32, like
// lguest's `lcall *lguest_entry`), to code segments, through call gates (with the stack switch and
// parameter copy of a call to an inner ring), and to task gates or TSS descriptors (task switch).
// Owns: the checks of JMP/CALL's protected-mode pseudo-code and their error codes.
// Must not know: how a task switch or a segment cache works inside (taskSwitch.ts, segmentCache.ts).
// Models Intel SDM Vol. 2 JMP and CALL (far forms), Vol. 3A §5.8 (calls through gates), §7.3.
import type { Handler } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { CR0_PE } from '../../cpuState';
import { SEG_CS, SEG_SS } from '../../../isa/registers';
import { CpuFault, EXC_GP, EXC_NP } from '../../faults';
import {
  type Descriptor, SYS_CALL_GATE16, SYS_CALL_GATE32, SYS_TASK_GATE, descriptorDpl, descriptorPresent, descriptorType,
  gateOffset, gateSelector, isCodeSegment, isConformingCode, isNullSelector, readDescriptor,
} from '../../descriptorTables';
import { descriptorLimit, loadSegmentCache, setCpl } from '../../segmentCache';
import { StackFrame, commitSegment } from '../../segmentation';
import { innerStack } from '../../interrupts';
import { checkTargetTss, switchTask, type TaskSwitchSource } from '../../taskSwitch';
import { readSystem16, readSystem32 } from '../../memoryAccess';
import { hex, readFarPointer } from './systemOperands';

const REG_ESP = 4;

type FarKind = 'jmp' | 'call';

/** Common entry: real mode loads CS plainly; protected mode dispatches on the descriptor. */
function farTransfer(cpu: CpuState, kind: FarKind, selector: number, offset: number, opsize32: boolean): void {
  const width = opsize32 ? 4 : 2;
  offset = opsize32 ? offset >>> 0 : offset & 0xffff;
  if (!(cpu.cr0 & CR0_PE)) {
    if (kind === 'call') pushReturn(cpu, StackFrame.current(cpu), width);
    loadSegmentCache(cpu, SEG_CS, selector, selector << 4, cpu.segLimit[SEG_CS]!, cpu.segFlags[SEG_CS]!);
    cpu.eip = offset;
    return;
  }
  if (isNullSelector(selector)) throw new CpuFault(EXC_GP, 0, `far ${kind} to a null selector`);
  const descriptor = readDescriptor(cpu, selector, EXC_GP, 0);
  if (isCodeSegment(descriptor.high)) {
    toCodeSegment(cpu, kind, selector, descriptor, offset, width);
    return;
  }
  const type = (descriptor.high & 0x1000) === 0 ? descriptorType(descriptor.high) : -1;
  if (type === SYS_CALL_GATE16 || type === SYS_CALL_GATE32) throughCallGate(cpu, kind, selector, descriptor);
  else if (type === SYS_TASK_GATE) throughTaskGate(cpu, kind, selector, descriptor);
  else if (type === 1 || type === 9) toTss(cpu, kind, selector, descriptor);
  else throw new CpuFault(EXC_GP, selector & 0xfffc, `far ${kind} to ${hex(selector)}: not a code segment, call gate, task gate or available TSS`);
}

/** The privilege rules of a direct far JMP/CALL to a code segment. */
function checkDirectCode(cpu: CpuState, kind: FarKind, selector: number, high: number): void {
  const dpl = descriptorDpl(high);
  const error = selector & 0xfffc;
  if (isConformingCode(high)) {
    if (dpl > cpu.cpl) throw new CpuFault(EXC_GP, error, `far ${kind} to conforming code ${hex(selector)} with DPL ${dpl} > CPL ${cpu.cpl}`);
  } else if ((selector & 3) > cpu.cpl || dpl !== cpu.cpl) {
    throw new CpuFault(EXC_GP, error, `far ${kind} to non-conforming code ${hex(selector)} (DPL ${dpl}, RPL ${selector & 3}) from CPL ${cpu.cpl}`);
  }
  if (!descriptorPresent(high)) throw new CpuFault(EXC_NP, error, `far ${kind}: code segment ${hex(selector)} is not present`);
}

function checkOffset(descriptor: Descriptor, offset: number, what: string): void {
  const limit = descriptorLimit(descriptor.low, descriptor.high);
  if (offset > limit) throw new CpuFault(EXC_GP, 0, `${what}: offset ${hex(offset)} is beyond the code segment limit ${hex(limit)}`);
}

function pushReturn(cpu: CpuState, frame: StackFrame, width: 2 | 4): void {
  frame.push(cpu.segSel[SEG_CS]!, width);
  frame.push(cpu.eip, width);
}

function toCodeSegment(cpu: CpuState, kind: FarKind, selector: number, descriptor: Descriptor, offset: number, width: 2 | 4): void {
  checkDirectCode(cpu, kind, selector, descriptor.high);
  toCodeSegmentUnchecked(cpu, kind, selector, descriptor, offset, width);
}

/** The gate's own checks, then the code segment it names; returns that segment's descriptor. */
function callGateTarget(cpu: CpuState, kind: FarKind, gateSel: number, gate: Descriptor): { selector: number; code: Descriptor } {
  const dpl = descriptorDpl(gate.high);
  if (dpl < cpu.cpl || dpl < (gateSel & 3)) {
    throw new CpuFault(EXC_GP, gateSel & 0xfffc, `far ${kind} through call gate ${hex(gateSel)} with DPL ${dpl} < max(CPL ${cpu.cpl}, RPL ${gateSel & 3})`);
  }
  if (!descriptorPresent(gate.high)) throw new CpuFault(EXC_NP, gateSel & 0xfffc, `call gate ${hex(gateSel)} is not present`);
  const selector = gateSelector(gate.low);
  if (isNullSelector(selector)) throw new CpuFault(EXC_GP, 0, `call gate ${hex(gateSel)} names a null code selector`);
  const code = readDescriptor(cpu, selector, EXC_GP, 0);
  const codeDpl = descriptorDpl(code.high);
  const error = selector & 0xfffc;
  if (!isCodeSegment(code.high)) throw new CpuFault(EXC_GP, error, `call gate target ${hex(selector)} is not a code segment`);
  const allowed = kind === 'call' || isConformingCode(code.high) ? codeDpl <= cpu.cpl : codeDpl === cpu.cpl;
  if (!allowed) throw new CpuFault(EXC_GP, error, `far ${kind} through a call gate to code ${hex(selector)} with DPL ${codeDpl} from CPL ${cpu.cpl}`);
  if (!descriptorPresent(code.high)) throw new CpuFault(EXC_NP, error, `call gate target ${hex(selector)} is not present`);
  return { selector, code };
}

function throughCallGate(cpu: CpuState, kind: FarKind, gateSel: number, gate: Descriptor): void {
  const { selector, code } = callGateTarget(cpu, kind, gateSel, gate);
  const offset = gateOffset(gate.low, gate.high);
  const width = descriptorType(gate.high) & 8 ? 4 : 2;
  const codeDpl = descriptorDpl(code.high);
  if (kind === 'call' && !isConformingCode(code.high) && codeDpl < cpu.cpl) {
    callToInnerRing(cpu, selector, code, offset, width, gate.high & 0x1f);
    return;
  }
  toCodeSegmentUnchecked(cpu, kind, selector, code, offset, width);
}

function toCodeSegmentUnchecked(cpu: CpuState, kind: FarKind, selector: number, code: Descriptor, offset: number, width: 2 | 4): void {
  let frame: StackFrame | undefined;
  if (kind === 'call') {
    frame = StackFrame.current(cpu);
    pushReturn(cpu, frame, width);
  }
  checkOffset(code, offset, `far ${kind}`);
  if (frame) cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
  commitSegment(cpu, SEG_CS, (selector & 0xfffc) | cpu.cpl, code);
  cpu.eip = offset;
}

/** CALL through a gate to a more privileged ring: new stack from the TSS, parameters copied. */
function callToInnerRing(cpu: CpuState, selector: number, code: Descriptor, offset: number, width: 2 | 4, parameters: number): void {
  const newCpl = descriptorDpl(code.high);
  const stack = innerStack(cpu, newCpl, 0);
  const frame = StackFrame.fromDescriptor(cpu, stack.descriptor, stack.esp, stack.selector & 0xfffc);
  const oldEsp = cpu.regs[REG_ESP]!;
  frame.push(cpu.segSel[SEG_SS]!, width);
  frame.push(oldEsp, width);
  const oldBase = cpu.segBase[SEG_SS]!;
  for (let i = parameters - 1; i >= 0; i--) {
    const at = cpu.stackSize32 ? (oldEsp + i * width) | 0 : (oldEsp + i * width) & 0xffff;
    const linear = (oldBase + at) | 0;
    frame.push(width === 4 ? readSystem32(cpu, linear) : readSystem16(cpu, linear), width);
  }
  pushReturn(cpu, frame, width);
  checkOffset(code, offset, 'call gate to an inner ring');
  commitSegment(cpu, SEG_SS, (stack.selector & 0xfffc) | newCpl, stack.descriptor);
  cpu.regs[REG_ESP] = frame.espFrom(stack.esp);
  commitSegment(cpu, SEG_CS, (selector & 0xfffc) | newCpl, code);
  setCpl(cpu, newCpl);
  cpu.eip = offset;
}

function throughTaskGate(cpu: CpuState, kind: FarKind, gateSel: number, gate: Descriptor): void {
  const dpl = descriptorDpl(gate.high);
  if (dpl < cpu.cpl || dpl < (gateSel & 3)) {
    throw new CpuFault(EXC_GP, gateSel & 0xfffc, `far ${kind} through task gate ${hex(gateSel)} with DPL ${dpl} < max(CPL ${cpu.cpl}, RPL ${gateSel & 3})`);
  }
  if (!descriptorPresent(gate.high)) throw new CpuFault(EXC_NP, gateSel & 0xfffc, `task gate ${hex(gateSel)} is not present`);
  const tssSelector = gateSelector(gate.low);
  const tss = checkTargetTss(cpu, tssSelector, 0);
  switchTask(cpu, tssSelector, tss, kind as TaskSwitchSource, 0);
}

function toTss(cpu: CpuState, kind: FarKind, selector: number, descriptor: Descriptor): void {
  const dpl = descriptorDpl(descriptor.high);
  if (dpl < cpu.cpl || dpl < (selector & 3)) {
    throw new CpuFault(EXC_GP, selector & 0xfffc, `far ${kind} to TSS ${hex(selector)} with DPL ${dpl} < max(CPL ${cpu.cpl}, RPL ${selector & 3})`);
  }
  const tss = checkTargetTss(cpu, selector, 0);
  switchTask(cpu, selector, tss, kind as TaskSwitchSource, 0);
}

export const farTransferHandlers: Readonly<Record<string, Handler>> = {
  jmp_far: (cpu, instruction) => farTransfer(cpu, 'jmp', instruction.imm2 & 0xffff, instruction.imm, instruction.opsize32),
  call_far: (cpu, instruction) => farTransfer(cpu, 'call', instruction.imm2 & 0xffff, instruction.imm, instruction.opsize32),
  jmp_far_indirect: (cpu, instruction) => {
    const pointer = readFarPointer(cpu, instruction, 'jmp far');
    farTransfer(cpu, 'jmp', pointer.selector, pointer.offset, instruction.opsize32);
  },
  call_far_indirect: (cpu, instruction) => {
    const pointer = readFarPointer(cpu, instruction, 'call far');
    farTransfer(cpu, 'call', pointer.selector, pointer.offset, instruction.opsize32);
  },
};
