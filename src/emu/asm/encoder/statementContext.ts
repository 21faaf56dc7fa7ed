// Prepares one statement for matching: resolves the spelling, classifies operands, collects the
// written prefixes and computes what GNU as derives before it looks at templates: the size named by
// the suffix, the size it types immediates with (suffix, else the last general register written,
// else the default), the per-operand mask it applies to symbolic immediates, and from those each
// operand's immediate types and coarse class, computed once for all the rows tried.
// Owns: that statement-level context. Must not know: rows or byte layout.
// Models GNU as 2.40's AT&T suffix and immediate-size rules.
import type { ParsedInstruction } from '../instructionSyntax';
import type { EncodeContext } from './encoderContract';
import { GAS_SPELLINGS, resolveGasMnemonic, type GasSpelling, type ResolvedMnemonic } from './gasMnemonics';
import { IMM16, IMM32, IMM32S, IMM8, IMM8S, symbolicMaskFor } from './immediateTypes';
import { classifyOperands, type ClassifiedMemory, type ClassifiedOperand } from './operandClassification';
import { immediateTypesFor, operandClassOf, type MatchContext, type PlacedOperand } from './operandMatching';
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

/** Immediate types any row of the spelling allows, by operand count and AT&T index (count * 4 + index). */
function allowedImmediatesOf(spelling: GasSpelling): number[] {
  const allowed: number[] = [];
  for (const row of spelling.forms) {
    const count = row.operands.length;
    for (let index = 0; index < count; index++) {
      const kind = row.operands[spelling.intelOperandOrder ? index : count - 1 - index]!;
      allowed[count * 4 + index] = (allowed[count * 4 + index] ?? 0) | (IMMEDIATE_TYPES_BY_KIND[kind] ?? 0);
    }
  }
  return allowed;
}

const ALLOWED_IMMEDIATES: ReadonlyMap<GasSpelling, readonly number[]> = new Map([...GAS_SPELLINGS.values()].map((spelling) => [spelling, allowedImmediatesOf(spelling)]));

/** Immediate types any row of the spelling allows at AT&T operand `index` of `count` operands. */
function allowedImmediatesAt(spelling: GasSpelling, index: number, count: number): number {
  return (ALLOWED_IMMEDIATES.get(spelling) ?? allowedImmediatesOf(spelling))[count * 4 + index] ?? 0;
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
  const symbolicMasks: number[] = [];
  const immediateTypes: number[] = [];
  const operandClasses: number[] = [];
  for (let i = 0; i < operands.length; i++) {
    const operand = operands[i]!;
    const symbolic = operand.kind === 'immediate' && operand.constant === undefined;
    symbolicMasks.push(symbolic && (allowedImmediatesAt(spelling, i, operands.length) & mask) !== 0 ? mask : 0);
    immediateTypes.push(immediateTypesFor(operand, symbolicMasks[i]!, guess));
    operandClasses.push(operandClassOf(operand));
  }
  const stem = spelling.stem;
  return {
    suffixSize,
    suffixLetter,
    guessSize: guess,
    symbolicMasks,
    immediateTypes,
    operandClasses,
    indirectBranch: stem === 'jmp' || stem === 'call' || stem === 'ljmp' || stem === 'lcall',
    bareIsDirectTarget: stem === 'jmp' || stem === 'call',
  };
}

/** xlat's optional `(%ebx)` operand, which names only a segment and an address size; else undefined. */
function implicitMemoryOf(spelling: GasSpelling, operands: readonly ClassifiedOperand[]): ClassifiedMemory | undefined {
  const only = operands[0];
  if (spelling.forms[0]?.op !== 'xlat' || operands.length !== 1 || only?.kind !== 'memory') return undefined;
  const base = only.base?.name;
  return (base !== 'ebx' && base !== 'bx') || only.index ? undefined : only;
}

function isStringSpelling(spelling: GasSpelling): boolean {
  return spelling.forms.every((row) => row.rep !== undefined);
}

function countMemoryOperands(operands: readonly ClassifiedOperand[]): number {
  let count = 0;
  for (const operand of operands) if (operand.kind === 'memory' && operand.base?.name !== 'dx') count++;
  return count;
}

const NO_OPERANDS: readonly ClassifiedOperand[] = [];

function placed(operands: readonly ClassifiedOperand[]): PlacedOperand[] {
  const result: PlacedOperand[] = [];
  for (let index = 0; index < operands.length; index++) result.push({ operand: operands[index]!, index });
  return result;
}

function sourceSizeOf(resolved: ResolvedMnemonic): 8 | 16 | undefined {
  if (resolved.spelling.sourceSize !== undefined) return resolved.spelling.sourceSize;
  if (resolved.spelling.suffixMeaning !== 'sourceSize') return undefined;
  return resolved.suffixSize === 8 || resolved.suffixSize === 16 ? resolved.suffixSize : undefined;
}

/** Everything the encoder needs to know about the statement, or GNU as's complaint about it. */
export function prepareStatement(instruction: ParsedInstruction, context: EncodeContext, mnemonic: string, constants: readonly (bigint | undefined)[]): Statement | StatementFailure {
  const resolution = resolveGasMnemonic(mnemonic, instruction.text);
  if (!resolution.ok) return failure(resolution.message);
  const { resolved } = resolution;
  const { spelling } = resolved;
  if (spelling.operandless && instruction.operands.length > 0) return failure(`number of operands mismatch for \`${spelling.stem}'`);
  const classified = classifyOperands(instruction.operands, constants);
  if (!classified.ok) return failure(classified.message, classified.operandIndex);
  const collected = collectPrefixes(instruction.prefixes, context.codeSize);
  if (!collected.ok) return failure(collected.message);
  const implicitMemory = implicitMemoryOf(spelling, classified.operands);
  const operands = implicitMemory ? NO_OPERANDS : classified.operands;
  if (countMemoryOperands(operands) > 1 && !isStringSpelling(spelling)) return failure(`too many memory references for \`${spelling.stem}'`);
  return {
    mnemonic,
    resolved,
    prefixes: collected.prefixes,
    operands: placed(operands),
    implicitMemory,
    sourceSize: sourceSizeOf(resolved),
    match: matchContextFor(resolved, operands, collected.prefixes, context.codeSize),
    codeSize: context.codeSize,
  };
}
