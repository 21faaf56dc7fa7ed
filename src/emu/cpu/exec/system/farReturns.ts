// RET far (with or without imm16) and IRET/IRETD: same-privilege returns, returns to an outer ring
// (SS:ESP popped and checked, data segments the outer ring may not hold nulled), IRET's EFLAGS
// rules by CPL and IOPL, IRET with NT (task return), and the end of NMI blocking.
// Owns: the checks of RET's and IRET's protected-mode pseudo-code. Must not know: task switching
// internals. Models Intel SDM Vol. 2 RET (far) and IRET/IRETD, Vol. 3A §5.8.6 (returning from a
// called procedure), §6.7.1 (NMI blocking until IRET).
import type { Handler, Instruction } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { CR0_PE } from '../../cpuState';
import { SEG_CS, SEG_SS } from '../../../isa/registers';
import { CpuFault, EXC_GP, EXC_NP } from '../../faults';
import {
  EFLAGS_AC, EFLAGS_ID, EFLAGS_IF, EFLAGS_IOPL, EFLAGS_NT, EFLAGS_RF, EFLAGS_TF, EFLAGS_VM, ARITHMETIC_FLAGS,
  EFLAGS_DF, getEflags, setEflags,
} from '../../eflags';
import { type Descriptor, descriptorDpl, descriptorPresent, isCodeSegment, isConformingCode, isNullSelector, readDescriptor } from '../../descriptorTables';
import { descriptorLimit, loadSegmentCache, setCpl } from '../../segmentCache';
import { StackFrame, checkStackSegment, commitSegment, nullInaccessibleDataSegments } from '../../segmentation';
import { returnFromNestedTask } from '../../taskSwitch';
import { hex } from './systemOperands';

const REG_ESP = 4;

/** The return CS of RET far / IRET: present code whose DPL fits its RPL, RPL >= CPL. */
function checkReturnCode(cpu: CpuState, selector: number, what: string): Descriptor {
  if (isNullSelector(selector)) throw new CpuFault(EXC_GP, 0, `${what} to a null CS selector`);
  const code = readDescriptor(cpu, selector, EXC_GP, 0);
  const error = selector & 0xfffc;
  const rpl = selector & 3;
  const dpl = descriptorDpl(code.high);
  if (!isCodeSegment(code.high)) throw new CpuFault(EXC_GP, error, `${what}: return selector ${hex(selector)} is not a code segment`);
  if (rpl < cpu.cpl) throw new CpuFault(EXC_GP, error, `${what}: return selector ${hex(selector)} has RPL ${rpl} < CPL ${cpu.cpl}`);
  if (isConformingCode(code.high) ? dpl > rpl : dpl !== rpl) throw new CpuFault(EXC_GP, error, `${what}: code ${hex(selector)} DPL ${dpl} does not fit RPL ${rpl}`);
  if (!descriptorPresent(code.high)) throw new CpuFault(EXC_NP, error, `${what}: code segment ${hex(selector)} is not present`);
  return code;
}

function checkReturnOffset(code: Descriptor, eip: number, what: string): void {
  const limit = descriptorLimit(code.low, code.high);
  if (eip > limit) throw new CpuFault(EXC_GP, 0, `${what}: return offset ${hex(eip)} is beyond the code segment limit ${hex(limit)}`);
}

/** The outer ring's SS:ESP popped from the frame, checked for privilege level `rpl`. */
function popOuterStack(cpu: CpuState, frame: StackFrame, width: 2 | 4, rpl: number, what: string) {
  const esp = frame.pop(width);
  const selector = frame.pop(width) & 0xffff;
  const descriptor = checkStackSegment(cpu, selector, rpl, EXC_GP, 0, what);
  return { esp, selector, descriptor };
}

/** Loads the outer stack, adding `release` bytes to its ESP with the new SS's width. */
function commitOuterStack(cpu: CpuState, stack: { esp: number; selector: number; descriptor: Descriptor }, release: number): void {
  commitSegment(cpu, SEG_SS, stack.selector, stack.descriptor);
  const esp = (stack.esp + release) | 0;
  cpu.regs[REG_ESP] = cpu.stackSize32 ? esp : (cpu.regs[REG_ESP]! & ~0xffff) | (esp & 0xffff);
}

function returnFar(cpu: CpuState, instruction: Instruction): void {
  const width = instruction.opsize32 ? 4 : 2;
  const release = instruction.opcode === 0xca ? instruction.imm & 0xffff : 0;
  const frame = StackFrame.currentForRead(cpu);
  const eip = width === 4 ? frame.pop(4) >>> 0 : frame.pop(2);
  const selector = frame.pop(width) & 0xffff;
  if (!(cpu.cr0 & CR0_PE)) {
    frame.skip(release);
    loadSegmentCache(cpu, SEG_CS, selector, selector << 4, cpu.segLimit[SEG_CS]!, cpu.segFlags[SEG_CS]!);
    cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
    cpu.eip = eip;
    return;
  }
  const code = checkReturnCode(cpu, selector, 'RET far');
  const rpl = selector & 3;
  if (rpl === cpu.cpl) {
    checkReturnOffset(code, eip, 'RET far');
    frame.skip(release);
    cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
    commitSegment(cpu, SEG_CS, selector, code);
    cpu.eip = eip;
    return;
  }
  frame.skip(release);
  const stack = popOuterStack(cpu, frame, width, rpl, 'RET far to an outer level');
  checkReturnOffset(code, eip, 'RET far');
  commitSegment(cpu, SEG_CS, selector, code);
  setCpl(cpu, rpl);
  commitOuterStack(cpu, stack, release);
  cpu.eip = eip;
  nullInaccessibleDataSegments(cpu, rpl);
}

/** EFLAGS after IRET: IOPL only from CPL 0, IF only when CPL <= IOPL (the CPL before returning). */
export function iretFlags(cpu: CpuState, image: number, width: 2 | 4): number {
  const old = getEflags(cpu);
  let mask = ARITHMETIC_FLAGS | EFLAGS_TF | EFLAGS_DF | EFLAGS_NT | EFLAGS_RF | EFLAGS_AC | EFLAGS_ID;
  if (cpu.cpl === 0) mask |= EFLAGS_IOPL;
  if (cpu.cpl <= (old & EFLAGS_IOPL) >>> 12) mask |= EFLAGS_IF;
  if (width === 2) mask &= 0xffff;
  return (old & ~mask) | (image & mask);
}

function interruptReturn(cpu: CpuState, instruction: Instruction): void {
  const width = instruction.opsize32 ? 4 : 2;
  if (cpu.cr0 & CR0_PE && getEflags(cpu) & EFLAGS_NT) {
    returnFromNestedTask(cpu);
    endNmiBlocking(cpu);
    return;
  }
  const frame = StackFrame.currentForRead(cpu);
  const eip = width === 4 ? frame.pop(4) >>> 0 : frame.pop(2);
  const selector = frame.pop(width) & 0xffff;
  const image = frame.pop(width);
  if (!(cpu.cr0 & CR0_PE)) {
    loadSegmentCache(cpu, SEG_CS, selector, selector << 4, cpu.segLimit[SEG_CS]!, cpu.segFlags[SEG_CS]!);
    finishIret(cpu, eip, iretFlags(cpu, image, width));
    cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
    return;
  }
  if (width === 4 && image & EFLAGS_VM && cpu.cpl === 0) throw new CpuFault(EXC_GP, 0, 'IRET to virtual-8086 mode is not modelled');
  const code = checkReturnCode(cpu, selector, 'IRET');
  const rpl = selector & 3;
  if (rpl === cpu.cpl) {
    checkReturnOffset(code, eip, 'IRET');
    const flags = iretFlags(cpu, image, width);
    cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
    commitSegment(cpu, SEG_CS, selector, code);
    finishIret(cpu, eip, flags);
    return;
  }
  const stack = popOuterStack(cpu, frame, width, rpl, 'IRET to an outer level');
  checkReturnOffset(code, eip, 'IRET');
  const flags = iretFlags(cpu, image, width);
  commitSegment(cpu, SEG_CS, selector, code);
  setCpl(cpu, rpl);
  commitOuterStack(cpu, stack, 0);
  finishIret(cpu, eip, flags);
  nullInaccessibleDataSegments(cpu, rpl);
}

function finishIret(cpu: CpuState, eip: number, flags: number): void {
  cpu.eip = eip;
  setEflags(cpu, flags & ~EFLAGS_VM);
  endNmiBlocking(cpu);
}

/** Any IRET ends NMI blocking; IF, TF or a pending NMI may now need the event check. */
function endNmiBlocking(cpu: CpuState): void {
  cpu.nmiBlocked = false;
  cpu.eventPending = true;
}

export const farReturnHandlers: Readonly<Record<string, Handler>> = {
  retf: returnFar,
  iret: interruptReturn,
};
