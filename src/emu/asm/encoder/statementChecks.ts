// Statement-level rules GNU as enforces once a row is chosen: LOCK only on lockable instructions with
// a memory destination, REP only where it means something, the ES:(E)DI string operand, and the
// prefix words written before the mnemonic.
// Owns: those checks and their messages. Must not know: byte layout.
// Models Intel SDM Vol. 2 (LOCK, REP/REPE/REPNE, MOVS...) and GNU as 2.40's prefix diagnostics.
import type { Candidate } from './formSelection';
import { PREFIX_WORDS, PrefixSet } from './prefixes';

export interface WrittenPrefixes {
  readonly set: PrefixSet;
  /** The rep-group word as written (`rep`, `repne`...), for messages. */
  readonly repWord?: string;
  readonly lock: boolean;
  /** Address size forced by addr16/addr32. */
  readonly addressSize?: 16 | 32;
  /** data16/data32 was written. */
  readonly dataSize?: 16 | 32;
}

export type PrefixCollection = { readonly ok: true; readonly prefixes: WrittenPrefixes } | { readonly ok: false; readonly message: string };

/** Collects the prefix words written before an instruction. */
export function collectPrefixes(words: readonly string[], codeSize: 16 | 32): PrefixCollection {
  if (words.length === 0) return { ok: true, prefixes: { set: new PrefixSet(), lock: false } };
  const set = new PrefixSet();
  let repWord: string | undefined;
  let addressSize: 16 | 32 | undefined;
  let dataSize: 16 | 32 | undefined;
  for (const written of words) {
    const word = written.toLowerCase();
    const prefix = PREFIX_WORDS.get(word);
    if (!prefix) return { ok: false, message: `no such instruction: \`${written}'` };
    if (prefix.selectsSize === codeSize) return { ok: false, message: `redundant ${word} prefix` };
    if (!set.add(prefix.group, prefix.byte)) return { ok: false, message: 'same type of prefix used twice' };
    if (prefix.group === 'rep') repWord = word;
    if (prefix.group === 'address') addressSize = prefix.selectsSize;
    if (prefix.group === 'data') dataSize = prefix.selectsSize;
  }
  return {
    ok: true,
    prefixes: { set, lock: set.has('lock'), repWord, addressSize, dataSize },
  };
}

function hasMemoryDestination(candidate: Candidate): boolean {
  return candidate.slots[0]?.operand.kind === 'memory';
}

const STRING_DESTINATION_KINDS: ReadonlySet<string> = new Set(['Yb', 'Yv']);

/** LOCK, REP and ES-segment rules for the chosen row; the message, or undefined when fine. */
export function checkStatement(candidate: Candidate, prefixes: WrittenPrefixes, stem: string): { message: string; operandIndex?: number } | undefined {
  const row = candidate.facts;
  if (prefixes.lock && !(row.lockable && hasMemoryDestination(candidate))) return { message: 'expecting lockable instruction after `lock\'' };
  if (prefixes.repWord && !row.takesRep) return { message: `invalid instruction \`${stem}' after \`${prefixes.repWord}'` };
  for (let i = 0; i < row.operands.length; i++) {
    const slot = candidate.slots[i];
    if (!slot || slot.operand.kind !== 'memory' || !STRING_DESTINATION_KINDS.has(row.operands[i]!)) continue;
    const segment = slot.operand.segment?.name;
    if (segment && segment !== 'es') {
      return { message: `\`${stem}' operand ${slot.index + 1} must use \`%es' segment`, operandIndex: slot.index };
    }
  }
  return undefined;
}
