// Handlers for near control transfer: JMP (EB, E9, FF /4), Jcc (70-7F, 0F 80-8F), CALL (E8, FF /2),
// RET (C3, C2 iw), LOOP/LOOPE/LOOPNE (E0-E2) and JCXZ/JECXZ (E3). A 16-bit operand size truncates
// the new EIP to 16 bits; the target is checked against the CS limit before anything changes
// (#GP(0) at the branch, not at the target). LOOP and JCXZ count in CX or ECX by address size.
// Owns: target arithmetic and the push/pop order of CALL/RET. Must not know: far transfers (system).
// Models Intel SDM Vol. 2 (JMP, Jcc, CALL, RET, LOOP/LOOPcc, JCXZ/JECXZ).
import type { CpuState } from '../../cpuState';
import type { Handler, Instruction } from '../../instruction';
import { SEG_CS } from '../../../isa/registers';
import { generalProtection } from '../../faults';
import { getZF, testCondition } from '../../eflags';
import { adjustStackPointer, peekStack16, peekStack32, push16, push32 } from '../../memoryAccess';
import { readRm } from './operands';

const REG_ECX = 1;

/** Sets EIP after the CS limit check. */
function jumpTo(cpu: CpuState, target: number): void {
  if (target > cpu.segLimit[SEG_CS]!) {
    throw generalProtection(0, `branch target 0x${target.toString(16)} is beyond the CS limit 0x${cpu.segLimit[SEG_CS]!.toString(16)}`);
  }
  cpu.eip = target;
}

function relativeTarget(cpu: CpuState, i: Instruction): number {
  const target = cpu.eip + i.imm;
  return i.opsize32 ? target >>> 0 : target & 0xffff;
}

function jmp(cpu: CpuState, i: Instruction): void {
  jumpTo(cpu, relativeTarget(cpu, i));
}

function jcc(cpu: CpuState, i: Instruction): void {
  if (testCondition(cpu, i.variant)) jumpTo(cpu, relativeTarget(cpu, i));
}

function indirectTarget(cpu: CpuState, i: Instruction): number {
  return i.opsize32 ? readRm(cpu, i, 4) >>> 0 : readRm(cpu, i, 2);
}

function jmpIndirect(cpu: CpuState, i: Instruction): void {
  jumpTo(cpu, indirectTarget(cpu, i));
}

/** Pushes the return offset (the next instruction), then jumps; a failed push changes nothing. */
function callTo(cpu: CpuState, i: Instruction, target: number): void {
  if (target > cpu.segLimit[SEG_CS]!) jumpTo(cpu, target);
  if (i.opsize32) push32(cpu, cpu.eip);
  else push16(cpu, cpu.eip & 0xffff);
  cpu.eip = target;
}

function call(cpu: CpuState, i: Instruction): void {
  callTo(cpu, i, relativeTarget(cpu, i));
}

function callIndirect(cpu: CpuState, i: Instruction): void {
  callTo(cpu, i, indirectTarget(cpu, i));
}

/** RET and RET imm16 (imm is 0 for C3): the stack pointer moves only after the limit check. */
function ret(cpu: CpuState, i: Instruction): void {
  if (i.opsize32) {
    jumpTo(cpu, peekStack32(cpu, 0) >>> 0);
    adjustStackPointer(cpu, 4 + i.imm);
  } else {
    jumpTo(cpu, peekStack16(cpu, 0));
    adjustStackPointer(cpu, 2 + i.imm);
  }
}

/** Decrements eCX (flags unchanged) and returns the new count in the address size. */
function decrementCount(cpu: CpuState, i: Instruction): number {
  const ecx = cpu.regs[REG_ECX]!;
  if (i.addrsize32) {
    cpu.regs[REG_ECX] = ecx - 1;
    return (ecx - 1) | 0;
  }
  const cx = (ecx - 1) & 0xffff;
  cpu.regs[REG_ECX] = (ecx & ~0xffff) | cx;
  return cx;
}

function loop(cpu: CpuState, i: Instruction): void {
  if (decrementCount(cpu, i) !== 0) jumpTo(cpu, relativeTarget(cpu, i));
}

function loope(cpu: CpuState, i: Instruction): void {
  if (decrementCount(cpu, i) !== 0 && getZF(cpu)) jumpTo(cpu, relativeTarget(cpu, i));
}

function loopne(cpu: CpuState, i: Instruction): void {
  if (decrementCount(cpu, i) !== 0 && !getZF(cpu)) jumpTo(cpu, relativeTarget(cpu, i));
}

function jcxz(cpu: CpuState, i: Instruction): void {
  const count = i.addrsize32 ? cpu.regs[REG_ECX]! : cpu.regs[REG_ECX]! & 0xffff;
  if (count === 0) jumpTo(cpu, relativeTarget(cpu, i));
}

export const BRANCH_HANDLERS: Readonly<Record<string, Handler>> = {
  jmp, jcc, jmp_indirect: jmpIndirect, call, call_indirect: callIndirect, ret, loop, loope, loopne, jcxz,
};
