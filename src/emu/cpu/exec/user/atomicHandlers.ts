// Handlers for the 486/Pentium read-modify-write instructions XADD (0F C0/C1), CMPXCHG (0F B0/B1)
// and CMPXCHG8B (0F C7 /1). A memory destination is checked for writing first and always written
// (CMPXCHG writes the old value back when the comparison fails, as the bus-locked hardware does).
// Owns: operand order (XADD: the source register receives the old destination first, then the
// destination the sum, so XADD r,r with one register ends with the sum). Must not know: LOCK (one
// CPU: every handler is already atomic). Models Intel SDM Vol. 2 (XADD, CMPXCHG, CMPXCHG8B).
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { readLinear32, resolveWrite, writeLinear32 } from '../../memoryAccess';
import { EFLAGS_ZF, setFlagsEager } from '../../eflags';
import { ALU_ADD, ALU_CMP, aluOperation } from '../../alu';
import { getRegister, isMemoryForm, readResolved, resolveRm, setRegister, writeResolved } from './operands';

const REG_EAX = 0;
const REG_ECX = 1;
const REG_EDX = 2;
const REG_EBX = 3;

function xadd(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const source = getRegister(cpu, i.reg, size);
  if (!isMemoryForm(i)) {
    const destination = getRegister(cpu, i.rm, size);
    const sum = aluOperation(cpu, ALU_ADD, size, destination, source);
    setRegister(cpu, i.reg, size, destination);
    setRegister(cpu, i.rm, size, sum);
    return;
  }
  const physical = resolveRm(cpu, i, size);
  const destination = readResolved(cpu, physical, size);
  writeResolved(cpu, physical, size, aluOperation(cpu, ALU_ADD, size, destination, source));
  setRegister(cpu, i.reg, size, destination);
}

/** Flags as CMP accumulator, destination; equal: destination = source, else accumulator = destination. */
function cmpxchg(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const accumulator = getRegister(cpu, REG_EAX, size);
  const source = getRegister(cpu, i.reg, size);
  if (!isMemoryForm(i)) {
    const destination = getRegister(cpu, i.rm, size);
    aluOperation(cpu, ALU_CMP, size, accumulator, destination);
    if (accumulator === destination) setRegister(cpu, i.rm, size, source);
    else setRegister(cpu, REG_EAX, size, destination);
    return;
  }
  const physical = resolveRm(cpu, i, size);
  const destination = readResolved(cpu, physical, size);
  aluOperation(cpu, ALU_CMP, size, accumulator, destination);
  if (accumulator === destination) writeResolved(cpu, physical, size, source);
  else {
    writeResolved(cpu, physical, size, destination);
    setRegister(cpu, REG_EAX, size, destination);
  }
}

/** CMPXCHG8B m64: EDX:EAX against the quadword; ZF only; the quadword is always written. */
function cmpxchg8b(cpu: CpuState, i: Instruction): void {
  const offset = effectiveAddress(cpu, i);
  resolveWrite(cpu, i.segment, offset, 8);
  const linear = (cpu.segBase[i.segment]! + (offset >>> 0)) | 0;
  const low = readLinear32(cpu, linear);
  const high = readLinear32(cpu, (linear + 4) | 0);
  const regs = cpu.regs;
  if (low === regs[REG_EAX] && high === regs[REG_EDX]) {
    writeLinear32(cpu, linear, regs[REG_EBX]!);
    writeLinear32(cpu, (linear + 4) | 0, regs[REG_ECX]!);
    setFlagsEager(cpu, EFLAGS_ZF, EFLAGS_ZF);
    return;
  }
  writeLinear32(cpu, linear, low);
  writeLinear32(cpu, (linear + 4) | 0, high);
  regs[REG_EAX] = low;
  regs[REG_EDX] = high;
  setFlagsEager(cpu, EFLAGS_ZF, 0);
}

export const ATOMIC_HANDLERS: Readonly<Record<string, Handler>> = { xadd, cmpxchg, cmpxchg8b };
