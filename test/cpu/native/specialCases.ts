// Native cases that need hand-shaped inputs: XLAT (table in the buffer, segment overrides), BOUND
// (inside and outside the bounds: #BR), LEA and multi-byte NOP over random 32- and 16-bit
// addressing forms (no memory access), UD2 and LOCK where it is not allowed (#UD), and the x87
// control instructions (FNINIT, FNSTSW, FNSTCW/FLDCW, FNCLEX, FNSTENV/FLDENV, FNSAVE/FRSTOR, WAIT
// with a pending unmasked exception: #MF). Must not know: the emulator.
// Models Intel SDM Vol. 2 (XLAT, BOUND, LEA, NOP, UD2, LOCK, the x87 control instructions).
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import { BUFFER_BASE, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';
import { CaseBuilder, REG_EAX, REG_EBX } from './caseBuilder';

export const SPECIAL_CASE_OPS: ReadonlySet<string> = new Set(['xlat', 'bound', 'lea', 'ud2']);

const OVERRIDES = [0x26, 0x2e, 0x36, 0x3e];

export function xlatCase(row: InstructionForm, rng: Random): NativeCase {
  const builder = new CaseBuilder(rng);
  if (rng.chance(0.3)) builder.emit(rng.pick(OVERRIDES));
  builder.emit(row.opcode[0]!);
  const al = builder.regs[REG_EAX]! & 0xff;
  builder.regs[REG_EBX] = BUFFER_BASE + rng.below(256 - al);
  return builder.build('xlatb', 'xlat');
}

export function boundCase(row: InstructionForm, rng: Random, op32: boolean): NativeCase {
  const builder = new CaseBuilder(rng);
  if (!op32) builder.emit(0x66);
  builder.emit(row.opcode[0]!);
  const reg = rng.below(8);
  const target = 16 + rng.below(128);
  builder.memoryModrm(reg, target, 1 << reg);
  const size = op32 ? 4 : 2;
  const lower = rng.value(size);
  const upper = rng.chance(0.8) ? lower + rng.below(1000) : rng.value(size);
  builder.setMemory(target, lower, size);
  builder.setMemory(target + size, upper, size);
  if (rng.chance(0.8)) builder.setRegister(reg, lower + rng.below(Math.max(1, ((upper - lower) & (op32 ? 0x7fffffff : 0x7fff)) + 2)));
  return builder.build(`bound ${op32 ? 'o32' : 'o16'}`, 'bound');
}

/** Random ModRM/SIB/displacement bytes; with 16-bit addressing when `address16`. */
export function randomAddressing(builder: CaseBuilder, reg: number, address16: boolean): void {
  const rng = builder.rng;
  const mod = rng.below(3);
  const rm = rng.below(8);
  builder.emit((mod << 6) | ((reg & 7) << 3) | rm);
  if (address16) {
    if (mod === 1) builder.emitImmediate(rng.next(), 1);
    else if (mod === 2 || (mod === 0 && rm === 6)) builder.emitImmediate(rng.next(), 2);
    return;
  }
  let base = rm;
  if (rm === 4) {
    const sib = rng.next() & 0xff;
    builder.emit(sib);
    base = sib & 7;
  }
  if (mod === 1) builder.emitImmediate(rng.next(), 1);
  else if (mod === 2 || (mod === 0 && (rm === 5 || (rm === 4 && base === 5)))) builder.emitImmediate(rng.value(4), 4);
}

export function leaCase(row: InstructionForm, rng: Random): NativeCase {
  const builder = new CaseBuilder(rng);
  builder.unpinStack();
  const op16 = rng.chance(0.3);
  const address16 = rng.chance(0.4);
  if (op16) builder.emit(0x66);
  if (address16) builder.emit(0x67);
  builder.emit(...row.opcode);
  randomAddressing(builder, rng.below(8), address16);
  return builder.build(`lea ${op16 ? 'o16' : 'o32'} ${address16 ? 'a16' : 'a32'}`, 'lea');
}

/** 0F 1F /x with any addressing form: decoded, never accessed. */
export function hintNopCase(rng: Random): NativeCase {
  const builder = new CaseBuilder(rng);
  const address16 = rng.chance(0.3);
  if (rng.chance(0.3)) builder.emit(0x66);
  if (address16) builder.emit(0x67);
  builder.emit(0x0f, 0x1f);
  randomAddressing(builder, rng.below(8), address16);
  return builder.build(`nop Ev ${address16 ? 'a16' : 'a32'}`, 'nop');
}

/** UD2, LOCK on a register destination, LOCK on an instruction that never allows it. */
export function invalidCase(rng: Random): NativeCase {
  const builder = new CaseBuilder(rng);
  const kind = rng.below(4);
  if (kind === 0) builder.emit(0x0f, 0x0b);
  else if (kind === 1) builder.emit(0xf0, rng.pick([0x01, 0x09, 0x29, 0x31, 0x87]), 0xc0 | rng.below(64));
  else if (kind === 2) builder.emit(0xf0, rng.pick([0x8b, 0x89, 0x85, 0x39]), (rng.below(8) << 3) | 5, 0, 0, 0x20, 0);
  else builder.emit(0xf0, rng.pick([0x90, 0x40, 0xf8, 0x99]));
  return builder.build(['ud2', 'lock reg', 'lock mov/test/cmp', 'lock no-operand'][kind]!, 'ud2');
}

const FNINIT = [0xdb, 0xe3];

/** modrm for a [disp32] operand at buffer offset `at` with /reg. */
function absolute(reg: number, at: number): number[] {
  const address = BUFFER_BASE + at;
  return [(reg << 3) | 5, address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff, address >>> 24];
}

/** One x87 control sequence (the FPU state starts from FNINIT or from a random FRSTOR image). */
export function x87Case(rng: Random): NativeCase {
  const builder = new CaseBuilder(rng);
  const kind = rng.below(8);
  builder.emit(...FNINIT); // the host's x87 state carries over between cases: start clean
  const op16 = rng.chance(0.3) ? [0x66] : [];
  // A random image at offset 0 (FRSTOR/FLDENV source); results are stored at offset 0x80.
  const status = rng.next() & 0xffff;
  builder.setMemory(0, rng.chance(0.5) ? rng.next() : rng.next() & 0x1f3f, 4);
  builder.setMemory(op16.length ? 2 : 4, status, 2);
  switch (kind) {
    case 0: builder.emit(...FNINIT, 0xdf, 0xe0); break; // FNSTSW AX
    case 1: builder.emit(...FNINIT, 0xd9, ...absolute(7, 0x80)); break; // FNSTCW
    case 2: builder.emit(0xd9, ...absolute(5, 0), 0xd9, ...absolute(7, 0x80)); break; // FLDCW, FNSTCW
    case 3: builder.emit(...FNINIT, ...op16, 0xd9, ...absolute(6, 0x80)); break; // FNSTENV
    case 4: builder.emit(...op16, 0xdd, ...absolute(4, 0), ...op16, 0xd9, ...absolute(4, 0), ...op16, 0xd9, ...absolute(6, 0x80)); break; // FRSTOR, FLDENV, FNSTENV
    case 5: builder.emit(...op16, 0xdd, ...absolute(4, 0), ...op16, 0xdd, ...absolute(6, 0x80), 0xdf, 0xe0); break; // FRSTOR, FNSAVE, FNSTSW
    case 6: builder.emit(...op16, 0xdd, ...absolute(4, 0), 0xdb, 0xe2, 0xdf, 0xe0, 0x9b); break; // FRSTOR, FNCLEX, FNSTSW, WAIT
    default: builder.emit(...op16, 0xdd, ...absolute(4, 0), 0xd9, ...absolute(5, 0x40), 0xdf, 0xe0); break; // FRSTOR, FLDCW, FNSTSW
  }
  if (rng.chance(0.3) && kind >= 4) builder.emit(0x9b); // WAIT: #MF when an unmasked exception is pending
  return builder.build(`x87 sequence ${kind}${op16.length ? ' o16' : ''}`, 'fninit');
}
