// Works out the prefix bytes of one matched candidate: the written prefixes GNU as keeps (control
// transfers drop most of them), WAIT for the waiting x87 forms, 0x66 when the operand size differs
// from the code size, 0x67 when the address size does, and segment overrides that differ from the
// operand's default segment (GNU as leaves out a redundant one: %ss:(%esp), %ds:(%eax)).
// Owns: address-size resolution, default segments, operand-size prefix exceptions.
// Must not know: opcode, ModRM or field layout. Models Intel SDM Vol. 2 §2.1.1 and Vol. 1 §3.7.4.
import type { OperandKind } from '../../isa/instructionForm';
import type { Candidate } from './formSelection';
import { baseIndexText, type ClassifiedMemory } from './operandClassification';
import type { PlacedOperand } from './operandMatching';
import { KEEP_ADDRESS, KEEP_ALL, KEEP_DATA, KEEP_HINT, KEEP_SEGMENT } from './formFacts';
import { ADDRESS_SIZE_PREFIX, OPERAND_SIZE_PREFIX, PrefixSet, SEGMENT_OVERRIDE } from './prefixes';

export interface PrefixEnvironment {
  readonly codeSize: 16 | 32;
  /** Prefixes written in the statement. */
  readonly written: PrefixSet;
  /** Address size selected by a written addr16/addr32. */
  readonly writtenAddressSize?: 16 | 32;
  /** Address size spelled by a suffix (`loopw`). */
  readonly spelledAddressSize?: 16 | 32;
  /** A memory operand that is not a slot (xlat's `(%ebx)`). */
  readonly implicitMemory?: ClassifiedMemory;
}

export type PrefixResult =
  | { readonly ok: true; readonly bytes: readonly number[]; readonly addressSize: 16 | 32 }
  | { readonly ok: false; readonly message: string };

const SAME_PREFIX_TWICE = 'same type of prefix used twice';
const BRANCH_HINTS: ReadonlySet<number> = new Set([SEGMENT_OVERRIDE.cs!, SEGMENT_OVERRIDE.ds!]);

function memoryOf(slot: PlacedOperand | undefined): ClassifiedMemory | undefined {
  return slot?.operand.kind === 'memory' && slot.operand.base?.name !== 'dx' ? slot.operand : undefined;
}

const isStringKind = (kind: OperandKind) => kind === 'Xb' || kind === 'Xv' || kind === 'Yb' || kind === 'Yv';

/** The written prefixes the row keeps: all, or on control transfers only some (formFacts.ts). */
export function keptWrittenPrefixes(candidate: Candidate, written: PrefixSet): PrefixSet {
  const kept = candidate.facts.keptPrefixes;
  if (kept === KEEP_ALL) return written.clone();
  const result = new PrefixSet();
  if (written.empty) return result;
  const segment = written.get('segment');
  if (segment !== undefined && (kept & KEEP_SEGMENT || (kept & KEEP_HINT && BRANCH_HINTS.has(segment)))) result.add('segment', segment);
  const address = written.get('address');
  if (address !== undefined && kept & KEEP_ADDRESS) result.add('address', address);
  const data = written.get('data');
  if (data !== undefined && kept & KEEP_DATA) result.add('data', data);
  return result;
}

function keepsWrittenAddressSize(candidate: Candidate): boolean {
  const kept = candidate.facts.keptPrefixes;
  return kept === KEEP_ALL || (kept & KEEP_ADDRESS) !== 0;
}

interface AddressSizeNeeds {
  readonly size: 16 | 32;
  /** The row itself needs 0x67 (jcxz, loopw), whatever was written. */
  readonly ownPrefix: boolean;
}

interface AddressedMemory {
  readonly kind: OperandKind;
  readonly memory: ClassifiedMemory;
  readonly index: number;
}

/** Memory operands that imply an address size, in the order they were written. */
function addressedInWrittenOrder(candidate: Candidate): AddressedMemory[] {
  const found: AddressedMemory[] = [];
  const { facts, slots } = candidate;
  for (let i = 0; i < slots.length; i++) {
    const memory = memoryOf(slots[i]);
    if (memory?.addressSize === undefined) continue;
    const entry = { kind: facts.operands[i]!, memory, index: slots[i]!.index };
    let at = found.length;
    while (at > 0 && found[at - 1]!.index > entry.index) at--;
    found.splice(at, 0, entry);
  }
  return found;
}

const invalidBaseIndex = (memory: ClassifiedMemory) => `\`${baseIndexText(memory.operand)}' is not a valid base/index expression`;

/** The one memory slot that implies an address size; undefined when none, null when several. */
function soleAddressedSlot(candidate: Candidate): number | undefined | null {
  let found: number | undefined;
  for (let i = 0; i < candidate.slots.length; i++) {
    if (memoryOf(candidate.slots[i])?.addressSize === undefined) continue;
    if (found !== undefined) return null;
    found = i;
  }
  return found;
}

/** The address size: the row's own (jcxz), a suffix's (loopw), the registers', the written prefix's. */
function resolveAddressSize(candidate: Candidate, environment: PrefixEnvironment): AddressSizeNeeds | string {
  const own = candidate.facts.addressSize ?? environment.spelledAddressSize;
  if (own !== undefined) return { size: environment.writtenAddressSize ?? own, ownPrefix: own !== environment.codeSize };
  const sole = environment.implicitMemory ? null : soleAddressedSlot(candidate);
  if (sole === null) return resolveSeveralAddresses(candidate, environment);
  const written = keepsWrittenAddressSize(candidate) ? environment.writtenAddressSize : undefined;
  if (sole === undefined) return { size: written ?? environment.codeSize, ownPrefix: false };
  const memory = candidate.slots[sole]!.operand as ClassifiedMemory;
  // A lone string operand sets the string address size; a lone other one must agree with addr16/addr32.
  const string = isStringKind(candidate.facts.operands[sole]!);
  if (!string && written !== undefined && memory.addressSize !== written) return invalidBaseIndex(memory);
  return { size: string ? written ?? memory.addressSize! : memory.addressSize!, ownPrefix: false };
}

/** resolveAddressSize for several memory operands (strings, xlat): they must agree with each other. */
function resolveSeveralAddresses(candidate: Candidate, environment: PrefixEnvironment): AddressSizeNeeds | string {
  const memories = addressedInWrittenOrder(candidate);
  const addressed: ClassifiedMemory[] = [];
  const strings: ClassifiedMemory[] = [];
  for (const { kind, memory } of memories) (isStringKind(kind) ? strings : addressed).push(memory);
  if (environment.implicitMemory?.addressSize) addressed.push(environment.implicitMemory);
  const written = keepsWrittenAddressSize(candidate) ? environment.writtenAddressSize : undefined;
  for (const memory of addressed) {
    if (written !== undefined && memory.addressSize !== written) return invalidBaseIndex(memory);
    if (memory.addressSize !== addressed[0]!.addressSize) return invalidBaseIndex(memory);
  }
  // The second string operand must use the address size the first one (or addr16/addr32) set.
  const stringMode = written ?? strings[0]?.addressSize;
  for (let i = 1; i < strings.length; i++) {
    if (strings[i]!.addressSize !== stringMode) return `\`${baseIndexText(strings[i]!.operand)}' is not a valid string address expression`;
  }
  return { size: addressed[0]?.addressSize ?? written ?? stringMode ?? environment.codeSize, ownPrefix: false };
}

/** GNU as never writes 0x66 for a segment-register load, nor for the memory word of an Mw/Rv operand. */
function suppressesOperandSizePrefix(candidate: Candidate): boolean {
  const { facts, slots } = candidate;
  if (facts.op === 'mov_sreg_rm') return true;
  if (facts.op === 'lar' || facts.op === 'lsl') return false;
  const index = facts.mwRvSlot;
  return index >= 0 && slots[index]?.operand.kind === 'memory';
}

function defaultSegment(kind: OperandKind, memory: ClassifiedMemory): string {
  if (kind === 'Yb' || kind === 'Yv') return 'es';
  const base = memory.base?.name;
  return base === 'esp' || base === 'ebp' || base === 'bp' ? 'ss' : 'ds';
}

/** Adds the override a memory operand needs; false when a segment prefix is there already. */
function addSegmentOverride(kind: OperandKind, memory: ClassifiedMemory, prefixes: PrefixSet): boolean {
  const segment = memory.segment?.name;
  if (!segment || segment === defaultSegment(kind, memory)) return true;
  return prefixes.add('segment', SEGMENT_OVERRIDE[segment]!);
}

function addSegmentOverrides(candidate: Candidate, environment: PrefixEnvironment, prefixes: PrefixSet): boolean {
  const { facts, slots } = candidate;
  for (let i = 0; i < slots.length; i++) {
    const memory = memoryOf(slots[i]);
    if (memory && !addSegmentOverride(facts.operands[i]!, memory, prefixes)) return false;
  }
  return !environment.implicitMemory || addSegmentOverride('Xb', environment.implicitMemory, prefixes);
}

/** All prefixes of the candidate, in a set that orders them as GNU as does. */
export function assemblePrefixes(candidate: Candidate, environment: PrefixEnvironment): PrefixResult {
  const prefixes = keptWrittenPrefixes(candidate, environment.written);
  const { facts } = candidate;
  // BSWAP's register is 32-bit whatever the code size: .code16 needs the prefix too.
  const size = candidate.size ?? (facts.fixed32Register ? 32 : undefined);
  if (facts.waitPrefix !== undefined && !prefixes.add('wait', facts.waitPrefix)) return { ok: false, message: SAME_PREFIX_TWICE };
  if (size !== undefined && size !== environment.codeSize && !suppressesOperandSizePrefix(candidate)) {
    // A written data16 that only chose the default size is that same prefix, not a second one.
    const shared = candidate.sizeFromDefault && prefixes.get('data') === OPERAND_SIZE_PREFIX;
    if (!shared && !prefixes.add('data', OPERAND_SIZE_PREFIX)) return { ok: false, message: SAME_PREFIX_TWICE };
  }
  const address = resolveAddressSize(candidate, environment);
  if (typeof address === 'string') return { ok: false, message: address };
  if (address.ownPrefix && !prefixes.add('address', ADDRESS_SIZE_PREFIX)) return { ok: false, message: SAME_PREFIX_TWICE };
  if (address.size !== environment.codeSize && !prefixes.has('address')) prefixes.add('address', ADDRESS_SIZE_PREFIX);
  if (!addSegmentOverrides(candidate, environment, prefixes)) return { ok: false, message: SAME_PREFIX_TWICE };
  return { ok: true, bytes: prefixes.ordered(facts.shortLoopOrder), addressSize: address.size };
}
