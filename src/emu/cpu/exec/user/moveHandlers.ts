// Handlers for data movement that changes no flags: MOV (88-8B, A0-A3 moffs, B0-BF, C6/C7), MOVZX,
// MOVSX, LEA, XCHG (86/87, 90+r), CBW/CWDE, CWD/CDQ, XLAT, BSWAP, CMOVcc and SETcc.
// Owns: operand routing and the extension rules. Must not know: encodings.
// Models Intel SDM Vol. 2 (MOV, MOVZX, MOVSX, LEA, XCHG, CBW/CWDE, CWD/CDQ, XLAT, BSWAP, CMOVcc,
// SETcc). XCHG with memory is locked on real hardware; with one CPU that needs nothing more here.
import type { CpuState } from '../../cpuState';
import { effectiveAddress, type Handler, type Instruction } from '../../instruction';
import { read32, read8, write32 } from '../../memoryAccess';
import { testCondition } from '../../eflags';
import { getReg8, getRegister, isMemoryForm, readResolved, readRm, resolveRm, setRegister, specializing, writeResolved, writeRm, writeMemory, readMemory } from './operands';

const REG_EAX = 0;
const REG_EBX = 3;

// ---------------------------------------------------------------- MOV

function movStore32Register(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.rm] = cpu.regs[i.reg]!;
}

function movStore32Memory(cpu: CpuState, i: Instruction): void {
  write32(cpu, i.segment, effectiveAddress(cpu, i), cpu.regs[i.reg]!);
}

function movLoad32Register(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.reg] = cpu.regs[i.rm]!;
}

function movLoad32Memory(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.reg] = read32(cpu, i.segment, effectiveAddress(cpu, i));
}

function movImmediate32Register(cpu: CpuState, i: Instruction): void {
  cpu.regs[i.rm] = i.imm;
}

function movStore(cpu: CpuState, i: Instruction): void {
  writeRm(cpu, i, i.width, getRegister(cpu, i.reg, i.width));
}

function movLoad(cpu: CpuState, i: Instruction): void {
  setRegister(cpu, i.reg, i.width, readRm(cpu, i, i.width));
}

/** MOV r,imm (B0-BF: register in rm, mod -1) and MOV r/m,imm (C6/C7). */
function movImmediate(cpu: CpuState, i: Instruction): void {
  if (isMemoryForm(i)) writeMemory(cpu, i.segment, effectiveAddress(cpu, i), i.width, i.imm);
  else setRegister(cpu, i.rm, i.width, i.imm);
}

/** A0-A3: the accumulator and an absolute offset (eaDisp) in the data segment. */
function movAccumulatorFromOffset(cpu: CpuState, i: Instruction): void {
  setRegister(cpu, REG_EAX, i.width, readMemory(cpu, i.segment, effectiveAddress(cpu, i), i.width));
}

function movAccumulatorToOffset(cpu: CpuState, i: Instruction): void {
  writeMemory(cpu, i.segment, effectiveAddress(cpu, i), i.width, getRegister(cpu, REG_EAX, i.width));
}

function selectMov(i: Instruction): Handler {
  const [first, second] = i.form!.operands;
  const memory = isMemoryForm(i);
  if (second === 'Ob' || second === 'Ov') return movAccumulatorFromOffset;
  if (first === 'Ob' || first === 'Ov') return movAccumulatorToOffset;
  if (second![0] === 'G') return i.width !== 4 ? movStore : memory ? movStore32Memory : movStore32Register;
  if (first![0] === 'G') return i.width !== 4 ? movLoad : memory ? movLoad32Memory : movLoad32Register;
  return i.width === 4 && !memory ? movImmediate32Register : movImmediate;
}

// ---------------------------------------------------------------- extensions and addresses

function movzx(cpu: CpuState, i: Instruction): void {
  const sourceSize = (i.opcode & 1) === 0 ? 1 : 2;
  setRegister(cpu, i.reg, i.width, readRm(cpu, i, sourceSize));
}

function movsx(cpu: CpuState, i: Instruction): void {
  const sourceSize = (i.opcode & 1) === 0 ? 1 : 2;
  const shift = 32 - sourceSize * 8;
  setRegister(cpu, i.reg, i.width, (readRm(cpu, i, sourceSize) << shift) >> shift);
}

function lea(cpu: CpuState, i: Instruction): void {
  setRegister(cpu, i.reg, i.width, effectiveAddress(cpu, i));
}

function cbw(cpu: CpuState, i: Instruction): void {
  const eax = cpu.regs[REG_EAX]!;
  if (i.opsize32) cpu.regs[REG_EAX] = (eax << 16) >> 16;
  else setRegister(cpu, REG_EAX, 2, (eax << 24) >> 24);
}

function cwd(cpu: CpuState, i: Instruction): void {
  const eax = cpu.regs[REG_EAX]!;
  if (i.opsize32) cpu.regs[2] = eax >> 31;
  else setRegister(cpu, 2, 2, (eax << 16) >> 31);
}

/** XLAT: AL = DS:[eBX + AL] (segment overridable, address-size wrap). */
function xlat(cpu: CpuState, i: Instruction): void {
  const base = cpu.regs[REG_EBX]! + getReg8(cpu, REG_EAX);
  const offset = i.addrsize32 ? base | 0 : base & 0xffff;
  setRegister(cpu, REG_EAX, 1, read8(cpu, i.segment, offset));
}

/** BSWAP r32; with a 16-bit operand (undefined) the register's low word becomes 0, as on hardware. */
function bswap(cpu: CpuState, i: Instruction): void {
  const v = cpu.regs[i.rm]!;
  if (!i.opsize32) {
    setRegister(cpu, i.rm, 2, 0);
    return;
  }
  cpu.regs[i.rm] = (v >>> 24) | ((v >> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24);
}

// ---------------------------------------------------------------- exchange

/** XCHG: 90+r swaps rm with eAX; 86/87 swap reg with r/m (memory checked for writing first). */
function xchg(cpu: CpuState, i: Instruction): void {
  const size = i.width;
  const other = i.mod === -1 ? REG_EAX : i.reg;
  const value = getRegister(cpu, other, size);
  if (!isMemoryForm(i)) {
    setRegister(cpu, other, size, getRegister(cpu, i.rm, size));
    setRegister(cpu, i.rm, size, value);
    return;
  }
  const physical = resolveRm(cpu, i, size);
  setRegister(cpu, other, size, readResolved(cpu, physical, size));
  writeResolved(cpu, physical, size, value);
}

// ---------------------------------------------------------------- conditional moves

/** CMOVcc reads its source (and may fault) whatever the condition. */
function cmovcc(cpu: CpuState, i: Instruction): void {
  const value = readRm(cpu, i, i.width);
  if (testCondition(cpu, i.variant)) setRegister(cpu, i.reg, i.width, value);
}

function setcc(cpu: CpuState, i: Instruction): void {
  writeRm(cpu, i, 1, testCondition(cpu, i.variant) ? 1 : 0);
}

export const MOVE_HANDLERS: Readonly<Record<string, Handler>> = {
  mov: specializing(selectMov), movzx, movsx, lea, cbw, cwd, xlat, bswap, xchg, cmovcc, setcc,
};
