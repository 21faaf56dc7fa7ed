// Legacy prefixes: the prefix mnemonics GNU as accepts (rep, lock, segment names, data16/addr16...),
// the one-per-group rule, the order GNU as emits them in, and which instructions take LOCK or REP.
// Owns: prefix bytes and their validity rules. Must not know: operand matching or ModRM layout.
// Models Intel SDM Vol. 2 §2.1.1 (instruction prefixes) and GNU as 2.40's prefix ordering
// (wait, segment, address size, operand size, rep, lock).
import type { InstructionForm } from '../../isa/instructionForm';

export type PrefixGroup = 'wait' | 'segment' | 'address' | 'data' | 'rep' | 'lock';

/** GNU as's emission order. */
export const GROUP_ORDER: readonly PrefixGroup[] = ['wait', 'segment', 'address', 'data', 'rep', 'lock'];

/** loop/jecxz: GNU as writes the address-size prefix before a branch hint. */
export const SHORT_LOOP_ORDER: readonly PrefixGroup[] = ['wait', 'address', 'segment', 'data', 'rep', 'lock'];

export const REP_PREFIX = 0xf3;
export const REPNE_PREFIX = 0xf2;
export const LOCK_PREFIX = 0xf0;
export const OPERAND_SIZE_PREFIX = 0x66;
export const ADDRESS_SIZE_PREFIX = 0x67;
export const WAIT_PREFIX = 0x9b;

/** Segment override bytes by segment register name. */
export const SEGMENT_OVERRIDE: Readonly<Record<string, number>> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };

export interface PrefixWord {
  readonly group: PrefixGroup;
  readonly byte: number;
  /** data16/data32/addr16/addr32: the size the prefix selects. */
  readonly selectsSize?: 16 | 32;
}

export const PREFIX_WORDS: ReadonlyMap<string, PrefixWord> = new Map<string, PrefixWord>([
  ['rep', { group: 'rep', byte: REP_PREFIX }],
  ['repe', { group: 'rep', byte: REP_PREFIX }],
  ['repz', { group: 'rep', byte: REP_PREFIX }],
  ['repne', { group: 'rep', byte: REPNE_PREFIX }],
  ['repnz', { group: 'rep', byte: REPNE_PREFIX }],
  ['lock', { group: 'lock', byte: LOCK_PREFIX }],
  ...Object.entries(SEGMENT_OVERRIDE).map(([name, byte]): [string, PrefixWord] => [name, { group: 'segment', byte }]),
  ['data16', { group: 'data', byte: OPERAND_SIZE_PREFIX, selectsSize: 16 }],
  ['data32', { group: 'data', byte: OPERAND_SIZE_PREFIX, selectsSize: 32 }],
  ['addr16', { group: 'address', byte: ADDRESS_SIZE_PREFIX, selectsSize: 16 }],
  ['addr32', { group: 'address', byte: ADDRESS_SIZE_PREFIX, selectsSize: 32 }],
]);

/** The prefixes of one instruction, at most one per group. */
export class PrefixSet {
  private readonly bytes = new Map<PrefixGroup, number>();

  /** Adds a prefix; false when its group is already taken ("same type of prefix used twice"). */
  add(group: PrefixGroup, byte: number): boolean {
    if (this.bytes.has(group)) return false;
    this.bytes.set(group, byte);
    return true;
  }

  has(group: PrefixGroup): boolean {
    return this.bytes.has(group);
  }

  get(group: PrefixGroup): number | undefined {
    return this.bytes.get(group);
  }

  /** The prefix bytes in GNU as's emission order. */
  ordered(order: readonly PrefixGroup[] = GROUP_ORDER): number[] {
    const result: number[] = [];
    for (const group of order) {
      const byte = this.bytes.get(group);
      if (byte !== undefined) result.push(byte);
    }
    return result;
  }

  clone(): PrefixSet {
    const copy = new PrefixSet();
    for (const [group, byte] of this.bytes) copy.add(group, byte);
    return copy;
  }
}

/** Besides the string instructions GNU as lets REP/REPNE precede a near RET (F3 C3, the AMD
 *  branch-predictor idiom), a one-byte NOP (F3 90 is PAUSE) and BSF/BSR (F3 0F BC/BD are
 *  TZCNT/LZCNT on later CPUs). */
export function acceptsRep(row: InstructionForm): boolean {
  if (row.rep !== undefined || row.op === 'ret' || row.op === 'bsf' || row.op === 'bsr') return true;
  return row.op === 'nop' && row.opcode.length === 1;
}
