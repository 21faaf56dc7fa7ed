// User-level instruction handlers (ALU, shifts, multiply/divide, BCD, bit and string operations,
// near control transfer, stack, data movement, flags, the 486-P6 integer additions, x87 control),
// keyed by the instruction table's `op`, merged from one file per family beside this one.
// Owns: the merge and the rule that no op is claimed twice. Must not know: encodings.
import type { Handler } from '../../instruction';
import { ALU_HANDLERS } from './aluHandlers';
import { UNARY_HANDLERS } from './unaryHandlers';
import { SHIFT_HANDLERS } from './shiftHandlers';
import { MULTIPLY_HANDLERS } from './multiplyHandlers';
import { DECIMAL_HANDLERS } from './decimalHandlers';
import { BIT_HANDLERS } from './bitHandlers';
import { MOVE_HANDLERS } from './moveHandlers';
import { ATOMIC_HANDLERS } from './atomicHandlers';
import { FLAG_HANDLERS } from './flagHandlers';
import { BRANCH_HANDLERS } from './branchHandlers';
import { STACK_HANDLERS } from './stackHandlers';
import { STRING_HANDLERS } from './stringHandlers';
import { MISC_HANDLERS } from './miscHandlers';
import { X87_HANDLERS } from './x87Handlers';

const FAMILIES: readonly Readonly<Record<string, Handler>>[] = [
  ALU_HANDLERS, UNARY_HANDLERS, SHIFT_HANDLERS, MULTIPLY_HANDLERS, DECIMAL_HANDLERS, BIT_HANDLERS, MOVE_HANDLERS,
  ATOMIC_HANDLERS, FLAG_HANDLERS, BRANCH_HANDLERS, STACK_HANDLERS, STRING_HANDLERS, MISC_HANDLERS, X87_HANDLERS,
];

function merge(): Record<string, Handler> {
  const merged: Record<string, Handler> = {};
  for (const family of FAMILIES) {
    for (const [op, handler] of Object.entries(family)) {
      if (op in merged) throw new Error(`user-level op '${op}' has two handlers`);
      merged[op] = handler;
    }
  }
  return merged;
}

export const userHandlers: Readonly<Record<string, Handler>> = merge();
