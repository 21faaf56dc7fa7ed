// Native cases for MOVS CMPS STOS LODS SCAS (byte, word, dword), alone and with REP, REPE and
// REPNE, DF both ways, small counts (0 included), source segment overrides, and CMPS/SCAS data
// made to match for a while so REPE/REPNE end early. Must not know: the emulator.
// Models Intel SDM Vol. 2 (MOVS, CMPS, STOS, LODS, SCAS, REP prefixes).
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import { BUFFER_BASE, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';
import { CaseBuilder, REG_EAX, REG_ECX, REG_EDI, REG_ESI } from './caseBuilder';

export const STRING_CASE_OPS: ReadonlySet<string> = new Set(['movs', 'cmps', 'stos', 'lods', 'scas']);

const DF = 0x400;
const OVERRIDES = [0x26, 0x2e, 0x36, 0x3e];

function elementSize(row: InstructionForm): number {
  return row.operands[0] === 'Yb' || row.operands[0] === 'Xb' || row.operands[1] === 'Yb' || row.operands[1] === 'Xb' ? 1 : row.operandSize === 16 ? 2 : 4;
}

/** Places a pointer so `count` elements stepping by DF stay inside [low, low + 96). */
function pointer(rng: Random, low: number, size: number, backwards: boolean): number {
  const offset = low + (backwards ? 48 + rng.below(44) : rng.below(44));
  return BUFFER_BASE + offset - (offset % size === 0 ? 0 : rng.below(2));
}

export function stringCase(row: InstructionForm, rng: Random): NativeCase {
  const builder = new CaseBuilder(rng, { directionFlag: true });
  const size = elementSize(row);
  const backwards = (builder.eflags & DF) !== 0;
  const rep = rng.pick([0, 0, 0xf3, 0xf3, 0xf2]);
  const override = rng.chance(0.2) ? rng.pick(OVERRIDES) : 0;
  if (override) builder.emit(override);
  if (rep) builder.emit(rep);
  if (row.operandSize === 16) builder.emit(0x66);
  builder.emit(row.opcode[0]!);
  const source = pointer(rng, 0, size, backwards);
  const destination = pointer(rng, 128, size, backwards);
  builder.regs[REG_ESI] = source;
  builder.regs[REG_EDI] = destination;
  builder.regs[REG_ECX] = rep ? rng.pick([0, 1, 2, 3, 5, 8, rng.below(10)]) : rng.next();
  if (row.op === 'cmps' || row.op === 'scas') shapeComparisons(builder, row.op, size);
  const name = `${rep ? (rep === 0xf3 ? 'rep ' : 'repne ') : ''}${row.mnemonic}${override ? ' seg' : ''}${backwards ? ' std' : ''}`;
  return builder.build(name, row.op);
}

/** Copies the source run to the destination (CMPS) or fills it with AL/AX/EAX (SCAS), then perturbs. */
function shapeComparisons(builder: CaseBuilder, op: string, size: number): void {
  const rng = builder.rng;
  const source = builder.regs[REG_ESI]! - BUFFER_BASE;
  const destination = builder.regs[REG_EDI]! - BUFFER_BASE;
  const backwards = (builder.eflags & DF) !== 0;
  const start = (at: number) => (backwards ? at - 8 * size : at);
  for (let k = 0; k <= 8 * size; k++) {
    const to = start(destination) + k;
    const value = op === 'cmps' ? builder.memory[start(source) + k]! : (builder.regs[REG_EAX]! >>> (8 * (k % size))) & 0xff;
    if (to >= 0 && to < 256 && rng.chance(0.9)) builder.memory[to] = value;
  }
}
