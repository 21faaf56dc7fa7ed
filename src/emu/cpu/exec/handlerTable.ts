// Semantic handlers by the instruction table's `op` key: the decoder binds each decoded form to
// its handler through this one table. Owns: the merge of the user-level and system-level families.
// Must not know: encodings.
import type { Handler } from '../instruction';
import { userHandlers } from './user/userHandlers';
import { systemHandlers } from './system/systemHandlers';

export const handlerTable: Readonly<Record<string, Handler>> = { ...userHandlers, ...systemHandlers };

export function handlerFor(op: string): Handler | undefined {
  return handlerTable[op];
}
