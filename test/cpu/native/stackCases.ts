// Native cases for the stack instructions: PUSH/POP of registers, memory (POP r/m addressed through
// ESP after the increment included) and immediates, PUSHA/POPA, ENTER with nesting levels 0-31,
// LEAVE, at both operand sizes, with ESP inside the data buffer. Must not know: the emulator.
// Models Intel SDM Vol. 2 (PUSH, POP, PUSHA/PUSHAD, POPA/POPAD, ENTER, LEAVE).
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import { BUFFER_BASE, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';
import { CaseBuilder, REG_EBP, REG_ESP } from './caseBuilder';

export const STACK_CASE_OPS: ReadonlySet<string> = new Set(['push', 'pop', 'pusha', 'popa', 'enter', 'leave']);

const LEVELS = [0, 1, 2, 3, 4, 31, 32, 33];

function emitOpcode(builder: CaseBuilder, row: InstructionForm, op32: boolean): number {
  if (!op32) builder.emit(0x66);
  const register = row.operands[0] === 'Zv' ? builder.rng.below(8) : 0;
  row.opcode.forEach((byte, n) => builder.emit(n === row.opcode.length - 1 ? byte + register : byte));
  return register;
}

/** POP r/m through [ESP + disp8]: the address uses ESP after the increment. */
function popThroughStack(builder: CaseBuilder): void {
  builder.emit(0x44, 0x24, builder.rng.below(0x48) - 0x40);
}

export function stackCase(row: InstructionForm, rng: Random, op32: boolean, memory: boolean): NativeCase {
  const builder = new CaseBuilder(rng);
  const register = emitOpcode(builder, row, op32);
  builder.regs[REG_ESP] = BUFFER_BASE + 0xd0 - rng.below(3) * 2;
  switch (row.op) {
    case 'push':
    case 'pop':
      if (row.operands[0] === 'Ev') {
        if (!memory) builder.registerModrm(row.extension!, rng.below(8));
        else if (row.op === 'pop' && rng.chance(0.5)) popThroughStack(builder);
        else builder.memoryModrm(row.extension!, 16 + rng.below(128));
      }
      if (row.operands[0] === 'sIb') builder.emitImmediate(rng.value(1), 1);
      if (row.operands[0] === 'Iv') builder.emitImmediate(rng.value(4), op32 ? 4 : 2);
      if (row.op === 'pop' && row.operands[0] === 'Zv' && register === REG_ESP) builder.regs[REG_ESP] = BUFFER_BASE + 0xd0;
      break;
    case 'enter':
      builder.emitImmediate(rng.chance(0.5) ? rng.below(0x40) : rng.next(), 2);
      builder.emitImmediate(rng.chance(0.6) ? rng.pick(LEVELS) : rng.next(), 1);
      builder.regs[REG_EBP] = BUFFER_BASE + 0xe8 + rng.below(8);
      break;
    case 'leave':
      builder.regs[REG_EBP] = BUFFER_BASE + 0x40 + rng.below(0xb0);
      break;
    default:
      break;
  }
  return builder.build(`${row.mnemonic} ${row.operands.join(',')} ${op32 ? 'o32' : 'o16'}${memory ? ' mem' : ''}`, row.op);
}
