// Prepares one statement for matching: resolves the spelling, classifies operands, collects the
// written prefixes and computes what GNU as derives before it looks at templates: the size named by
// the suffix, the size it types immediates with (suffix, else the last general register written,
// else the default), and the per-operand mask it applies to symbolic immediates.
// Owns: that statement-level context. Must not know: rows or byte layout.
// Models GNU as 2.40's AT&T suffix and immediate-size rules.
import type { Expr } from '../expression';
import type { ParsedInstruction } from '../instructionSyntax';
import type { EncodeContext } from './encoderContract';
import { resolveGasMnemonic, type GasSpelling, type ResolvedMnemonic } from './gasMnemonics';
import { IMM16, IMM32, IMM32S, IMM8, IMM8S, symbolicMaskFor } from './immediateTypes';
import { classifyOperands, type ClassifiedMemory, type ClassifiedOperand } from './operandClassification';
import type { MatchContext, PlacedOperand } from './operandMatching';
import { collectPrefixes, type WrittenPrefixes } from './statementChecks';

export interface Statement {
  /** The mnemonic as written, lower case. */
  readonly mnemonic: string;
  readonly resolved: ResolvedMnemonic;
  readonly prefixes: WrittenPrefixes;
  readonly operands: readonly PlacedOperand[];
  readonly implicitMemory?: ClassifiedMemory;
  readonly match: MatchContext;
  readonly codeSize: 16 | 32;
  readonly sourceSize?: 8 | 16;
}

export type StatementFailure = { readonly ok: false; readonly message: string; readonly operandIndex?: number };

export function failure(message: string, operandIndex?: number): StatementFailure {
  return operandIndex === undefined ? { ok: false, message } : { ok: false, message, operandIndex };
}

const IMMEDIATE_TYPES_BY_KIND: Readonly<Record<string, number>> = { Ib: IMM8, sIb: IMM8S, Iw: IMM16, Id: IMM32 | IMM32S, Iv: IMM16 | IMM32 | IMM32S };

/** Per spelling: `count:index` -> immediate types any row allows there (filled lazily, kept). */
const ALLOWED_IMMEDIATES = new WeakMap<GasSpelling, Map<string, number>>();

/** Immediate types any row of the spelling allows at AT&T operand `index` of `count` operands. */
function allowedImmediatesAt(spelling: GasSpelling, index: number, count: number): number {
  let cache = ALLOWED_IMMEDIATES.get(spelling);
  if (!cache) ALLOWED_IMMEDIATES.set(spelling, (cache = new Map()));
  const key = `${count}:${index}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let allowed = 0;
  for (const row of spelling.forms) {
    if (row.operands.length !== count) continue;
    const kind = row.operands[spelling.intelOperandOrder ? index : count - 1 - index]!;
    allowed |= IMMEDIATE_TYPES_BY_KIND[kind] ?? 0;
  }
  cache.set(key, allowed);
  return allowed;
}

/** GNU as types immediates by the suffix, else the last general register written, else the default. */
function guessSize(operands: readonly ClassifiedOperand[], suffixSize: number | undefined, defaultGuess: 16 | 32): 8 | 16 | 32 {
  if (suffixSize === 8 || suffixSize === 16 || suffixSize === 32) return suffixSize;
  for (let i = operands.length - 1; i >= 0; i--) {
    const operand = operands[i]!;
    if (operand.kind !== 'register') continue;
    const cls = operand.register.class;
    if (cls === 'gpr8') return 8;
    if (cls === 'gpr16') return 16;
    if (cls === 'gpr32') return 32;
  }
  return defaultGuess;
}

function matchContextFor(resolved: ResolvedMnemonic, operands: readonly ClassifiedOperand[], prefixes: WrittenPrefixes, codeSize: 16 | 32): MatchContext {
  const { spelling } = resolved;
  const suffixSize = spelling.suffixMeaning === 'operandSize' ? resolved.suffixSize ?? spelling.impliedSize : spelling.impliedSize;
  const suffixLetter = resolved.suffix ?? (spelling.impliedSize !== undefined ? spelling.stem.slice(-1) : undefined);
  const defaultGuess = (codeSize === 16) !== (prefixes.dataSize !== undefined) ? 16 : 32;
  const guess = guessSize(operands, suffixSize, defaultGuess);
  const mask = symbolicMaskFor(guess);
  const symbolicMasks = operands.map((operand, i) =>
    operand.kind === 'immediate' && operand.constant === undefined && (allowedImmediatesAt(spelling, i, operands.length) & mask) !== 0 ? mask : 0);
  const stem = spelling.stem;
  return {
    ...(suffixSize !== undefined ? { suffixSize } : {}),
    ...(suffixLetter !== undefined ? { suffixLetter } : {}),
    guessSize: guess,
    symbolicMasks,
    indirectBranch: stem === 'jmp' || stem === 'call' || stem === 'ljmp' || stem === 'lcall',
    bareIsDirectTarget: stem === 'jmp' || stem === 'call',
  };
}

/** xlat's optional `(%ebx)` operand names only a segment and an address size. */
function splitImplicitMemory(spelling: GasSpelling, operands: readonly ClassifiedOperand[]): { operands: readonly ClassifiedOperand[]; implicitMemory?: ClassifiedMemory } {
  const only = operands[0];
  if (spelling.forms[0]?.op !== 'xlat' || operands.length !== 1 || only?.kind !== 'memory') return { operands };
  const base = only.base?.name;
  if ((base !== 'ebx' && base !== 'bx') || only.index) return { operands };
  return { operands: [], implicitMemory: only };
}

function isStringSpelling(spelling: GasSpelling): boolean {
  return spelling.forms.every((row) => row.rep !== undefined);
}

function countMemoryOperands(operands: readonly ClassifiedOperand[]): number {
  return operands.filter((operand) => operand.kind === 'memory' && operand.base?.name !== 'dx').length;
}

function sourceSizeOf(resolved: ResolvedMnemonic): 8 | 16 | undefined {
  if (resolved.spelling.sourceSize !== undefined) return resolved.spelling.sourceSize;
  if (resolved.spelling.suffixMeaning !== 'sourceSize') return undefined;
  return resolved.suffixSize === 8 || resolved.suffixSize === 16 ? resolved.suffixSize : undefined;
}

/** Everything the encoder needs to know about the statement, or GNU as's complaint about it. */
export function prepareStatement(instruction: ParsedInstruction, context: EncodeContext, mnemonic: string): Statement | StatementFailure {
  const resolution = resolveGasMnemonic(mnemonic, instruction.text);
  if (!resolution.ok) return failure(resolution.message);
  const { resolved } = resolution;
  const { spelling } = resolved;
  if (spelling.operandless && instruction.operands.length > 0) return failure(`number of operands mismatch for \`${spelling.stem}'`);
  const classified = classifyOperands(instruction.operands, (expr: Expr) => context.constantValue(expr));
  if (!classified.ok) return failure(classified.message, classified.operandIndex);
  const collected = collectPrefixes(instruction.prefixes, context.codeSize);
  if (!collected.ok) return failure(collected.message);
  const { operands, implicitMemory } = splitImplicitMemory(spelling, classified.operands);
  if (countMemoryOperands(operands) > 1 && !isStringSpelling(spelling)) return failure(`too many memory references for \`${spelling.stem}'`);
  const sourceSize = sourceSizeOf(resolved);
  return {
    mnemonic,
    resolved,
    prefixes: collected.prefixes,
    operands: operands.map((operand, index) => ({ operand, index })),
    ...(implicitMemory ? { implicitMemory } : {}),
    ...(sourceSize ? { sourceSize } : {}),
    match: matchContextFor(resolved, operands, collected.prefixes, context.codeSize),
    codeSize: context.codeSize,
  };
}
