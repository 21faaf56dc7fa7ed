// The instruction decoder: prefixes, the opcode maps built from the instruction table, ModRM/SIB and
// displacement, immediates, and the validity rules that make an encoding #UD (no row, LOCK where
// it is not allowed, a segment-register field beyond GS, CR1/CR5-CR7). It allocates only the
// Instruction it returns. Owns: the byte-level walk of Intel SDM Vol. 2A §2.1 (instruction format).
// Must not know: what the instruction does (exec/*), where the bytes come from (codeFetch.ts).
import type { CpuState } from './cpuState';
import type { CodeFetcher } from './codeFetch';
import { Instruction } from './instruction';
import { invalidOpcode, type CpuFault } from './faults';
import { SEG_DS } from '../isa/registers';
import { OVERRIDE_SEGMENT, PREFIX_ADDRESS_SIZE, PREFIX_KIND, PREFIX_LOCK, PREFIX_OPERAND_SIZE, PREFIX_REP, PREFIX_SEGMENT } from './decoder/prefixes';
import { OPCODE_SLOTS, targetIndex, type OpcodeSlot } from './decoder/opcodeMaps';
import { IMM_NONE, IMM_S16, IMM_S8, IMM_U16, IMM_U8, CONTROL_REGISTER, SREG_DESTINATION, SREG_NONE, type DecodeTarget } from './decoder/decodeTargets';
import { decodeMemory16, decodeMemory32, readImmediate16, readImmediate32 } from './decoder/modrm';

function unreachable(): void {
  throw new Error('instruction executed before its decoding finished');
}

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function opcodeName(opcode: number): string {
  return opcode >= 0x100 ? `0F ${hex2(opcode & 0xff)}` : hex2(opcode);
}

function noInstruction(opcode: number, modrm: number): CpuFault {
  if (modrm < 0) return invalidOpcode(`opcode ${opcodeName(opcode)} is not an instruction of this CPU`);
  const form = modrm >= 0xc0 ? 'register' : 'memory';
  return invalidOpcode(`opcode ${opcodeName(opcode)} /${(modrm >> 3) & 7} (ModRM ${hex2(modrm)}, ${form} form) is not an instruction of this CPU`);
}

/** Reads one immediate of `kind` at byte `at`; returns the index after it. */
function readImmediate(fetcher: CodeFetcher, kind: number, at: number, into: Instruction, second: boolean): number {
  let value: number;
  let size: number;
  switch (kind) {
    case IMM_U8: value = fetcher.byte(at); size = 1; break;
    case IMM_S8: value = (fetcher.byte(at) << 24) >> 24; size = 1; break;
    case IMM_U16: value = readImmediate16(fetcher, at); size = 2; break;
    case IMM_S16: value = (readImmediate16(fetcher, at) << 16) >> 16; size = 2; break;
    default: value = readImmediate32(fetcher, at); size = 4; break;
  }
  if (second) into.imm2 = value;
  else into.imm = value;
  return at + size;
}

// While decoding, instruction.length is the cursor: the index of the next byte to read.

/**
 * Reads the prefixes (any order, repeats allowed: the last segment override and the last F2/F3
 * win) into the instruction, leaving the cursor on the first opcode byte.
 */
function decodePrefixes(cpu: CpuState, fetcher: CodeFetcher, instruction: Instruction): void {
  instruction.opsize32 = cpu.codeSize32;
  instruction.addrsize32 = cpu.codeSize32;
  let at = 0;
  let byte = fetcher.byte(0);
  for (let kind = PREFIX_KIND[byte]!; kind !== 0; kind = PREFIX_KIND[byte]!) {
    if (kind === PREFIX_OPERAND_SIZE) instruction.opsize32 = !cpu.codeSize32;
    else if (kind === PREFIX_ADDRESS_SIZE) instruction.addrsize32 = !cpu.codeSize32;
    else if (kind === PREFIX_LOCK) instruction.lock = true;
    else if (kind === PREFIX_REP) instruction.repPrefix = byte;
    else if (kind === PREFIX_SEGMENT) instruction.segmentOverride = OVERRIDE_SEGMENT[byte]!;
    byte = fetcher.byte(++at);
  }
  instruction.segment = instruction.segmentOverride >= 0 ? instruction.segmentOverride : SEG_DS;
  instruction.length = at;
}

/** One- or two-byte opcode (0F xx as 0x100 | xx). */
function decodeOpcode(fetcher: CodeFetcher, instruction: Instruction): void {
  let at = instruction.length;
  let opcode = fetcher.byte(at++);
  if (opcode === 0x0f) opcode = 0x100 | fetcher.byte(at++);
  instruction.opcode = opcode;
  instruction.length = at;
}

/** Reads ModRM, selects the target it names, and decodes the memory operand it describes. */
function decodeModrm(fetcher: CodeFetcher, instruction: Instruction, slot: OpcodeSlot): DecodeTarget {
  const modrm = fetcher.byte(instruction.length++);
  const mod = modrm >> 6;
  instruction.reg = (modrm >> 3) & 7;
  instruction.rm = modrm & 7;
  const sizes = (instruction.opsize32 ? 2 : 0) | (instruction.addrsize32 ? 1 : 0);
  const target = slot.fixed?.[modrm]?.[sizes] ?? slot.targets[targetIndex(instruction.reg, mod !== 3, instruction.opsize32, instruction.addrsize32)];
  if (target === undefined) throw noInstruction(instruction.opcode, modrm);
  if (mod === 3 || target.rmRegisterOnly) {
    instruction.mod = 3;
    return target;
  }
  instruction.mod = mod;
  const decodeMemory = instruction.addrsize32 ? decodeMemory32 : decodeMemory16;
  instruction.length = decodeMemory(fetcher, instruction, instruction.length, mod, instruction.rm);
  return target;
}

/** moffs, then the immediates in operand order. */
function decodeImmediates(fetcher: CodeFetcher, instruction: Instruction, target: DecodeTarget): void {
  let at = instruction.length;
  if (target.moffs !== 0) {
    instruction.eaDisp = target.moffs === 4 ? readImmediate32(fetcher, at) : readImmediate16(fetcher, at);
    at += target.moffs;
  }
  if (target.imm1 !== IMM_NONE) at = readImmediate(fetcher, target.imm1, at, instruction, false);
  if (target.imm2 !== IMM_NONE) at = readImmediate(fetcher, target.imm2, at, instruction, true);
  if (target.implicitOne) instruction.imm = 1;
  instruction.length = at;
}

/** Decodes the instruction at the fetcher's position; throws #UD, #GP (length, limit) or #PF. */
export function decodeInstruction(cpu: CpuState, fetcher: CodeFetcher): Instruction {
  const instruction = new Instruction(unreachable);
  decodePrefixes(cpu, fetcher, instruction);
  decodeOpcode(fetcher, instruction);
  const slot = OPCODE_SLOTS[instruction.opcode];
  if (slot === undefined) throw noInstruction(instruction.opcode, -1);
  let target: DecodeTarget | undefined;
  if (slot.hasModrm) target = decodeModrm(fetcher, instruction, slot);
  else {
    target = slot.targets[(instruction.opsize32 ? 2 : 0) | (instruction.addrsize32 ? 1 : 0)];
    if (target === undefined) throw noInstruction(instruction.opcode, -1);
    if (target.registerInOpcode) instruction.rm = instruction.opcode & 7;
  }
  decodeImmediates(fetcher, instruction, target);
  checkValidity(instruction, target);
  instruction.form = target.row;
  instruction.width = target.width;
  instruction.variant = target.variant;
  instruction.handler = target.handler;
  return instruction;
}

/** The rules that make a fully decoded encoding invalid (Intel SDM Vol. 2A §2.1.1, MOV Sreg, MOV CR). */
function checkValidity(instruction: Instruction, target: DecodeTarget): void {
  if (instruction.lock && (!target.lockable || instruction.mod === 3)) {
    const what = target.row ? target.row.mnemonic : 'an x87 instruction';
    throw invalidOpcode(`LOCK prefix on ${what}${target.lockable ? ' with a register destination' : ', which does not allow it'}`);
  }
  const rule = target.registerField;
  if (rule === SREG_NONE) return;
  const reg = instruction.reg;
  if (rule === CONTROL_REGISTER) {
    if (reg === 1 || reg > 4) throw invalidOpcode(`CR${reg} does not exist`);
    return;
  }
  if (reg > 5) throw invalidOpcode(`segment register field ${reg} names no segment register`);
  if (rule === SREG_DESTINATION && reg === 1) throw invalidOpcode('MOV to CS is not an instruction (use a far jump)');
}
