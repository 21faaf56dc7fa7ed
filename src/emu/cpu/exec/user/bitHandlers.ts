// Handlers for the bit instructions BT BTS BTR BTC (0F A3/AB/B3/BB with a register bit offset,
// 0F BA /4-/7 with imm8) and the scans BSF/BSR (0F BC/BD). A register bit offset is signed and
// may address memory beyond the operand: the operand-sized word (BitOffset DIV size) words away.
// Owns: the bit arithmetic and CF/ZF. Undefined flags as the host CPU of our differential tests
// leaves them: BT* keep OF SF AF PF; BSF/BSR clear CF OF SF AF and set PF from the index (from 0
// for a zero source, which leaves the destination unchanged and sets ZF).
// Must not know: encodings. Models Intel SDM Vol. 2 (BT, BTS, BTR, BTC, BSF, BSR).
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { resolveWrite } from '../../memoryAccess';
import { ARITHMETIC_FLAGS, EFLAGS_CF, EFLAGS_PF, EFLAGS_ZF, PARITY_EVEN, setFlagsEager } from '../../eflags';
import { addressAdd, getRegister, isMemoryForm, readMemory, readResolved, setRegister, writeResolved, readRm } from './operands';

const BIT_TEST = 0;
const BIT_SET = 1;
const BIT_RESET = 2;
const BIT_COMPLEMENT = 3;

const BIT_KIND: Readonly<Record<string, number>> = { bt: BIT_TEST, bts: BIT_SET, btr: BIT_RESET, btc: BIT_COMPLEMENT };

function modifyBit(kind: number, value: number, mask: number): number {
  switch (kind) {
    case BIT_SET: return value | mask;
    case BIT_RESET: return value & ~mask;
    case BIT_COMPLEMENT: return value ^ mask;
    default: return value;
  }
}

function bitInstruction(cpu: CpuState, i: Instruction): void {
  const form = i.form!;
  const kind = BIT_KIND[form.op]!;
  const size = i.width;
  const bits = size * 8;
  const registerOffset = form.operands[1] !== 'Ib';
  let offset = registerOffset ? getRegister(cpu, i.reg, size) : i.imm & (bits - 1);
  if (!isMemoryForm(i)) {
    const mask = 1 << (offset & (bits - 1));
    const value = getRegister(cpu, i.rm, size);
    if (kind !== BIT_TEST) setRegister(cpu, i.rm, size, modifyBit(kind, value, mask));
    setFlagsEager(cpu, EFLAGS_CF, (value & mask) !== 0 ? EFLAGS_CF : 0);
    return;
  }
  let address = effectiveAddress(cpu, i);
  if (registerOffset) {
    if (size === 2) offset = (offset << 16) >> 16;
    address = addressAdd(i, address, (offset >> (size === 4 ? 5 : 4)) * size);
  }
  const mask = 1 << (offset & (bits - 1));
  let value: number;
  if (kind === BIT_TEST) value = readMemory(cpu, i.segment, address, size);
  else {
    const physical = resolveWrite(cpu, i.segment, address, size);
    value = readResolved(cpu, physical, size);
    writeResolved(cpu, physical, size, modifyBit(kind, value, mask));
  }
  setFlagsEager(cpu, EFLAGS_CF, (value & mask) !== 0 ? EFLAGS_CF : 0);
}

function bitScan(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const source = readRm(cpu, i, size) & (size === 4 ? -1 : 0xffff);
  if (source === 0) {
    setFlagsEager(cpu, ARITHMETIC_FLAGS, EFLAGS_ZF | EFLAGS_PF);
    return;
  }
  const index = i.form!.op === 'bsf' ? 31 - Math.clz32(source & -source) : 31 - Math.clz32(source);
  setRegister(cpu, i.reg, size, index);
  setFlagsEager(cpu, ARITHMETIC_FLAGS, PARITY_EVEN[index] ? EFLAGS_PF : 0);
}

export const BIT_HANDLERS: Readonly<Record<string, Handler>> = {
  bt: bitInstruction, bts: bitInstruction, btr: bitInstruction, btc: bitInstruction, bsf: bitScan, bsr: bitScan,
};
