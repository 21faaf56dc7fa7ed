// Instructions that raise or gate interrupts: INT n, INT3, INTO, INT1, HLT, CLI, STI, PUSHF, POPF.
// Owns: the IOPL/CPL rules for IF and IOPL, the STI shadow, and setting eventPending whenever IF or
// TF may have changed. Must not know: IDT delivery (interrupts.ts).
// Models Intel SDM Vol. 2 INT n/INTO/INT3/INT1, HLT, CLI, STI, PUSHF/PUSHFD, POPF/POPFD; Vol. 3A
// §6.8.1 (masking maskable interrupts), §6.8.3 (the STI shadow).
import type { Handler, Instruction } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { generalProtection } from '../../faults';
import {
  ARITHMETIC_FLAGS, EFLAGS_AC, EFLAGS_DF, EFLAGS_ID, EFLAGS_IF, EFLAGS_IOPL, EFLAGS_NT, EFLAGS_RF, EFLAGS_TF, EFLAGS_VM,
  getEflags, getOF, setEflags,
} from '../../eflags';
import { deliverSoftwareInterrupt } from '../../interrupts';
import { pop16, pop32, push16, push32 } from '../../memoryAccess';
import { requireCpl0 } from './systemOperands';

function iopl(cpu: CpuState): number {
  return (cpu.flags & EFLAGS_IOPL) >>> 12;
}

/** INT n, INT3, INTO: delivery clears TF, so no single-step trap follows the instruction. */
function softwareInterrupt(cpu: CpuState, vector: number, icebp = false): void {
  deliverSoftwareInterrupt(cpu, vector, icebp);
  cpu.singleStepArmed = false;
}

function requireIopl(cpu: CpuState, mnemonic: string): void {
  if (cpu.cpl > iopl(cpu)) throw generalProtection(0, `${mnemonic} at CPL ${cpu.cpl} with IOPL ${iopl(cpu)}`);
}

const cli: Handler = (cpu) => {
  requireIopl(cpu, 'CLI');
  cpu.flags &= ~EFLAGS_IF;
};

const sti: Handler = (cpu) => {
  requireIopl(cpu, 'STI');
  if (!(cpu.flags & EFLAGS_IF)) {
    cpu.flags |= EFLAGS_IF;
    // Interrupts are recognised only after the next instruction.
    cpu.interruptShadow = true;
  }
  cpu.eventPending = true;
};

const hlt: Handler = (cpu) => {
  requireCpl0(cpu, 'HLT');
  cpu.halted = true;
  cpu.eventPending = true;
};

const pushf: Handler = (cpu, instruction) => {
  const flags = getEflags(cpu) & ~(EFLAGS_VM | EFLAGS_RF);
  if (instruction.opsize32) push32(cpu, flags);
  else push16(cpu, flags & 0xffff);
};

/** The EFLAGS bits POPF may change: IOPL at CPL 0 only, IF when CPL <= IOPL; RF is cleared. */
export function popfMask(cpu: CpuState, opsize32: boolean): number {
  let mask = ARITHMETIC_FLAGS | EFLAGS_TF | EFLAGS_DF | EFLAGS_NT | EFLAGS_AC | EFLAGS_ID;
  if (cpu.cpl === 0) mask |= EFLAGS_IOPL;
  if (cpu.cpl <= iopl(cpu)) mask |= EFLAGS_IF;
  return opsize32 ? mask : mask & 0xffff;
}

const popf: Handler = (cpu, instruction: Instruction) => {
  const image = instruction.opsize32 ? pop32(cpu) : pop16(cpu);
  const mask = popfMask(cpu, instruction.opsize32);
  setEflags(cpu, ((getEflags(cpu) & ~mask) | (image & mask)) & ~EFLAGS_RF);
  cpu.eventPending = true;
};

export const interruptControlHandlers: Readonly<Record<string, Handler>> = {
  int: (cpu, instruction) => softwareInterrupt(cpu, instruction.imm & 0xff),
  int3: (cpu) => softwareInterrupt(cpu, 3),
  into: (cpu) => {
    if (getOF(cpu)) softwareInterrupt(cpu, 4);
  },
  int1: (cpu) => softwareInterrupt(cpu, 1, true),
  hlt,
  cli,
  sti,
  pushf,
  popf,
};
