// Encoder micro-benchmark and memo check (benchmark-only; no test requires it). Run from the
// repository root after `node scripts/build.mjs --tests`:
//   node out/bench/encoderMicro.js [bench]   warm µs per statement: the generated corpus by the full
//       search (encodeAfresh) and through the plan memo; the statements of both lguest files
//       replayed through the memo and by the full search; and the warm ms to assemble both files
//       with the encoder's share of it;
//   node out/bench/encoderMicro.js verify    shows that a statement shape decides the plan: over the
//       corpus, its value variants and the lguest statements (both code sizes), every statement's
//       plan by the full search equals the plan of every other statement with its key, and
//       encoding through the memo (in three orders, so plans are both made and reused) gives exactly
//       what the full search gives, messages included; and that the operand-class pre-check of the
//       search never rules out an operand the per-operand rules accept.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Expr } from '../src/emu/asm/expression';
import type { ParsedInstruction } from '../src/emu/asm/instructionSyntax';
import type { EncodeContext, EncodeResult, Encoder } from '../src/emu/asm/encoder/encoderContract';
import { encodeAfresh, encodeInstruction, planStatement } from '../src/emu/asm/encoder/encodeInstruction';
import { forgetPlans } from '../src/emu/asm/encoder/planMemo';
import { shapeOf } from '../src/emu/asm/encoder/statementShape';
import { prepareStatement } from '../src/emu/asm/encoder/statementContext';
import { FITS, acceptedClasses, matchSlot, operandClassOf } from '../src/emu/asm/encoder/operandMatching';
import type { OperandKind } from '../src/emu/isa/instructionForm';
import { OPERAND_KIND_INFO } from '../src/emu/isa/operandKinds';
import { assembleSource } from '../src/emu/asm/assemble';
import { nodeFileSystem } from '../src/emu/asm/nodeFileSystem';
import { generateCorpus } from '../test/asm/corpus/corpusGenerator';
import { evaluateConstant, parseStatement } from '../test/asm/corpus/attStatementParser';
import { NEXT_LABEL, corpusLabel } from '../test/asm/corpus/gnuAsReference';
import { median, nowSeconds } from './timing';

const lguest = join(process.cwd(), '..', 'shared', 'lguest');
const lguestFiles = [join(lguest, 'switcher.S'), join(lguest, 'i386_head.S')];
const contexts: Record<16 | 32, EncodeContext> = {
  32: { constantValue: evaluateConstant, codeSize: 32 },
  16: { constantValue: evaluateConstant, codeSize: 16 },
};

function corpusTexts(): string[] {
  return generateCorpus().map((s, i) => s.text.replace(NEXT_LABEL, corpusLabel(i + 1)));
}

/** Each statement again with every written number replaced by one value (immediates, displacements). */
function valueVariants(texts: readonly string[]): string[] {
  const values = ['0', '1', '-1', '2', '127', '128', '-128', '-129', '255', '256', '0x7fff', '0x8000', '0xffff', '0x10000', '0x7fffffff', '0x80000000', '0xffffffff', '0x100000000', '-0x80000001'];
  const number = /(\$|^|,|:|\s)(-?(?:0x[0-9a-f]+|\d+))(?=\(|,|$)/gi;
  const hasNumber = new RegExp(number.source, 'i');
  const variants: string[] = [];
  for (const text of texts) {
    const space = text.indexOf(' ');
    if (space < 0 || !hasNumber.test(text.slice(space))) continue;
    for (const value of values) variants.push(text.slice(0, space) + text.slice(space).replace(number, (_, lead: string) => `${lead}${value}`));
  }
  return variants;
}

function parseAll(texts: readonly string[]): ParsedInstruction[] {
  const parsed: ParsedInstruction[] = [];
  for (const text of texts) {
    try {
      parsed.push(parseStatement(text));
    } catch {
      // a variant the corpus parser cannot read
    }
  }
  return parsed;
}

/** The statements (with their contexts) the assembler hands the encoder for both lguest files. */
function lguestCalls(): [ParsedInstruction, EncodeContext][] {
  const calls: [ParsedInstruction, EncodeContext][] = [];
  if (!lguestFiles.every((f) => existsSync(f))) return calls;
  for (const file of lguestFiles) assembleSource(file, nodeFileSystem, { encoder: (s, c) => (calls.push([s, c]), encodeInstruction(s, c)) });
  return calls;
}

/** Median µs per call of `encode` over the calls, after warming up. */
function microseconds(calls: readonly (readonly [ParsedInstruction, EncodeContext])[], encode: Encoder, rounds: number): number {
  for (let i = 0; i < 3; i++) for (const [s, c] of calls) encode(s, c);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = nowSeconds();
    for (const [s, c] of calls) encode(s, c);
    samples.push((nowSeconds() - start) / calls.length);
  }
  return median(samples) * 1e6;
}

function assembleBoth(encoder: Encoder): void {
  for (const file of lguestFiles) {
    const module = assembleSource(file, nodeFileSystem, { encoder });
    if (module.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${file} has errors`);
  }
}

function benchAssembly(): void {
  for (let i = 0; i < 50; i++) assembleBoth(encodeInstruction);
  const totals: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = nowSeconds();
    assembleBoth(encodeInstruction);
    totals.push(nowSeconds() - start);
  }
  let encoderSeconds = 0;
  let calls = 0;
  const timed: Encoder = (instruction, context) => {
    const start = nowSeconds();
    const result = encodeInstruction(instruction, context);
    encoderSeconds += nowSeconds() - start;
    calls++;
    return result;
  };
  for (let i = 0; i < 100; i++) assembleBoth(timed);
  console.log(`lguest, both files assembled: ${(median(totals) * 1e3).toFixed(2)} ms warm median; the encoder ${(encoderSeconds / 100 * 1e3).toFixed(3)} ms of it (${calls / 100} calls, timer included)`);
}

function bench(): void {
  const corpus = parseAll(corpusTexts());
  for (const codeSize of [32, 16] as const) {
    const calls = corpus.map((s) => [s, contexts[codeSize]] as const);
    const afresh = microseconds(calls, encodeAfresh, 9);
    forgetPlans();
    const memo = microseconds(calls, encodeInstruction, 9);
    console.log(`corpus .code${codeSize} (${corpus.length} statements, all of different shapes): full search ${afresh.toFixed(2)} µs/statement; through the memo ${memo.toFixed(2)} µs`);
  }
  forgetPlans(); // as in a process that assembles lguest only: the corpus's shapes filled the memo
  const calls = lguestCalls();
  if (calls.length === 0) return;
  console.log(`lguest statements (${calls.length}) replayed: through the memo ${microseconds(calls, encodeInstruction, 200).toFixed(3)} µs/statement; full search ${microseconds(calls, encodeAfresh, 200).toFixed(3)} µs`);
  benchAssembly();
}

const exprText = (expr: Expr) => JSON.stringify(expr, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
const hex = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Every observable part of a result, as one line. */
function describeResult(result: EncodeResult): string {
  if (!result.ok) return `error ${result.operandIndex ?? '-'} ${result.message}`;
  const { bytes, fixups, branch, prefixOnly } = result.instruction;
  const fixupText = fixups.map((f) => `${f.offset}/${f.size}/${f.pcRelative}/${f.range}/${exprText(f.value)}`).join(' ');
  const branchText = branch ? ` branch ${exprText(branch.target)} ${hex(branch.prefixes)} ${hex(branch.shortOpcode)} ${hex(branch.longOpcode)} ${branch.longDisplacementSize ?? '-'}` : '';
  return `ok ${hex(bytes)} [${fixupText}]${branchText}${prefixOnly ? ' prefixOnly' : ''}`;
}

const planText = (plan: unknown) => JSON.stringify(plan, (_, v) => (v instanceof Uint8Array ? hex(v) : v));

/** Statements sharing a key must share the plan the full search makes (failures make none). */
function checkKeys(calls: readonly (readonly [ParsedInstruction, EncodeContext])[]): { keys: number; shared: number; differences: number } {
  const plans = new Map<string, string>();
  let shared = 0;
  let differences = 0;
  for (const [s, c] of calls) {
    const mnemonic = s.mnemonic.toLowerCase();
    const { key, constants } = shapeOf(s, mnemonic, c);
    const planned = planStatement(s, c, mnemonic, constants);
    if (key === undefined || !planned.ok) continue;
    const text = planText(planned.plan);
    const known = plans.get(key);
    if (known === undefined) plans.set(key, text);
    else if (known === text) shared++;
    else if (differences++ < 10) console.log(`key ${key}: ${s.text} plans ${text}, another statement ${known}`);
  }
  return { keys: plans.size, shared, differences };
}

function shuffled<T>(items: readonly T[]): T[] {
  const result = [...items];
  let state = 12345;
  for (let i = result.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/** Through the memo, in three orders, every result equals the full search's. */
function checkMemo(calls: readonly (readonly [ParsedInstruction, EncodeContext])[]): number {
  let differences = 0;
  forgetPlans();
  for (const order of [calls, [...calls].reverse(), shuffled(calls)]) {
    for (const [s, c] of order) {
      const memo = describeResult(encodeInstruction(s, c));
      const afresh = describeResult(encodeAfresh(s, c));
      if (memo !== afresh && differences++ < 10) console.log(`${c.codeSize} ${s.text}\n  memo:   ${memo}\n  afresh: ${afresh}`);
    }
  }
  return differences;
}

/** acceptedClasses(kind) holds the class of every operand matchSlot accepts for the kind. */
function checkClasses(calls: readonly (readonly [ParsedInstruction, EncodeContext])[]): { checks: number; misses: number } {
  const kinds = Object.keys(OPERAND_KIND_INFO) as OperandKind[];
  let checks = 0;
  let misses = 0;
  for (const [s, c] of calls) {
    const mnemonic = s.mnemonic.toLowerCase();
    const statement = prepareStatement(s, c, mnemonic, shapeOf(s, mnemonic, c).constants);
    if ('ok' in statement) continue;
    for (const placed of statement.operands) {
      for (const kind of kinds) {
        for (const size of [16, 32, undefined] as const) {
          for (const primary of [true, false]) {
            checks++;
            if (matchSlot([kind], 0, placed, size, primary, statement.match) === FITS && (acceptedClasses(kind) & operandClassOf(placed.operand)) === 0 && misses++ < 10) {
              console.log(`${kind} accepts operand ${placed.index + 1} of ${s.text} but not its class`);
            }
          }
        }
      }
    }
  }
  return { checks, misses };
}

function verify(): void {
  const texts = corpusTexts();
  const statements = parseAll([...texts, ...valueVariants(texts)]);
  const calls = [...statements.flatMap((s) => [[s, contexts[32]] as const, [s, contexts[16]] as const]), ...lguestCalls()];
  const keys = checkKeys(calls);
  console.log(`${calls.length} statements: ${keys.keys} shapes planned, ${keys.shared} statements reusing a shape's plan, ${keys.differences} plan differences within a shape`);
  const memo = checkMemo(calls);
  console.log(`memo against full search, three orders: ${memo} differences`);
  const classes = checkClasses(calls.filter((_, i) => i % 7 === 0));
  console.log(`operand-class pre-check: ${classes.checks} (kind, operand, size) checks, ${classes.misses} operands accepted by the rules but not by the pre-check`);
  if (keys.differences + memo + classes.misses > 0) process.exitCode = 1;
}

if (process.argv[2] === 'verify') verify();
else bench();
