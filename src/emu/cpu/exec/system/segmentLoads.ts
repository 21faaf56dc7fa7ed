// MOV to/from segment registers, PUSH/POP of segment registers, and the far-pointer loads
// LDS/LES/LFS/LGS/LSS. Owns: operand plumbing, the MOV SS/POP SS interrupt shadow, and the slot
// width of PUSH sreg. Must not know: the protection rules (segmentation.ts).
// Models Intel SDM Vol. 2 MOV (8C/8E), PUSH, POP, LDS/LES/LFS/LGS/LSS; Vol. 3A §6.8.3 (the MOV SS
// shadow).
//
// PUSH sreg with a 32-bit operand size moves ESP by 4 and writes the selector zero-extended to 32
// bits. Intel allows either a 16-bit write (upper half unmodified, recent processors) or a full
// doubleword; QEMU writes the zero-extended doubleword, and so do we: it is deterministic and the
// lguest Host only reads the low 16 bits of the slots the Switcher pushes.
import type { Handler, Instruction } from '../../instruction';
import type { CpuState } from '../../cpuState';
import { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../../../isa/registers';
import { invalidOpcode } from '../../faults';
import { read16, read32, push16, push32, stackPointer } from '../../memoryAccess';
import { loadDataSegment, loadStackSegment } from '../../segmentation';
import { memoryOperand, readRm16, writeRegister, writeRmWordOrRegister } from './systemOperands';

const REG_ESP = 4;

/** The segment register an opcode names (PUSH/POP sreg, LxS). */
const SEGMENT_OF_OPCODE: Readonly<Record<number, number>> = {
  0x06: SEG_ES, 0x07: SEG_ES, 0x0e: SEG_CS, 0x16: SEG_SS, 0x17: SEG_SS, 0x1e: SEG_DS, 0x1f: SEG_DS,
  0x1a0: SEG_FS, 0x1a1: SEG_FS, 0x1a8: SEG_GS, 0x1a9: SEG_GS,
  0xc4: SEG_ES, 0xc5: SEG_DS, 0x1b2: SEG_SS, 0x1b4: SEG_FS, 0x1b5: SEG_GS,
};

function segmentOf(instruction: Instruction): number {
  const seg = SEGMENT_OF_OPCODE[instruction.opcode];
  if (seg === undefined) throw new Error(`opcode 0x${instruction.opcode.toString(16)} names no segment register`);
  return seg;
}

/** Loads any segment register but CS with the full checks (SS: stack rules and the shadow). */
export function loadSegmentRegister(cpu: CpuState, seg: number, selector: number): void {
  if (seg === SEG_SS) {
    loadStackSegment(cpu, selector);
    return;
  }
  loadDataSegment(cpu, seg, selector);
}

/** MOV SS and POP SS inhibit interrupts and debug traps until the next instruction completes. */
function beginStackShadow(cpu: CpuState): void {
  cpu.interruptShadow = true;
  cpu.eventPending = true;
}

const movSregRm: Handler = (cpu, instruction) => {
  const seg = instruction.reg;
  if (seg === SEG_CS || seg > SEG_GS) throw invalidOpcode(seg === SEG_CS ? 'MOV to CS' : `MOV to segment register ${seg}`);
  const selector = readRm16(cpu, instruction);
  loadSegmentRegister(cpu, seg, selector);
  if (seg === SEG_SS) beginStackShadow(cpu);
};

const movRmSreg: Handler = (cpu, instruction) => {
  const seg = instruction.reg;
  if (seg > SEG_GS) throw invalidOpcode(`MOV from segment register ${seg}`);
  writeRmWordOrRegister(cpu, instruction, cpu.segSel[seg]!);
};

const pushSreg: Handler = (cpu, instruction) => {
  const selector = cpu.segSel[segmentOf(instruction)]!;
  if (instruction.opsize32) push32(cpu, selector);
  else push16(cpu, selector);
};

const popSreg: Handler = (cpu, instruction) => {
  const seg = segmentOf(instruction);
  const width = instruction.opsize32 ? 4 : 2;
  const top = stackPointer(cpu);
  const selector = width === 4 ? read32(cpu, SEG_SS, top) & 0xffff : read16(cpu, SEG_SS, top);
  // ESP moves by the old SS's size: compute it before the load can change SS.B.
  const esp = cpu.regs[REG_ESP]!;
  const newEsp = cpu.stackSize32 ? (esp + width) | 0 : (esp & ~0xffff) | ((esp + width) & 0xffff);
  loadSegmentRegister(cpu, seg, selector);
  cpu.regs[REG_ESP] = newEsp;
  if (seg === SEG_SS) beginStackShadow(cpu);
};

/** LDS/LES/LFS/LGS/LSS: the pointer is read first, then the segment loaded, then the register. */
const loadFarPointer: Handler = (cpu, instruction) => {
  const address = memoryOperand(cpu, instruction, 'LxS');
  const seg = instruction.segment;
  const width = instruction.opsize32 ? 4 : 2;
  const offset = width === 4 ? read32(cpu, seg, address) : read16(cpu, seg, address);
  const next = instruction.addrsize32 ? (address + width) | 0 : (address + width) & 0xffff;
  const selector = read16(cpu, seg, next);
  loadSegmentRegister(cpu, segmentOf(instruction), selector);
  writeRegister(cpu, instruction.reg, offset, instruction.opsize32);
};

export const segmentLoadHandlers: Readonly<Record<string, Handler>> = {
  mov_sreg_rm: movSregRm,
  mov_rm_sreg: movRmSreg,
  push_sreg: pushSreg,
  pop_sreg: popSreg,
  lds: loadFarPointer,
  les: loadFarPointer,
  lfs: loadFarPointer,
  lgs: loadFarPointer,
  lss: loadFarPointer,
};
