// What happens between two instructions: debugger stops (watch hits, stop requests), the
// single-step trap, NMI, maskable interrupts with the STI/MOV SS shadow, leaving HLT, and the end of
// RF after the instruction it covered.
// Owns: the priority order of Intel SDM Vol. 3A §6.9 (traps of the previous instruction, then NMI,
// then INTR) and the eventPending bookkeeping. Must not know: devices (INTR comes from the pins).
// Models Intel SDM Vol. 3A §6.7.1 (NMI blocking), §6.8.3 (the STI/MOV SS shadow), §17.3.1.1 (RF),
// §17.3.1.4 (single-step trap).
//
// RF follows what QEMU shows: an instruction that begins with RF set clears it when it completes
// (so the state logged before the next instruction has RF clear); a fault leaves it to delivery.
import type { CpuState } from './cpuState';
import type { StopReason } from './cpuContracts';
import { CpuFault, EXC_DB, EXC_NMI } from './faults';
import { EFLAGS_IF, EFLAGS_RF, EFLAGS_TF } from './eflags';
import { deliverExternalInterrupt, raiseException } from './interrupts';

const DR6_BS = 0x4000;
const STEP: StopReason = { kind: 'step' };

/**
 * Handles whatever set cpu.eventPending. Returns a stop reason when the run must end before the
 * next instruction, undefined to continue. Leaves eventPending set while something is still due.
 * Under Cpu.step an event delivery is a step of its own ({ kind: 'step' }).
 */
export function serviceEvents(cpu: CpuState): StopReason | undefined {
  cpu.eventPending = false;
  cpu.instructionStart = cpu.eip;
  if (cpu.resumeFlagArmed) {
    cpu.resumeFlagArmed = false;
    cpu.flags &= ~EFLAGS_RF;
  }
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
    armResumeFlag(cpu);
    return undefined;
  }
  if (cpu.singleStepArmed) {
    cpu.singleStepArmed = false;
    cpu.dr[6] = cpu.dr[6]! | DR6_BS;
    raiseException(cpu, new CpuFault(EXC_DB, -1, 'single-step trap'), true);
    return delivered(cpu);
  }
  if (cpu.nmiPending && !cpu.nmiBlocked) {
    cpu.nmiPending = false;
    cpu.nmiBlocked = true;
    cpu.halted = false;
    deliverExternalInterrupt(cpu, EXC_NMI, 'nmi');
    return delivered(cpu);
  }
  if (cpu.intrAsserted && cpu.flags & EFLAGS_IF && cpu.interruptAcknowledge) {
    cpu.halted = false;
    const vector = cpu.interruptAcknowledge.acknowledgeInterrupt() & 0xff;
    deliverExternalInterrupt(cpu, vector, 'external');
    return delivered(cpu);
  }
  if (cpu.flags & EFLAGS_TF) {
    // TF is set at the start of the next instruction: trap after it.
    cpu.singleStepArmed = true;
    cpu.eventPending = true;
  }
  armResumeFlag(cpu);
  if (cpu.halted) {
    cpu.eventPending = true;
    return { kind: 'halted' };
  }
  return undefined;
}

/** After a delivery the handler's first instruction is next; Cpu.step stops there. */
function delivered(cpu: CpuState): StopReason | undefined {
  cpu.eventPending = true;
  return cpu.stepDeliversEventsAlone ? STEP : undefined;
}

/** The next instruction begins with RF set: clear it at the following event check. */
function armResumeFlag(cpu: CpuState): void {
  if (cpu.flags & EFLAGS_RF) {
    cpu.resumeFlagArmed = true;
    cpu.eventPending = true;
  }
}
