// What happens between two instructions: debugger stops (watch hits, stop requests), the
// single-step trap, NMI, maskable interrupts with the STI/MOV SS shadow, and leaving HLT.
// Owns: the priority order of Intel SDM Vol. 3A §6.9 (traps of the previous instruction, then NMI,
// then INTR) and the eventPending bookkeeping. Must not know: devices (INTR comes from the pins).
import type { CpuState } from './cpuState';
import type { StopReason } from './cpuContracts';
import { CpuFault, EXC_DB, EXC_NMI } from './faults';
import { EFLAGS_IF, EFLAGS_TF } from './eflags';
import { deliverExternalInterrupt, raiseException } from './interrupts';

/**
 * Handles whatever set cpu.eventPending. Returns a stop reason when the run must end before the
 * next instruction, undefined to continue. Leaves eventPending set while something is still due.
 */
export function serviceEvents(cpu: CpuState): StopReason | undefined {
  cpu.eventPending = false;
  cpu.instructionStart = cpu.eip;
  if (cpu.tripleFault !== undefined) return { kind: 'tripleFault', description: cpu.tripleFault };
  if (cpu.watchHit) {
    const hit = cpu.watchHit;
    cpu.watchHit = undefined;
    cpu.eventPending = true;
    return { kind: 'watchpoint', watchpoint: hit.watchpoint, address: hit.address, access: hit.access, size: hit.size, value: hit.value };
  }
  if (cpu.stopRequest !== undefined) {
    const reason = cpu.stopRequest;
    cpu.stopRequest = undefined;
    cpu.eventPending = true;
    return { kind: 'stopRequested', reason };
  }
  if (cpu.interruptShadow) {
    // The instruction after STI / MOV SS runs before any interrupt or single-step trap.
    cpu.interruptShadow = false;
    cpu.eventPending = true;
    cpu.singleStepArmed = (cpu.flags & EFLAGS_TF) !== 0 && cpu.singleStepArmed;
    return undefined;
  }
  if (cpu.singleStepArmed) {
    cpu.singleStepArmed = false;
    cpu.dr[6] |= 0x4000; // DR6.BS
    raiseException(cpu, new CpuFault(EXC_DB, -1, 'single-step trap'));
    cpu.eventPending = true;
    return undefined;
  }
  if (cpu.nmiPending && !cpu.nmiBlocked) {
    cpu.nmiPending = false;
    cpu.nmiBlocked = true;
    cpu.halted = false;
    deliverExternalInterrupt(cpu, EXC_NMI, 'nmi');
    cpu.eventPending = true;
    return undefined;
  }
  if (cpu.intrAsserted && cpu.flags & EFLAGS_IF && cpu.interruptAcknowledge) {
    cpu.halted = false;
    const vector = cpu.interruptAcknowledge.acknowledgeInterrupt() & 0xff;
    deliverExternalInterrupt(cpu, vector, 'external');
    cpu.eventPending = true;
    return undefined;
  }
  if (cpu.flags & EFLAGS_TF) {
    // TF is set at the start of the next instruction: trap after it.
    cpu.singleStepArmed = true;
    cpu.eventPending = true;
  }
  if (cpu.halted) {
    cpu.eventPending = true;
    return { kind: 'halted' };
  }
  return undefined;
}
