// Finds every (row, operand size, operand arrangement) that fits a statement, the way GNU as walks
// its templates: AT&T operands reversed into Intel order (except the Intel-order mnemonics), the
// implicit operands GNU as lets you leave out, commutative xchg/test, two-operand imul, suffix rules,
// and GNU as's default operand size when nothing names one.
// Owns: candidate enumeration and the choice of the error message when nothing fits.
// Must not know: byte layout (the caller measures candidates and keeps the shortest).
// Models GNU as 2.40 template matching over the rows of Intel SDM Vol. 2 (instructionTable.ts).
import type { InstructionForm } from '../../isa/instructionForm';
import { OPERAND_KIND_INFO } from '../../isa/operandKinds';
import { facts } from './formFacts';
import { failureMessage, registerSuffixMessage, type SelectionFailure } from './selectionDiagnostics';
import type { GasSpelling } from './gasMnemonics';
import { IMM16, IMM32, IMM32S } from './immediateTypes';
import { immediateTypesOf, matchSlot, widthAt, type MatchContext, type MatchFailure, type PlacedOperand, type Slot } from './operandMatching';

export interface Candidate {
  readonly form: InstructionForm;
  /** Operand size for size-dependent rows, else undefined. */
  readonly size: 16 | 32 | undefined;
  /** Aligned with form.operands (Intel order); undefined = implicit or left out. */
  readonly slots: readonly Slot[];
  /** `ljmp $sel,$off`: the selector (the offset is slots[0]). */
  readonly farSelector?: PlacedOperand;
  /** The operand size is GNU as's default (no suffix or register named one). */
  readonly sizeFromDefault?: boolean;
}

export interface SelectionRequest {
  readonly spelling: GasSpelling;
  readonly operands: readonly PlacedOperand[];
  readonly context: MatchContext;
  readonly sourceSize?: 8 | 16;
  readonly defaultSize: 16 | 32;
  /** The mnemonic as written, for GNU as's "`%eax' not allowed with `movb'". */
  readonly writtenMnemonic: string;
}

export type SelectionResult =
  | { readonly ok: true; readonly candidates: readonly Candidate[] }
  | { readonly ok: false; readonly message: string; readonly operandIndex?: number };

function sizesOf(row: InstructionForm, defaultSize: 16 | 32): readonly (16 | 32 | undefined)[] {
  if (row.operandSize !== undefined) return [row.operandSize];
  if (!facts(row).sizeDependent) return [undefined];
  return defaultSize === 32 ? [32, 16] : [16, 32];
}

function acceptsSuffix(row: InstructionForm, size: 16 | 32 | undefined, suffixSize: number | undefined): boolean {
  if (suffixSize === undefined) return true;
  const rowFacts = facts(row);
  return rowFacts.sizeDependent ? size === suffixSize : rowFacts.primaryWidth === suffixSize;
}

/** Ways to spread `count` written operands over a row's slots, leaving out omissible ones. */
function arrangements(row: InstructionForm, count: number): (readonly number[])[] {
  return facts(row).omissions.filter((omitted) => row.operands.length - omitted.length === count);
}

function buildSlots(total: number, omitted: readonly number[], written: readonly PlacedOperand[]): Slot[] {
  const slots: Slot[] = [];
  let next = 0;
  for (let i = 0; i < total; i++) slots.push(omitted.includes(i) ? undefined : written[next++]);
  return slots;
}

type Attempt = { readonly candidate: Candidate } | { readonly failure: MatchFailure | { kind: 'count' } };

/** Checks the slots in the order the operands were written, so the first bad operand is blamed. */
function tryArrangement(row: InstructionForm, size: 16 | 32 | undefined, slots: readonly Slot[], context: MatchContext): Attempt {
  const primary = facts(row).primary;
  let failure: MatchFailure | undefined;
  let failedAt = Infinity;
  slots.forEach((placed, i) => {
    if (!placed || placed.index >= failedAt) return;
    const problem = matchSlot(row.operands[i]!, placed, { form: row, size, primary: i === primary }, context);
    if (problem) {
      failure = problem;
      failedAt = placed.index;
    }
  });
  return failure ? { failure } : { candidate: { form: row, size, slots } };
}

/** `ljmp $sel,$off` / `lcall $sel,$off`: two immediates for the single Ap operand. */
function tryFarPointer(row: InstructionForm, size: 16 | 32 | undefined, written: readonly PlacedOperand[], context: MatchContext): Attempt {
  if (written.length !== 2) return { failure: { kind: 'count' } };
  const [selector, offset] = written;
  if (selector!.operand.kind !== 'immediate' || offset!.operand.kind !== 'immediate') return { failure: { kind: 'type' } };
  if ((immediateTypesOf(selector!, context) & IMM16) === 0) return { failure: { kind: 'size', operandIndex: selector!.index } };
  const offsetTypes = size === 16 ? IMM16 : IMM32 | IMM32S;
  if ((immediateTypesOf(offset!, context) & offsetTypes) === 0) return { failure: { kind: 'size', operandIndex: offset!.index } };
  return { candidate: { form: row, size, slots: [offset], farSelector: selector! } };
}

function sourceSizeFits(row: InstructionForm, sourceSize: 8 | 16 | undefined): boolean {
  if (sourceSize === undefined) return true;
  const source = row.operands[1];
  return source !== undefined && widthAt(OPERAND_KIND_INFO[source], undefined) === sourceSize;
}

const isFar = (row: InstructionForm) => row.op.includes('_far') || row.op === 'retf';

/** The operand orders to try, in GNU as's preference. */
function operandOrders(request: SelectionRequest): PlacedOperand[][] {
  const written = request.operands;
  const intel = request.spelling.intelOperandOrder ? [...written] : [...written].reverse();
  const stem = request.spelling.stem;
  if ((stem === 'xchg' || stem === 'test') && intel.length === 2) return [intel, [intel[1]!, intel[0]!]];
  if (stem === 'imul' && written.length === 2 && written[0]!.operand.kind === 'immediate') return [[written[1]!, written[1]!, written[0]!]];
  return [intel];
}

function attemptsFor(row: InstructionForm, size: 16 | 32 | undefined, orders: readonly PlacedOperand[][], request: SelectionRequest): Attempt[] {
  if (row.operands.length === 1 && row.operands[0] === 'Ap') return [tryFarPointer(row, size, request.operands, request.context)];
  const attempts: Attempt[] = [];
  for (const order of orders) {
    const layouts = arrangements(row, order.length);
    if (layouts.length === 0) attempts.push({ failure: { kind: 'count' } });
    for (const omitted of layouts) {
      const attempt = tryArrangement(row, size, buildSlots(row.operands.length, omitted, order), request.context);
      attempts.push(attempt);
      if ('candidate' in attempt) return [attempt];
    }
  }
  return attempts;
}

function effectiveSize(candidate: Candidate): number | undefined {
  return candidate.size ?? facts(candidate.form).primaryWidth;
}

/** With no suffix and nothing else naming a size, GNU as warns and uses the default operand size. */
function preferDefaultSize(candidates: readonly Candidate[], request: SelectionRequest): readonly Candidate[] {
  if (request.context.suffixSize !== undefined) return candidates;
  const sizes = new Set(candidates.map(effectiveSize).filter((size) => size !== undefined));
  if (sizes.size < 2) return candidates;
  const preferred = candidates.filter((c) => {
    const size = effectiveSize(c);
    return size === undefined || size === request.defaultSize;
  });
  return preferred.length > 0 ? preferred.map((c) => ({ ...c, sizeFromDefault: true })) : candidates;
}

/** GNU as checks the operand count before the suffix. */
function takesOperandCount(row: InstructionForm, orders: readonly PlacedOperand[][]): boolean {
  if (row.operands.length === 1 && row.operands[0] === 'Ap') return orders[0]!.length === 2;
  return orders.some((order) => arrangements(row, order.length).length > 0);
}

function collect(request: SelectionRequest, context: MatchContext): { candidates: Candidate[]; failures: SelectionFailure[] } {
  const { spelling } = request;
  const contextual = { ...request, context };
  const orders = operandOrders(request);
  const failures: SelectionFailure[] = [];
  const candidates: Candidate[] = [];
  for (const row of spelling.forms) {
    if (spelling.farOnly && !isFar(row)) continue;
    if (!sourceSizeFits(row, request.sourceSize)) continue;
    if (!takesOperandCount(row, orders)) {
      failures.push({ kind: 'count' });
      continue;
    }
    for (const size of sizesOf(row, request.defaultSize)) {
      if (!acceptsSuffix(row, size, context.suffixSize)) {
        failures.push({ kind: 'suffix' });
        continue;
      }
      for (const attempt of attemptsFor(row, size, orders, contextual)) {
        if ('candidate' in attempt) candidates.push(attempt.candidate);
        else failures.push(attempt.failure);
      }
    }
  }
  return { candidates, failures };
}

/** Without the suffix, does some row fit? Then GNU as blames a register for disagreeing with the suffix. */
function suffixConflict(request: SelectionRequest): { message: string; operandIndex?: number } | undefined {
  const { context } = request;
  if (context.suffixSize === undefined) return undefined;
  const withoutSuffix: MatchContext = {
    guessSize: context.guessSize,
    symbolicMasks: context.symbolicMasks,
    indirectBranch: context.indirectBranch,
    bareIsDirectTarget: context.bareIsDirectTarget,
  };
  const relaxed = collect(request, withoutSuffix).candidates[0];
  return relaxed ? registerSuffixMessage(relaxed, context.suffixSize, request.writtenMnemonic, context.suffixLetter) : undefined;
}

/** Every fitting (row, size, arrangement), GNU as's default size applied; or GNU as's complaint. */
export function selectCandidates(request: SelectionRequest): SelectionResult {
  const { candidates, failures } = collect(request, request.context);
  if (candidates.length > 0) return { ok: true, candidates: preferDefaultSize(candidates, request) };
  const blamed = suffixConflict(request);
  if (blamed) return { ok: false, ...blamed };
  return { ok: false, ...failureMessage(request.spelling.stem, failures, request.context.suffixLetter) };
}
