// Finds every (row, operand size, operand arrangement) that fits a statement, the way GNU as walks
// its templates: each row at each operand size the suffix allows, the operand orders and the
// arrangements with implicit operands left out (viableAttempts.ts, formFacts.ts), far pointers, and
// GNU as's default operand size when nothing names one.
// The search first makes only the attempts whose operand classes can fit, collecting candidates;
// only when nothing fits does it run again over every attempt, recording why each failed, for the
// message.
// Owns: candidate enumeration and the choice of the error message when nothing fits.
// Must not know: byte layout (the caller measures candidates and keeps the shortest).
// Models GNU as 2.40 template matching over the rows of Intel SDM Vol. 2 (instructionTable.ts).
import type { InstructionForm } from '../../isa/instructionForm';
import { arrangementsFor, spellingFacts, type FormFacts } from './formFacts';
import { failureMessage, registerSuffixMessage, type SelectionFailure } from './selectionDiagnostics';
import type { GasSpelling } from './gasMnemonics';
import { IMM16, IMM32, IMM32S } from './immediateTypes';
import { FITS, failureOf, immediateTypesOf, matchSlot, type MatchContext, type MatchFailure, type PlacedOperand, type Slot } from './operandMatching';
import { operandOrders, viableRows, type Attempt } from './viableAttempts';

export interface Candidate {
  readonly form: InstructionForm;
  readonly facts: FormFacts;
  /** Operand size for size-dependent rows, else undefined. */
  readonly size: 16 | 32 | undefined;
  /** Aligned with form.operands (Intel order); undefined = implicit or left out. */
  readonly slots: readonly Slot[];
  /** `ljmp $sel,$off`: the selector (the offset is slots[0]). */
  readonly farSelector: PlacedOperand | undefined;
  /** The operand size is GNU as's default (no suffix or register named one). */
  readonly sizeFromDefault: boolean;
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

function acceptsSuffix(rowFacts: FormFacts, size: 16 | 32 | undefined, suffixSize: number | undefined): boolean {
  if (suffixSize === undefined) return true;
  return rowFacts.sizeDependent ? size === suffixSize : rowFacts.primaryWidth === suffixSize;
}

/** Where failed attempts are recorded; undefined while only candidates are wanted. */
type FailureLog = SelectionFailure[] | undefined;

const COUNT_FAILURE: SelectionFailure = { kind: 'count' };
const SUFFIX_FAILURE: SelectionFailure = { kind: 'suffix' };

/** Do the written operands, placed by the attempt, all fit their slots? */
function fits(rowFacts: FormFacts, size: 16 | 32 | undefined, attempt: Attempt, written: readonly PlacedOperand[], context: MatchContext): boolean {
  const { order, positions } = attempt;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    if (position >= 0 && matchSlot(rowFacts.operands, i, written[order[position]!]!, size, i === rowFacts.primary, context) !== FITS) return false;
  }
  return true;
}

/** Why an attempt fails: checked in the order the operands were written, so the first bad one is blamed. */
function attemptFailure(rowFacts: FormFacts, size: 16 | 32 | undefined, attempt: Attempt, written: readonly PlacedOperand[], context: MatchContext): MatchFailure | undefined {
  const { order, positions } = attempt;
  let failure: MatchFailure | undefined;
  let failedAt = Infinity;
  for (let i = 0; i < positions.length; i++) {
    const placed = positions[i]! >= 0 ? written[order[positions[i]!]!] : undefined;
    if (!placed || placed.index >= failedAt) continue;
    const verdict = matchSlot(rowFacts.operands, i, placed, size, i === rowFacts.primary, context);
    if (verdict !== FITS) {
      failure = failureOf(verdict, placed);
      failedAt = placed.index;
    }
  }
  return failure;
}

/** Every candidate is made here, so that all have one object shape. */
function makeCandidate(rowFacts: FormFacts, size: 16 | 32 | undefined, slots: readonly Slot[], farSelector: PlacedOperand | undefined, sizeFromDefault: boolean): Candidate {
  return { form: rowFacts.row, facts: rowFacts, size, slots, farSelector, sizeFromDefault };
}

function candidateOf(rowFacts: FormFacts, size: 16 | 32 | undefined, attempt: Attempt, written: readonly PlacedOperand[]): Candidate {
  const slots: Slot[] = [];
  for (const position of attempt.positions) slots.push(position >= 0 ? written[attempt.order[position]!] : undefined);
  return makeCandidate(rowFacts, size, slots, undefined, false);
}

/** `ljmp $sel,$off` / `lcall $sel,$off`: two immediates for the single Ap operand. */
function tryFarPointer(rowFacts: FormFacts, size: 16 | 32 | undefined, written: readonly PlacedOperand[], context: MatchContext): Candidate | SelectionFailure {
  if (written.length !== 2) return COUNT_FAILURE;
  const [selector, offset] = written;
  if (selector!.operand.kind !== 'immediate' || offset!.operand.kind !== 'immediate') return { kind: 'type' };
  if ((immediateTypesOf(selector!, context) & IMM16) === 0) return { kind: 'size', operandIndex: selector!.index };
  const offsetTypes = size === 16 ? IMM16 : IMM32 | IMM32S;
  if ((immediateTypesOf(offset!, context) & offsetTypes) === 0) return { kind: 'size', operandIndex: offset!.index };
  return makeCandidate(rowFacts, size, [offset], selector!, false);
}

/** The first attempt (in order preference) that fits one row at one size, or undefined; failures logged. */
function tryRow(rowFacts: FormFacts, size: 16 | 32 | undefined, attempts: readonly Attempt[], request: SelectionRequest, context: MatchContext, log: FailureLog): Candidate | undefined {
  if (rowFacts.farPointer) {
    const attempt = tryFarPointer(rowFacts, size, request.operands, context);
    if ('form' in attempt) return attempt;
    log?.push(attempt);
    return undefined;
  }
  for (const attempt of attempts) {
    if (fits(rowFacts, size, attempt, request.operands, context)) return candidateOf(rowFacts, size, attempt, request.operands);
    if (log) log.push(attemptFailure(rowFacts, size, attempt, request.operands, context)!);
  }
  return undefined;
}

function effectiveSize(candidate: Candidate): number | undefined {
  return candidate.size ?? candidate.facts.primaryWidth;
}

/** Do the candidates name two different sizes? */
function sizesDiffer(candidates: readonly Candidate[]): boolean {
  let first: number | undefined;
  for (const candidate of candidates) {
    const size = effectiveSize(candidate);
    if (size === undefined) continue;
    if (first === undefined) first = size;
    else if (size !== first) return true;
  }
  return false;
}

/** With no suffix and nothing else naming a size, GNU as warns and uses the default operand size. */
function preferDefaultSize(candidates: readonly Candidate[], request: SelectionRequest): readonly Candidate[] {
  if (request.context.suffixSize !== undefined || candidates.length < 2 || !sizesDiffer(candidates)) return candidates;
  const preferred: Candidate[] = [];
  for (const candidate of candidates) {
    const size = effectiveSize(candidate);
    if (size === undefined || size === request.defaultSize) preferred.push(makeCandidate(candidate.facts, candidate.size, candidate.slots, candidate.farSelector, true));
  }
  return preferred.length > 0 ? preferred : candidates;
}

/** Every attempt at a row, for the logged search: all orders times all arrangements. */
function allAttempts(rowFacts: FormFacts, orders: readonly (readonly number[])[]): Attempt[] {
  const attempts: Attempt[] = [];
  for (const order of orders) for (const positions of arrangementsFor(rowFacts, orders[0]!.length)) attempts.push({ order, positions });
  return attempts;
}

/** GNU as checks the operand count before the suffix. */
function takesOperandCount(rowFacts: FormFacts, orders: readonly (readonly number[])[]): boolean {
  if (rowFacts.farPointer) return orders[0]!.length === 2;
  return arrangementsFor(rowFacts, orders[0]!.length).length > 0;
}

/** Candidates of one row at each of its sizes, in order. */
function collectRow(rowFacts: FormFacts, attempts: readonly Attempt[], request: SelectionRequest, context: MatchContext, log: FailureLog, candidates: Candidate[]): void {
  for (const size of request.defaultSize === 32 ? rowFacts.sizesWhenDefault32 : rowFacts.sizesWhenDefault16) {
    if (!acceptsSuffix(rowFacts, size, context.suffixSize)) {
      log?.push(SUFFIX_FAILURE);
      continue;
    }
    const candidate = tryRow(rowFacts, size, attempts, request, context, log);
    if (candidate) candidates.push(candidate);
  }
}

/** A row the spelling or a source-size suffix rules out before any matching. */
function ruledOut(rowFacts: FormFacts, request: SelectionRequest): boolean {
  return (request.spelling.farOnly === true && !rowFacts.far) || (request.sourceSize !== undefined && rowFacts.sourceWidth !== request.sourceSize);
}

/**
 * Every fitting (row, size, first fitting attempt) in table order. Without a log only the viable
 * attempts are made (viableAttempts.ts); with one, every attempt, recording why each failed.
 */
function collect(request: SelectionRequest, context: MatchContext, log: FailureLog): Candidate[] {
  const candidates: Candidate[] = [];
  if (!log) {
    for (const viable of viableRows(request.spelling, context.operandClasses)) {
      if (!ruledOut(viable.facts, request)) collectRow(viable.facts, viable.attempts, request, context, undefined, candidates);
    }
    return candidates;
  }
  const written = request.operands;
  const orders = operandOrders(request.spelling, written.length, written[0]?.operand.kind === 'immediate');
  for (const rowFacts of spellingFacts(request.spelling)) {
    if (ruledOut(rowFacts, request)) continue;
    if (!takesOperandCount(rowFacts, orders)) log.push(COUNT_FAILURE);
    else collectRow(rowFacts, allAttempts(rowFacts, orders), request, context, log, candidates);
  }
  return candidates;
}

/** Without the suffix, does some row fit? Then GNU as blames a register for disagreeing with the suffix. */
function suffixConflict(request: SelectionRequest): { message: string; operandIndex?: number } | undefined {
  const { context } = request;
  if (context.suffixSize === undefined) return undefined;
  const withoutSuffix: MatchContext = {
    guessSize: context.guessSize,
    symbolicMasks: context.symbolicMasks,
    immediateTypes: context.immediateTypes,
    operandClasses: context.operandClasses,
    indirectBranch: context.indirectBranch,
    bareIsDirectTarget: context.bareIsDirectTarget,
  };
  const relaxed = collect(request, withoutSuffix, undefined)[0];
  return relaxed ? registerSuffixMessage(relaxed, context.suffixSize, request.writtenMnemonic, context.suffixLetter) : undefined;
}

/** Every fitting (row, size, arrangement), GNU as's default size applied; or GNU as's complaint. */
export function selectCandidates(request: SelectionRequest): SelectionResult {
  const candidates = collect(request, request.context, undefined);
  if (candidates.length > 0) return { ok: true, candidates: preferDefaultSize(candidates, request) };
  const blamed = suffixConflict(request);
  if (blamed) return { ok: false, ...blamed };
  const failures: SelectionFailure[] = [];
  collect(request, request.context, failures);
  return { ok: false, ...failureMessage(request.spelling.stem, failures, request.context.suffixLetter) };
}
