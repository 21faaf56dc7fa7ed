// Decimal arithmetic adjustments on AL/AH: DAA, DAS, AAA, AAS, AAM, AAD. Owns: the pseudo-code of
// Intel SDM Vol. 2 (DAA, DAS, AAA, AAS, AAM, AAD) including AAM's #DE for a zero base. Flags Intel
// leaves undefined are written as the host CPU of our differential tests does: DAA/DAS set OF as the
// signed overflow of the whole adjustment; AAA/AAS take SF ZF PF from the 16-bit AX before AL is
// masked and clear OF; AAD's flags are those of the byte addition AL + AH*base; AAM clears OF AF CF.
// Must not know: encodings, memory.
import type { CpuState } from './cpuState';
import { EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, getAF, getCF } from './eflags';
import { divideError } from './faults';
import { ALU_ADD, aluOperation, recordResult } from './alu';

function al(cpu: CpuState): number {
  return cpu.regs[0]! & 0xff;
}

function setAl(cpu: CpuState, value: number): void {
  cpu.regs[0] = (cpu.regs[0]! & ~0xff) | (value & 0xff);
}

function setAx(cpu: CpuState, value: number): void {
  cpu.regs[0] = (cpu.regs[0]! & ~0xffff) | (value & 0xffff);
}

export function decimalAdjustAdd(cpu: CpuState): void {
  const oldAl = al(cpu);
  const oldCf = getCF(cpu);
  let value = oldAl;
  let flags = 0;
  if ((value & 0xf) > 9 || getAF(cpu)) {
    value += 6;
    flags |= EFLAGS_AF | (oldCf || value > 0xff ? EFLAGS_CF : 0);
  }
  if (oldAl > 0x99 || oldCf) {
    value += 0x60;
    flags |= EFLAGS_CF;
  }
  setAl(cpu, value);
  const overflow = ~(oldAl ^ (value - oldAl)) & (oldAl ^ value) & 0x80 ? EFLAGS_OF : 0;
  recordResult(cpu, 1, value & 0xff, flags | overflow);
}

export function decimalAdjustSubtract(cpu: CpuState): void {
  const oldAl = al(cpu);
  const oldCf = getCF(cpu);
  let value = oldAl;
  let flags = 0;
  if ((value & 0xf) > 9 || getAF(cpu)) {
    value -= 6;
    flags |= EFLAGS_AF | (oldCf || value < 0 ? EFLAGS_CF : 0);
  }
  if (oldAl > 0x99 || oldCf) {
    value -= 0x60;
    flags |= EFLAGS_CF;
  }
  setAl(cpu, value);
  const overflow = (oldAl ^ (oldAl - value)) & (oldAl ^ value) & 0x80 ? EFLAGS_OF : 0;
  recordResult(cpu, 1, value & 0xff, flags | overflow);
}

export function asciiAdjustAdd(cpu: CpuState): void {
  const ax = cpu.regs[0]! & 0xffff;
  const adjust = (ax & 0xf) > 9 || getAF(cpu);
  const value = adjust ? ax + 0x106 : ax;
  setAx(cpu, value & 0xff0f);
  recordResult(cpu, 2, value & 0xffff, adjust ? EFLAGS_AF | EFLAGS_CF : 0);
}

export function asciiAdjustSubtract(cpu: CpuState): void {
  const ax = cpu.regs[0]! & 0xffff;
  const adjust = (ax & 0xf) > 9 || getAF(cpu);
  const value = adjust ? (ax - 6 - 0x100) & 0xffff : ax; // AX -= 6 borrows into AH, then AH -= 1
  setAx(cpu, value & 0xff0f);
  recordResult(cpu, 2, value, adjust ? EFLAGS_AF | EFLAGS_CF : 0);
}

export function asciiAdjustMultiply(cpu: CpuState, base: number): void {
  if (base === 0) throw divideError('AAM with base 0');
  const value = al(cpu);
  const low = value % base;
  setAx(cpu, (Math.floor(value / base) << 8) | low);
  recordResult(cpu, 1, low, 0);
}

export function asciiAdjustDivide(cpu: CpuState, base: number): void {
  const ax = cpu.regs[0]! & 0xffff;
  const value = aluOperation(cpu, ALU_ADD, 1, ax & 0xff, ((ax >> 8) * base) & 0xff);
  setAx(cpu, value);
}
