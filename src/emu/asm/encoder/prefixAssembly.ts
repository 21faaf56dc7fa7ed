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
import { ADDRESS_SIZE_PREFIX, GROUP_ORDER, OPERAND_SIZE_PREFIX, PrefixSet, SEGMENT_OVERRIDE, SHORT_LOOP_ORDER, type PrefixGroup } from './prefixes';

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

/**
 * GNU as keeps only some written prefixes on control transfers (and warns "skipping prefixes"):
 * relaxable jmp/jcc keep data16 and the CS/DS branch hints, call rel32 and far direct jumps keep
 * data16, loop/jecxz keep addr16 and the hints. Undefined: everything is kept.
 */
function keptGroups(candidate: Candidate): ReadonlySet<PrefixGroup | 'hint'> | undefined {
  const { form } = candidate;
  const only = form.operands.length === 1 ? form.operands[0] : undefined;
  if (only === 'Ap') return new Set(['data']);
  if (only === 'Jv' && form.op === 'call') return new Set(['data']);
  if ((only === 'Jb' || only === 'Jv') && (form.op === 'jmp' || form.op === 'jcc')) return new Set(['data', 'hint']);
  if (only === 'Jb') return new Set(['address', 'hint']);
  return undefined;
}

export function keptWrittenPrefixes(candidate: Candidate, written: PrefixSet): PrefixSet {
  const kept = keptGroups(candidate);
  if (!kept) return written.clone();
  const result = new PrefixSet();
  for (const group of ['segment', 'address', 'data'] as const) {
    const byte = written.get(group);
    if (byte === undefined) continue;
    if (kept.has(group) || (group === 'segment' && kept.has('hint') && BRANCH_HINTS.has(byte))) result.add(group, byte);
  }
  return result;
}

function keepsWrittenAddressSize(candidate: Candidate): boolean {
  const kept = keptGroups(candidate);
  return !kept || kept.has('address');
}

interface AddressSizeNeeds {
  readonly size: 16 | 32;
  /** The row itself needs 0x67 (jcxz, loopw), whatever was written. */
  readonly ownPrefix: boolean;
}

/** The address size: the row's own (jcxz), a suffix's (loopw), the registers', the written prefix's. */
function resolveAddressSize(candidate: Candidate, environment: PrefixEnvironment): AddressSizeNeeds | string {
  const own = candidate.form.addressSize ?? environment.spelledAddressSize;
  if (own !== undefined) return { size: environment.writtenAddressSize ?? own, ownPrefix: own !== environment.codeSize };
  const inWrittenOrder = candidate.form.operands.map((kind, i) => [kind, candidate.slots[i]] as const).sort(([, a], [, b]) => (a?.index ?? 0) - (b?.index ?? 0));
  const memories = inWrittenOrder.map(([kind, slot]) => [kind, memoryOf(slot)] as const);
  const addressed = memories.filter(([kind, m]) => m?.addressSize !== undefined && !isStringKind(kind)).map(([, m]) => m!);
  if (environment.implicitMemory?.addressSize) addressed.push(environment.implicitMemory);
  const strings = memories.filter(([kind, m]) => m?.addressSize !== undefined && isStringKind(kind)).map(([, m]) => m!);
  const written = keepsWrittenAddressSize(candidate) ? environment.writtenAddressSize : undefined;
  for (const memory of addressed) {
    if (written !== undefined && memory.addressSize !== written) return `\`${baseIndexText(memory.operand)}' is not a valid base/index expression`;
    if (memory.addressSize !== addressed[0]!.addressSize) return `\`${baseIndexText(memory.operand)}' is not a valid base/index expression`;
  }
  // The second string operand must use the address size the first one (or addr16/addr32) set.
  const stringMode = written ?? strings[0]?.addressSize;
  const stray = strings.slice(1).find((memory) => memory.addressSize !== stringMode);
  if (stray) return `\`${baseIndexText(stray.operand)}' is not a valid string address expression`;
  return { size: addressed[0]?.addressSize ?? written ?? stringMode ?? environment.codeSize, ownPrefix: false };
}

/** GNU as never writes 0x66 for a segment-register load, nor for the memory word of an Mw/Rv operand. */
function suppressesOperandSizePrefix(candidate: Candidate): boolean {
  const { form, slots } = candidate;
  if (form.op === 'mov_sreg_rm') return true;
  if (form.op === 'lar' || form.op === 'lsl') return false;
  const index = form.operands.indexOf('MwRv');
  return index >= 0 && slots[index]?.operand.kind === 'memory';
}

function defaultSegment(kind: OperandKind, memory: ClassifiedMemory): string {
  if (kind === 'Yb' || kind === 'Yv') return 'es';
  const base = memory.base?.name;
  return base === 'esp' || base === 'ebp' || base === 'bp' ? 'ss' : 'ds';
}

function addSegmentOverrides(candidate: Candidate, environment: PrefixEnvironment, prefixes: PrefixSet): boolean {
  const memories: [OperandKind, ClassifiedMemory][] = [];
  candidate.form.operands.forEach((kind, i) => {
    const memory = memoryOf(candidate.slots[i]);
    if (memory) memories.push([kind, memory]);
  });
  if (environment.implicitMemory) memories.push(['Xb', environment.implicitMemory]);
  for (const [kind, memory] of memories) {
    const segment = memory.segment?.name;
    if (!segment || segment === defaultSegment(kind, memory)) continue;
    if (!prefixes.add('segment', SEGMENT_OVERRIDE[segment]!)) return false;
  }
  return true;
}

/** All prefixes of the candidate, in a set that orders them as GNU as does. */
export function assemblePrefixes(candidate: Candidate, environment: PrefixEnvironment): PrefixResult {
  const prefixes = keptWrittenPrefixes(candidate, environment.written);
  const { form } = candidate;
  // BSWAP's register is 32-bit whatever the code size: .code16 needs the prefix too.
  const size = candidate.size ?? (form.operands.includes('Zd') ? 32 : undefined);
  if (form.prefix !== undefined && !prefixes.add('wait', form.prefix)) return { ok: false, message: SAME_PREFIX_TWICE };
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
  const order = candidate.form.operands.length === 1 && candidate.form.operands[0] === 'Jb' ? SHORT_LOOP_ORDER : GROUP_ORDER;
  return { ok: true, bytes: prefixes.ordered(order), addressSize: address.size };
}
