// Legacy prefixes: the prefix mnemonics GNU as accepts (rep, lock, segment names, data16/addr16...),
// the one-per-group rule, the order GNU as emits them in, and which instructions take LOCK or REP.
// Owns: prefix bytes and their validity rules. Must not know: operand matching or ModRM layout.
// Models Intel SDM Vol. 2 §2.1.1 (instruction prefixes) and GNU as 2.40's prefix ordering
// (wait, segment, address size, operand size, rep, lock).
import type { InstructionForm } from '../../isa/instructionForm';

export type PrefixGroup = 'wait' | 'segment' | 'address' | 'data' | 'rep' | 'lock';

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

const EMPTY = -1;

/** The prefixes of one instruction, at most one per group (EMPTY where a group has none). */
export class PrefixSet {
  private wait = EMPTY;
  private segment = EMPTY;
  private address = EMPTY;
  private data = EMPTY;
  private rep = EMPTY;
  private lock = EMPTY;

  /** Adds a prefix; false when its group is already taken ("same type of prefix used twice"). */
  add(group: PrefixGroup, byte: number): boolean {
    if (this[group] !== EMPTY) return false;
    this[group] = byte;
    return true;
  }

  has(group: PrefixGroup): boolean {
    return this[group] !== EMPTY;
  }

  get(group: PrefixGroup): number | undefined {
    const byte = this[group];
    return byte === EMPTY ? undefined : byte;
  }

  get empty(): boolean {
    return this.wait === EMPTY && this.segment === EMPTY && this.address === EMPTY && this.data === EMPTY && this.rep === EMPTY && this.lock === EMPTY;
  }

  /**
   * The prefix bytes in GNU as's emission order: wait, segment, address size, operand size, rep,
   * lock. For loop/jecxz (`shortLoop`) GNU as writes the address-size prefix before a branch hint.
   */
  ordered(shortLoop = false): number[] {
    const result: number[] = [];
    if (this.wait !== EMPTY) result.push(this.wait);
    if (shortLoop && this.address !== EMPTY) result.push(this.address);
    if (this.segment !== EMPTY) result.push(this.segment);
    if (!shortLoop && this.address !== EMPTY) result.push(this.address);
    if (this.data !== EMPTY) result.push(this.data);
    if (this.rep !== EMPTY) result.push(this.rep);
    if (this.lock !== EMPTY) result.push(this.lock);
    return result;
  }

  clone(): PrefixSet {
    const copy = new PrefixSet();
    copy.wait = this.wait;
    copy.segment = this.segment;
    copy.address = this.address;
    copy.data = this.data;
    copy.rep = this.rep;
    copy.lock = this.lock;
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
