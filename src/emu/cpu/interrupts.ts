// Delivering interrupts and exceptions through the protected-mode IDT: gate checks, the privilege
// change with a TSS stack switch, the frame pushes, task gates, and the double/triple-fault
// escalation. Owns: delivery and the error codes it raises (IDT entry | 2 | EXT, selector | EXT).
// Must not know: what raised the event (instructions, devices). Models Intel SDM Vol. 3A
// §6.10-6.15 and the INT n/INTO/INT3/INT1 pseudo-code of Vol. 2A; escalation follows Table 6-5;
// the RF image of faults follows the SDM, not QEMU (see FAULT_IMAGE_SETS_RF).
import type { CpuState } from './cpuState';
import { CR0_PE } from './cpuState';
import { SEG_CS, SEG_SS } from '../isa/registers';
import { CpuFault, EXC_DB, EXC_DF, EXC_GP, EXC_NP, EXC_TS, exceptionClass, faultName, pushesErrorCode } from './faults';
import { EFLAGS_IF, EFLAGS_NT, EFLAGS_RF, EFLAGS_TF, EFLAGS_VM, getEflags, setEflags } from './eflags';
import {
  type Descriptor, descriptorDpl, descriptorPresent, descriptorType, isCodeOrData, isCodeSegment, isConformingCode,
  isNullSelector, readDescriptor,
} from './descriptorTables';
import { descriptorLimit, setCpl } from './segmentCache';
import { readSystem16, readSystem32 } from './memoryAccess';
import { StackFrame, checkStackSegment, commitSegment } from './segmentation';
import { switchTaskThroughGate } from './taskSwitch';

const REG_ESP = 4;

/**
 * Intel SDM §17.3.1.1: the EFLAGS image a fault pushes has RF set (except for instruction
 * breakpoints), so that IRET does not re-trigger an instruction breakpoint. Real CPUs do this;
 * QEMU 7.2 pushes RF as it is (clear), so the QEMU differential masks RF. Turning this off gives
 * QEMU's behaviour.
 */
const FAULT_IMAGE_SETS_RF = true;

/** exception: raised by an instruction or the CPU; software: INT n/INT3/INTO (gate DPL checked);
 *  icebp: INT1 (no DPL check, EXT set); external and nmi: accepted between instructions. */
export type EventKind = 'exception' | 'external' | 'software' | 'icebp' | 'nmi';

/**
 * Delivers an exception raised by an instruction (EIP already rolled back for faults, or past the
 * instruction for traps), escalating to #DF and then to a triple fault per Table 6-5. `trap`
 * marks a trap-class exception (single-step); it only matters while FAULT_IMAGE_SETS_RF is on.
 */
export function raiseException(cpu: CpuState, fault: CpuFault, trap = false): void {
  const errorCode = pushesErrorCode(fault.vector) ? fault.errorCode & 0xffff : -1;
  deliverWithEscalation(cpu, fault.vector, errorCode, trap ? 'trap' : 'fault', fault.description);
}

/** Delivers a maskable interrupt or NMI accepted between instructions. */
export function deliverExternalInterrupt(cpu: CpuState, vector: number, kind: 'external' | 'nmi'): void {
  deliverWithEscalation(cpu, vector, -1, kind, kind === 'nmi' ? 'NMI' : `interrupt vector ${vector}`);
}

/**
 * INT n, INT3, INTO (`icebp` false: the gate DPL must be >= CPL) and INT1 (`icebp` true):
 * delivered with the return address after the instruction (cpu.eip). A fault during delivery is a
 * fault of the instruction: it propagates to the run loop, which rolls back and delivers it.
 */
export function deliverSoftwareInterrupt(cpu: CpuState, vector: number, icebp = false): void {
  deliverThroughIdt(cpu, vector, -1, icebp ? 'icebp' : 'software', false);
}

type DeliveryOrigin = 'fault' | 'trap' | 'external' | 'nmi';

function deliverWithEscalation(cpu: CpuState, vector: number, errorCode: number, origin: DeliveryOrigin, description: string): void {
  let history = `${faultName(vector)}: ${description}`;
  let first = origin === 'fault' || origin === 'trap' ? vector : -1;
  let setRf = FAULT_IMAGE_SETS_RF && origin === 'fault' && vector !== EXC_DF && vector !== EXC_DB;
  let kind: EventKind = origin === 'fault' || origin === 'trap' ? 'exception' : origin;
  for (;;) {
    try {
      cpu.deliveringVector = vector;
      deliverThroughIdt(cpu, vector, errorCode, kind, setRf);
      cpu.deliveringVector = -1;
      return;
    } catch (caught) {
      cpu.deliveringVector = -1;
      if (!(caught instanceof CpuFault)) throw caught;
      cpu.eip = cpu.instructionStart;
      history += `; then ${faultName(caught.vector)}: ${caught.description}`;
      const next = escalate(first, caught.vector);
      if (next < 0) {
        cpu.tripleFault = `triple fault (shutdown): ${history}`;
        cpu.eventPending = true;
        return;
      }
      if (next === EXC_DF) history += '; escalated to #DF';
      vector = next;
      errorCode = next === EXC_DF ? 0 : pushesErrorCode(next) ? caught.errorCode & 0xffff : -1;
      first = next;
      kind = 'exception';
      setRf = FAULT_IMAGE_SETS_RF && next !== EXC_DF && next !== EXC_DB;
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

/** One delivery attempt; throws CpuFault when a check fails (no register changed yet). */
function deliverThroughIdt(cpu: CpuState, vector: number, errorCode: number, kind: EventKind, setRf: boolean): void {
  if (!(cpu.cr0 & CR0_PE)) throw new Error('real-mode interrupt delivery is not supported (CR0.PE is clear)');
  const ext = kind === 'software' ? 0 : 1;
  const idtError = (vector << 3) | 2 | ext;
  if (vector * 8 + 7 > cpu.idtrLimit) throw new CpuFault(EXC_GP, idtError, `vector ${vector} is beyond the IDT limit 0x${cpu.idtrLimit.toString(16)}`);
  const gateLow = readSystem32(cpu, (cpu.idtrBase + vector * 8) | 0);
  const gateHigh = readSystem32(cpu, (cpu.idtrBase + vector * 8 + 4) | 0);
  const gateType = descriptorType(gateHigh);
  const isGate = !isCodeOrData(gateHigh) && (gateType === 5 || (gateType & 6) === 6);
  if (!isGate) throw new CpuFault(EXC_GP, idtError, `IDT entry ${vector} (type ${gateType}) is not an interrupt, trap or task gate`);
  if (kind === 'software' && descriptorDpl(gateHigh) < cpu.cpl) {
    throw new CpuFault(EXC_GP, idtError, `INT ${vector} from CPL ${cpu.cpl} through a gate with DPL ${descriptorDpl(gateHigh)}`);
  }
  if (!descriptorPresent(gateHigh)) throw new CpuFault(EXC_NP, idtError, `IDT entry ${vector} is not present`);
  if (gateType === 5) {
    switchTaskThroughGate(cpu, gateLow >>> 16, errorCode, ext);
    return;
  }
  const gate: Gate = {
    selector: gateLow >>> 16,
    offset: gateType & 8 ? ((gateHigh & 0xffff0000) | (gateLow & 0xffff)) >>> 0 : gateLow & 0xffff,
    width: gateType & 8 ? 4 : 2,
    trap: (gateType & 1) !== 0,
  };
  enterHandler(cpu, gate, errorCode, ext, setRf);
}

interface Gate {
  readonly selector: number;
  readonly offset: number;
  readonly width: 2 | 4;
  readonly trap: boolean;
}

/** The code segment a gate names, checked for interrupt delivery at the current CPL. */
function gateTarget(cpu: CpuState, selector: number, ext: number): Descriptor {
  if (isNullSelector(selector)) throw new CpuFault(EXC_GP, ext, 'interrupt gate with a null code selector');
  const code = readDescriptor(cpu, selector, EXC_GP, ext);
  if (!isCodeSegment(code.high) || descriptorDpl(code.high) > cpu.cpl) {
    throw new CpuFault(EXC_GP, (selector & 0xfffc) | ext, `gate target 0x${selector.toString(16)} is not a code segment reachable from CPL ${cpu.cpl}`);
  }
  if (!descriptorPresent(code.high)) throw new CpuFault(EXC_NP, (selector & 0xfffc) | ext, `gate target code segment 0x${selector.toString(16)} is not present`);
  return code;
}

function enterHandler(cpu: CpuState, gate: Gate, errorCode: number, ext: number, setRf: boolean): void {
  const code = gateTarget(cpu, gate.selector, ext);
  const dpl = descriptorDpl(code.high);
  const inner = !isConformingCode(code.high) && dpl < cpu.cpl;
  const newCpl = inner ? dpl : cpu.cpl;
  const flags = getEflags(cpu) | (setRf ? EFLAGS_RF : 0);
  const width = gate.width;
  if (inner) {
    const stack = innerStack(cpu, newCpl, ext);
    const frame = StackFrame.fromDescriptor(cpu, stack.descriptor, stack.esp, (stack.selector & 0xfffc) | ext);
    frame.push(cpu.segSel[SEG_SS]!, width);
    frame.push(cpu.regs[REG_ESP]!, width);
    pushReturnFrame(cpu, frame, flags, errorCode, width);
    checkHandlerOffset(gate.offset, code, ext);
    commitSegment(cpu, SEG_SS, (stack.selector & 0xfffc) | newCpl, stack.descriptor);
    cpu.regs[REG_ESP] = frame.espFrom(stack.esp);
  } else {
    const frame = StackFrame.current(cpu, ext);
    pushReturnFrame(cpu, frame, flags, errorCode, width);
    checkHandlerOffset(gate.offset, code, ext);
    cpu.regs[REG_ESP] = frame.espFrom(cpu.regs[REG_ESP]!);
  }
  commitSegment(cpu, SEG_CS, (gate.selector & 0xfffc) | newCpl, code);
  setCpl(cpu, newCpl);
  cpu.eip = gate.width === 4 ? gate.offset : gate.offset & 0xffff;
  setEflags(cpu, flags & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM | (gate.trap ? 0 : EFLAGS_IF)));
  cpu.eventPending = true;
}

function pushReturnFrame(cpu: CpuState, frame: StackFrame, flags: number, errorCode: number, width: 2 | 4): void {
  frame.push(flags, width);
  frame.push(cpu.segSel[SEG_CS]!, width);
  frame.push(cpu.eip, width);
  if (errorCode >= 0) frame.push(errorCode, width);
}

function checkHandlerOffset(offset: number, code: Descriptor, ext: number): void {
  const limit = descriptorLimit(code.low, code.high);
  if (offset > limit) throw new CpuFault(EXC_GP, ext, `handler offset 0x${offset.toString(16)} is beyond the code segment limit 0x${limit.toString(16)}`);
}

/** The TSS stack of privilege level `cpl`: selector, ESP and its checked descriptor. */
export interface InnerStack {
  readonly selector: number;
  readonly esp: number;
  readonly descriptor: Descriptor;
}

/**
 * SS:ESP for privilege level `cpl` from the current TSS (ss0/esp0, ss1/esp1, ss2/esp2), with the
 * checks of INT's and CALL's pseudo-code: the slot within the TSS limit (#TS(TR)), then the stack
 * segment (#TS(SS) for a bad selector or descriptor, #SS(SS) when not present).
 */
export function innerStack(cpu: CpuState, cpl: number, ext: number): InnerStack {
  const tss32 = (cpu.tr.flags & 0x800) !== 0;
  const slot = tss32 ? 4 + cpl * 8 : 2 + cpl * 4;
  const lastByte = tss32 ? slot + 5 : slot + 3;
  if (lastByte > cpu.tr.limit) {
    throw new CpuFault(EXC_TS, (cpu.tr.selector & 0xfffc) | ext, `TSS (limit 0x${cpu.tr.limit.toString(16)}) too small for the ring ${cpl} stack`);
  }
  const base = cpu.tr.base;
  const esp = tss32 ? readSystem32(cpu, (base + slot) | 0) : readSystem16(cpu, (base + slot) | 0);
  const selector = readSystem16(cpu, (base + slot + (tss32 ? 4 : 2)) | 0);
  const descriptor = checkStackSegment(cpu, selector, cpl, EXC_TS, ext, `TSS ring ${cpl} stack`);
  return { selector, esp, descriptor };
}
