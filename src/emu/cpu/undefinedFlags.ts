// Which arithmetic flags Intel leaves undefined after each user-level operation, per op key of
// the instruction table and, for shifts and rotates, per masked count. Differential tests (host
// CPU, QEMU) compare EFLAGS with these bits masked out, since each silicon fills them differently.
// Owns: the "undefined" entries of Intel SDM Vol. 1 Appendix A (EFLAGS cross-reference) and the
// Flags Affected sections of Vol. 2. Must not know: how this emulator fills them.
import { EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, EFLAGS_PF, EFLAGS_SF, EFLAGS_ZF } from './eflags';
import type { Instruction } from './instruction';

const ALL = EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF;

/** Count-independent undefined flags; ops not listed define (or leave alone) every flag they touch. */
const UNDEFINED_BY_OP: Readonly<Record<string, number>> = {
  and: EFLAGS_AF, or: EFLAGS_AF, xor: EFLAGS_AF, test: EFLAGS_AF,
  mul: EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF,
  imul: EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF,
  div: ALL, idiv: ALL,
  daa: EFLAGS_OF, das: EFLAGS_OF,
  aaa: EFLAGS_OF | EFLAGS_SF | EFLAGS_ZF | EFLAGS_PF, aas: EFLAGS_OF | EFLAGS_SF | EFLAGS_ZF | EFLAGS_PF,
  aam: EFLAGS_OF | EFLAGS_AF | EFLAGS_CF, aad: EFLAGS_OF | EFLAGS_AF | EFLAGS_CF,
  bt: EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF, bts: EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF,
  btr: EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF, btc: EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF,
  bsf: EFLAGS_CF | EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF, bsr: EFLAGS_CF | EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF,
};

const SHIFTS: ReadonlySet<string> = new Set(['shl', 'sal', 'shr', 'sar']);
const ROTATES: ReadonlySet<string> = new Set(['rol', 'ror', 'rcl', 'rcr']);

/**
 * Undefined flags after `op` at operand width `bits`. For shifts, rotates and SHLD/SHRD pass the
 * count already masked with 31 (a masked count of 0 changes no flag: nothing is undefined).
 */
export function undefinedFlags(op: string, bits: 8 | 16 | 32, maskedCount = 1): number {
  if (SHIFTS.has(op)) {
    if (maskedCount === 0) return 0;
    let mask = EFLAGS_AF;
    if (maskedCount !== 1) mask |= EFLAGS_OF;
    if (op !== 'sar' && maskedCount >= bits) mask |= EFLAGS_CF; // SHL/SHR: CF undefined when count >= width
    return mask;
  }
  if (ROTATES.has(op)) return maskedCount === 0 || maskedCount === 1 ? 0 : EFLAGS_OF;
  if (op === 'shld' || op === 'shrd') {
    if (maskedCount === 0) return 0;
    if (maskedCount > bits) return ALL; // result and flags undefined
    return EFLAGS_AF | (maskedCount === 1 ? 0 : EFLAGS_OF);
  }
  return UNDEFINED_BY_OP[op] ?? 0;
}

/** True when the destination itself is undefined (SHLD/SHRD with a count above the width). */
export function undefinedResult(op: string, bits: 8 | 16 | 32, maskedCount: number): boolean {
  return (op === 'shld' || op === 'shrd') && maskedCount > bits;
}

const COUNTED: ReadonlySet<string> = new Set([...SHIFTS, ...ROTATES, 'shld', 'shrd']);

/**
 * The undefined flags of a decoded instruction about to execute, for a trace comparison: `ecx` is
 * ECX before it runs (the CL count of shifts). 0 for instructions without a row.
 */
export function undefinedFlagsOfInstruction(instruction: Instruction, ecx: number): number {
  const form = instruction.form;
  if (form === null) return 0;
  let count = 1;
  if (COUNTED.has(form.op)) count = (form.operands.includes('CL') ? ecx : instruction.imm) & 31;
  const bits = instruction.width === 1 ? 8 : instruction.width === 2 ? 16 : 32;
  return undefinedFlags(form.op, bits, count);
}
