// User-level instruction handlers (ALU, shifts, multiply/divide, BCD, bit and string operations,
// near control transfer, stack, data movement, flags, the 486-P6 integer additions, x87 control),
// keyed by the instruction table's `op`. Filled in family by family from the files beside it.
import type { Handler } from '../../instruction';

export const userHandlers: Readonly<Record<string, Handler>> = {};
