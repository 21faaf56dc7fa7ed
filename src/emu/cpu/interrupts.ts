// Delivering interrupts and exceptions through the protected-mode IDT: gate checks, the privilege
// change with a TSS stack switch, the frame pushes, and the double/triple-fault escalation.
// Owns: delivery. Must not know: what raised the event. Models Intel SDM Vol. 3A §6.10-6.14 and
// the INT n pseudo-code of Vol. 2A; escalation follows Table 6-5.
import type { CpuState } from './cpuState';
import { CR0_PE } from './cpuState';
import { SEG_CS, SEG_SS } from '../isa/registers';
import { CpuFault, EXC_DF, EXC_GP, EXC_NP, EXC_SS, EXC_TS, exceptionClass, faultName, pushesErrorCode } from './faults';
import { EFLAGS_IF, EFLAGS_NT, EFLAGS_RF, EFLAGS_TF, EFLAGS_VM, getEflags, setEflags } from './eflags';
import { descriptorDpl, descriptorPresent, descriptorType, isCodeOrData, markAccessed, readDescriptor } from './descriptorTables';
import { loadSegmentFromDescriptor, setCpl } from './segmentCache';
import { readSystem16, readSystem32, stackPointer, writeLinear16, writeLinear32, writeSystem16, writeSystem32 } from './memoryAccess';
import { switchTaskThroughGate } from './taskSwitch';

const REG_ESP = 4;

export type EventKind = 'exception' | 'external' | 'software' | 'nmi';

/**
 * Delivers an exception raised by an instruction (EIP already rolled back for faults, or past the
 * instruction for traps), escalating to #DF and then to a triple fault per Table 6-5.
 */
export function raiseException(cpu: CpuState, fault: CpuFault): void {
  deliverWithEscalation(cpu, fault.vector, pushesErrorCode(fault.vector) ? fault.errorCode & 0xffff : -1, 'exception', fault.description);
}

/** Delivers a maskable interrupt or NMI accepted between instructions. */
export function deliverExternalInterrupt(cpu: CpuState, vector: number, kind: 'external' | 'nmi'): void {
  deliverWithEscalation(cpu, vector, -1, kind, kind === 'nmi' ? 'NMI' : `interrupt vector ${vector}`);
}

/**
 * INT n, INT3, INTO, INT1: delivered with the return address after the instruction (cpu.eip).
 * A fault during delivery is a fault of the instruction: it propagates to the run loop.
 */
export function deliverSoftwareInterrupt(cpu: CpuState, vector: number): void {
  deliverThroughIdt(cpu, vector, -1, 'software');
}

function deliverWithEscalation(cpu: CpuState, vector: number, errorCode: number, kind: EventKind, description: string): void {
  let history = `${faultName(vector)}: ${description}`;
  for (;;) {
    try {
      cpu.deliveringVector = vector;
      deliverThroughIdt(cpu, vector, errorCode, kind);
      cpu.deliveringVector = -1;
      return;
    } catch (caught) {
      cpu.deliveringVector = -1;
      if (!(caught instanceof CpuFault)) throw caught;
      cpu.eip = cpu.instructionStart;
      history += `; then ${faultName(caught.vector)}: ${caught.description}`;
      const next = escalate(kind === 'exception' ? vector : -1, caught.vector);
      if (next < 0) {
        cpu.tripleFault = history;
        return;
      }
      vector = next;
      errorCode = next === EXC_DF ? 0 : pushesErrorCode(next) ? caught.errorCode & 0xffff : -1;
      kind = 'exception';
    }
  }
}

/** The vector to deliver when `second` occurs while delivering `first` (-1: shutdown). */
function escalate(first: number, second: number): number {
  if (first < 0) return second;
  const a = exceptionClass(first);
  const b = exceptionClass(second);
  if (a === 'doubleFault') return -1;
  if ((a === 'contributory' && b === 'contributory') || (a === 'pageFault' && (b === 'contributory' || b === 'pageFault'))) return EXC_DF;
  return second;
}

/** One delivery attempt; throws CpuFault when a check fails (nothing architectural changed yet). */
function deliverThroughIdt(cpu: CpuState, vector: number, errorCode: number, kind: EventKind): void {
  if (!(cpu.cr0 & CR0_PE)) throw new Error('real-mode interrupt delivery is not supported (CR0.PE is clear)');
  const ext = kind === 'software' ? 0 : 1;
  const idtError = (vector << 3) | 2 | ext;
  if (vector * 8 + 7 > cpu.idtrLimit) throw new CpuFault(EXC_GP, idtError, `vector ${vector} is beyond the IDT limit 0x${cpu.idtrLimit.toString(16)}`);
  const gateLow = readSystem32(cpu, (cpu.idtrBase + vector * 8) | 0);
  const gateHigh = readSystem32(cpu, (cpu.idtrBase + vector * 8 + 4) | 0);
  const gateType = descriptorType(gateHigh);
  const isGate = !isCodeOrData(gateHigh) && [5, 6, 7, 0xe, 0xf].includes(gateType);
  if (!isGate) throw new CpuFault(EXC_GP, idtError, `IDT entry ${vector} is not an interrupt, trap or task gate`);
  if (kind === 'software' && descriptorDpl(gateHigh) < cpu.cpl) {
    throw new CpuFault(EXC_GP, idtError, `INT ${vector} from CPL ${cpu.cpl} through a gate with DPL ${descriptorDpl(gateHigh)}`);
  }
  if (!descriptorPresent(gateHigh)) throw new CpuFault(EXC_NP, idtError, `IDT entry ${vector} is not present`);
  if (gateType === 5) {
    switchTaskThroughGate(cpu, gateLow >>> 16, errorCode, ext);
    return;
  }
  const gate32 = (gateType & 8) !== 0;
  const trapGate = (gateType & 1) !== 0;
  const selector = gateLow >>> 16;
  const offset = gate32 ? ((gateHigh & 0xffff0000) | (gateLow & 0xffff)) >>> 0 : gateLow & 0xffff;
  enterHandler(cpu, selector, offset, gate32, trapGate, errorCode, ext);
}

function enterHandler(cpu: CpuState, selector: number, offset: number, gate32: boolean, trapGate: boolean, errorCode: number, ext: number): void {
  if ((selector & 0xfffc) === 0) throw new CpuFault(EXC_GP, ext, 'interrupt gate with a null code selector');
  const code = readDescriptor(cpu, selector, EXC_GP, ext);
  const codeType = descriptorType(code.high);
  const codeDpl = descriptorDpl(code.high);
  if (!isCodeOrData(code.high) || !(codeType & 8) || codeDpl > cpu.cpl) {
    throw new CpuFault(EXC_GP, (selector & 0xfffc) | ext, `gate target 0x${selector.toString(16)} is not a code segment reachable from CPL ${cpu.cpl}`);
  }
  if (!descriptorPresent(code.high)) throw new CpuFault(EXC_NP, (selector & 0xfffc) | ext, `gate target code segment 0x${selector.toString(16)} is not present`);
  const conforming = (codeType & 4) !== 0;
  const newCpl = conforming ? cpu.cpl : codeDpl;
  const codeLimit = limitOf(code.low, code.high);
  if (offset > codeLimit) throw new CpuFault(EXC_GP, ext, `handler offset 0x${offset.toString(16)} beyond the code segment limit`);
  const flags = getEflags(cpu);
  const frame: number[] = [];
  if (newCpl < cpu.cpl) {
    const { ssSelector, esp, ss } = innerStack(cpu, newCpl, ext);
    frame.push(cpu.segSel[SEG_SS]!, cpu.regs[REG_ESP]!);
    frame.push(flags, cpu.segSel[SEG_CS]!, cpu.eip);
    if (errorCode >= 0) frame.push(errorCode);
    const width = gate32 ? 4 : 2;
    const ssBase = baseOf(ss.low, ss.high);
    const ss32 = (ss.high & 0x400000) !== 0;
    let top = esp;
    for (const value of frame) {
      top = ss32 ? (top - width) | 0 : (top - width) & 0xffff;
      const linear = (ssBase + (ss32 ? top : top & 0xffff)) | 0;
      if (gate32) writeSystem32(cpu, linear, value);
      else writeSystem16(cpu, linear, value);
    }
    markAccessed(cpu, ss);
    loadSegmentFromDescriptor(cpu, SEG_SS, (ssSelector & 0xfffc) | newCpl, ss.low, ss.high | 0x100);
    cpu.regs[REG_ESP] = ss32 ? top : (cpu.regs[REG_ESP]! & ~0xffff) | top;
  } else {
    frame.push(flags, cpu.segSel[SEG_CS]!, cpu.eip);
    if (errorCode >= 0) frame.push(errorCode);
    pushFrameHere(cpu, frame, gate32);
  }
  markAccessed(cpu, code);
  loadSegmentFromDescriptor(cpu, SEG_CS, (selector & 0xfffc) | newCpl, code.low, code.high | 0x100);
  setCpl(cpu, newCpl);
  cpu.eip = offset;
  setEflags(cpu, flags & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM | (trapGate ? 0 : EFLAGS_IF)));
}

/** Pushes an interrupt frame on the current stack, checking every slot before changing ESP. */
function pushFrameHere(cpu: CpuState, frame: readonly number[], gate32: boolean): void {
  const width = gate32 ? 4 : 2;
  let top = stackPointer(cpu);
  const user = cpu.cpl === 3;
  for (const value of frame) {
    top = cpu.stackSize32 ? (top - width) | 0 : (top - width) & 0xffff;
    const off = top >>> 0;
    if (off < cpu.segWriteLo[SEG_SS]! || off + width - 1 > cpu.segWriteHi[SEG_SS]!) throw new CpuFault(EXC_SS, 0, 'interrupt frame does not fit the stack segment');
    const linear = (cpu.segBase[SEG_SS]! + off) | 0;
    if (user) (gate32 ? writeLinear32 : writeLinear16)(cpu, linear, value);
    else (gate32 ? writeSystem32 : writeSystem16)(cpu, linear, value);
  }
  cpu.regs[REG_ESP] = cpu.stackSize32 ? top : (cpu.regs[REG_ESP]! & ~0xffff) | top;
}

/** SS:ESP for privilege level `cpl` from the current TSS, with the checks of INT's pseudo-code. */
function innerStack(cpu: CpuState, cpl: number, ext: number) {
  const tss32 = ((cpu.tr.flags >>> 8) & 0xf & 8) !== 0;
  const slot = tss32 ? 4 + cpl * 8 : 2 + cpl * 4;
  const size = tss32 ? 8 : 4;
  if (slot + size - 1 > cpu.tr.limit) throw new CpuFault(EXC_TS, (cpu.tr.selector & 0xfffc) | ext, `TSS too small for the ring ${cpl} stack`);
  const esp = tss32 ? readSystem32(cpu, (cpu.tr.base + slot) | 0) : readSystem16(cpu, (cpu.tr.base + slot) | 0);
  const ssSelector = tss32 ? readSystem16(cpu, (cpu.tr.base + slot + 4) | 0) : readSystem16(cpu, (cpu.tr.base + slot + 2) | 0);
  if ((ssSelector & 0xfffc) === 0) throw new CpuFault(EXC_TS, ext, `TSS ring ${cpl} stack selector is null`);
  const ss = readDescriptor(cpu, ssSelector, EXC_TS, ext);
  const type = descriptorType(ss.high);
  if ((ssSelector & 3) !== cpl || descriptorDpl(ss.high) !== cpl || !isCodeOrData(ss.high) || type & 8 || !(type & 2)) {
    throw new CpuFault(EXC_TS, (ssSelector & 0xfffc) | ext, `TSS ring ${cpl} stack segment 0x${ssSelector.toString(16)} is not a writable DPL ${cpl} data segment`);
  }
  if (!descriptorPresent(ss.high)) throw new CpuFault(EXC_SS, (ssSelector & 0xfffc) | ext, `ring ${cpl} stack segment is not present`);
  return { ssSelector, esp, ss };
}

function baseOf(low: number, high: number): number {
  return ((low >>> 16) | ((high & 0xff) << 16) | (high & 0xff000000)) | 0;
}

function limitOf(low: number, high: number): number {
  const raw = (low & 0xffff) | (high & 0xf0000);
  return high & 0x800000 ? ((raw << 12) | 0xfff) >>> 0 : raw;
}
