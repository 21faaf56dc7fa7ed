// The instruction encoder: one parsed AT&T statement in, the bytes GNU as 2.40 (`as --32`) would
// emit out, with fixups for values not known yet and relaxable branches for jmp/jcc to labels.
// Pipeline: prefix words -> statement shape (statementShape.ts) -> the plan remembered for that
// shape (planMemo.ts), or the full search: statement context (spelling, operands, suffix sizes) ->
// candidate rows -> shortest layout (GNU as's choice; ties go to table order) -> statement checks ->
// plan, remembered -> the statement's values filled into the plan (encodingPlan.ts). Only plans of
// accepted statements are remembered; a rejected statement goes through the full search every
// time, so its message always comes from there.
// Owns: orchestration. Must not know: symbol tables, sections, addresses.
// Models Intel SDM Vol. 2 Chapter 2 (instruction format) through the instruction table, with GNU
// as's AT&T conventions.
import type { ParsedInstruction } from '../instructionSyntax';
import type { EncodeContext, EncodeResult, Encoder } from './encoderContract';
import { branchPlan, isRelaxableBranch } from './branches';
import { byteArray, fillPlan, type EncodingPlan, type FixedPlan } from './encodingPlan';
import { selectCandidates, type Candidate } from './formSelection';
import { layOut, type Layout, type LayoutEnvironment } from './instructionLayout';
import { rememberPlan, rememberedPlan } from './planMemo';
import { keptWrittenPrefixes } from './prefixAssembly';
import { PREFIX_WORDS } from './prefixes';
import { checkStatement } from './statementChecks';
import { failure, prepareStatement, type Statement, type StatementFailure } from './statementContext';
import { shapeOf } from './statementShape';

/** `rep`, `lock`, `data16`... written as a statement of their own: just the prefix bytes. */
function encodePrefixStatement(instruction: ParsedInstruction, mnemonic: string): EncodeResult {
  if (instruction.operands.length > 0) return failure(`number of operands mismatch for \`${mnemonic}'`);
  const bytes = [...instruction.prefixes, mnemonic].map((word) => PREFIX_WORDS.get(word.toLowerCase())?.byte);
  if (bytes.some((b) => b === undefined)) return failure(`no such instruction: \`${instruction.text || mnemonic}'`);
  return { ok: true, instruction: { bytes: Uint8Array.from(bytes as number[]), fixups: [], prefixOnly: true } };
}

function layoutEnvironment(statement: Statement): LayoutEnvironment {
  const { resolved, prefixes } = statement;
  const spelledAddressSize = resolved.spelling.suffixMeaning === 'addressSize' ? (resolved.suffixSize as 16 | 32 | undefined) : undefined;
  return {
    codeSize: statement.codeSize,
    written: prefixes.set,
    guessSize: statement.match.guessSize,
    writtenAddressSize: prefixes.addressSize,
    spelledAddressSize,
    writtenDataSize: prefixes.dataSize,
    implicitMemory: statement.implicitMemory,
  };
}

/** Lays out every candidate and keeps the shortest; the first in table order wins a tie. */
function shortestLayout(candidates: readonly Candidate[], environment: LayoutEnvironment): { candidate: Candidate; layout: Layout } | StatementFailure {
  let best: { candidate: Candidate; layout: Layout } | undefined;
  let firstError: StatementFailure | undefined;
  for (const candidate of candidates) {
    const result = layOut(candidate, environment);
    if (!result.ok) {
      firstError ??= failure(result.message, result.operandIndex);
      continue;
    }
    if (!best || result.layout.bytes.length < best.layout.bytes.length) best = { candidate, layout: result.layout };
  }
  return best ?? firstError ?? failure('no encoding');
}

type PlanResult = { readonly ok: true; readonly plan: EncodingPlan } | StatementFailure;

/** jmp/jcc to a label: relaxable; rel16 in its near form when the operand size is 16. */
function planDirectJump(statement: Statement, candidates: readonly Candidate[]): PlanResult | undefined {
  const first = candidates[0]!;
  if (!isRelaxableBranch(first)) return undefined;
  const stem = statement.resolved.spelling.stem;
  if (stem === 'jmp' && statement.resolved.suffix) return failure(`invalid instruction suffix for \`${stem}'`);
  const problem = checkStatement(first, statement.prefixes, stem);
  if (problem) return failure(problem.message, problem.operandIndex);
  const operandSize = statement.prefixes.dataSize ?? statement.codeSize;
  const plan = branchPlan(first, keptWrittenPrefixes(first, statement.prefixes.set), operandSize);
  return 'kind' in plan ? { ok: true, plan } : plan;
}

function planPrepared(statement: Statement): PlanResult {
  const { resolved } = statement;
  const selection = selectCandidates({
    spelling: resolved.spelling,
    operands: statement.operands,
    context: statement.match,
    // A written data16/data32 sets the size GNU as uses when nothing else names one.
    defaultSize: statement.prefixes.dataSize ?? statement.codeSize,
    writtenMnemonic: statement.mnemonic,
    sourceSize: statement.sourceSize,
  });
  if (!selection.ok) return failure(selection.message, selection.operandIndex);
  const jump = planDirectJump(statement, selection.candidates);
  if (jump) return jump;
  const chosen = shortestLayout(selection.candidates, layoutEnvironment(statement));
  if ('ok' in chosen) return chosen;
  const problem = checkStatement(chosen.candidate, statement.prefixes, resolved.spelling.stem);
  if (problem) return failure(problem.message, problem.operandIndex);
  const plan: FixedPlan = { kind: 'fixed', bytes: byteArray(chosen.layout.bytes), holes: chosen.layout.holes };
  return { ok: true, plan };
}

/** The plan for one statement by the full search, or GNU as's complaint. `constants` as in StatementShape. */
export function planStatement(instruction: ParsedInstruction, context: EncodeContext, mnemonic: string, constants: readonly (bigint | undefined)[]): PlanResult {
  const statement = prepareStatement(instruction, context, mnemonic, constants);
  return 'ok' in statement ? statement : planPrepared(statement);
}

/** Encodes one AT&T statement exactly as GNU as 2.40 does in `--32` mode. */
export const encodeInstruction: Encoder = (instruction, context) => encode(instruction, context, true);

/** The same encoding by the full search alone, neither using nor filling the plan memo: the
 *  reference the memo is checked against (bench/encoderMicro.ts). */
export const encodeAfresh: Encoder = (instruction, context) => encode(instruction, context, false);

function encode(instruction: ParsedInstruction, context: EncodeContext, useMemo: boolean): EncodeResult {
  const mnemonic = instruction.mnemonic.toLowerCase();
  if (PREFIX_WORDS.has(mnemonic)) return encodePrefixStatement(instruction, mnemonic);
  const shape = shapeOf(instruction, mnemonic, context);
  const { constants } = shape;
  const key = useMemo ? shape.key : undefined;
  const known = key === undefined ? undefined : rememberedPlan(key);
  if (known) return fillPlan(known, instruction.operands, constants);
  const planned = planStatement(instruction, context, mnemonic, constants);
  if (!planned.ok) return planned;
  if (key !== undefined) rememberPlan(key, planned.plan);
  return fillPlan(planned.plan, instruction.operands, constants);
}
