// A decoded instruction: everything the handler needs, computed once and cached by physical
// address so that re-executing it costs no decoding and no allocation. Owns: the decoded shape and
// effective-address arithmetic. Must not know: the opcode map (decoder.ts) or the semantics
// (exec/*). Models Intel SDM Vol. 2 §2.1 (instruction format) and Table 2-1/2-2 (ModRM/SIB).
import type { CpuState } from './cpuState';
import type { InstructionForm } from '../isa/instructionForm';

export type Handler = (cpu: CpuState, instruction: Instruction) => void;

export const REP_NONE = 0;
export const REP_E = 0xf3;
export const REP_NE = 0xf2;

export class Instruction {
  handler: Handler;
  /** Length in bytes including prefixes. */
  length = 0;
  /** The row this instruction was decoded as (for the disassembler and error messages). */
  form: InstructionForm | null = null;
  /** Primary opcode byte; 0x0F-escaped opcodes are 0x100 | second byte. */
  opcode = 0;
  /** ModRM fields (mod = -1 when the instruction has no ModRM). A register named by the opcode's
   *  low three bits (the Z* operand kinds: PUSH r, INC r, MOV r,imm, BSWAP, XCHG r,eAX) is in rm. */
  mod = -1;
  reg = 0;
  rm = 0;
  /** Width in bytes (1, 2 or 4) of the instruction's data operand: the first register/memory/string
   *  operand, 'v' resolved by the operand size; the operand size when it has none (RET, Jcc). */
  width = 4;
  /** A per-op selector a handler family may set when it specialises itself (ALU operation, condition
   *  code, shift kind). The decoder sets it to the row's condition code, else 0. */
  variant = 0;
  opsize32 = true;
  addrsize32 = true;
  /** Segment of the memory operand: the override, or DS/SS by the base register. */
  segment = 3;
  /** The segment override prefix, or -1. */
  segmentOverride = -1;
  repPrefix = REP_NONE;
  lock = false;
  /** Effective address: eaDisp + regs[eaBase] + (regs[eaIndex] << eaScale); -1 = absent. */
  eaBase = -1;
  eaIndex = -1;
  eaScale = 0;
  eaDisp = 0;
  /** First and second immediates (ENTER's level, a far pointer's selector). */
  imm = 0;
  imm2 = 0;
  /** CS.D when decoded: the cached copy is valid only in a code segment of the same size. */
  codeSize32 = true;

  constructor(handler: Handler) {
    this.handler = handler;
  }
}

/** The memory operand's offset within its segment. */
export function effectiveAddress(cpu: CpuState, instruction: Instruction): number {
  let address = instruction.eaDisp;
  if (instruction.eaBase >= 0) address += cpu.regs[instruction.eaBase]!;
  if (instruction.eaIndex >= 0) address += cpu.regs[instruction.eaIndex]! << instruction.eaScale;
  return instruction.addrsize32 ? address | 0 : address & 0xffff;
}
