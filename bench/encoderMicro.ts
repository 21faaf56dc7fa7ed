// Encoder micro-benchmark and output recorder (benchmark-only; no test requires it).
//   bench            warm µs per statement over the generated corpus (.code32 and .code16), and the
//                    warm ms to assemble both lguest files with the encoder's share of it;
//   dump FILE        writes every encoder result (corpus in both code sizes, and each statement the
//                    lguest assembly encodes) as text lines, to compare two versions of the encoder;
//   check FILE       encodes the corpus again in several orders (forward, reversed, shuffled, each
//                    twice) so that any memo sees every statement both cold and warm, and compares
//                    each result with FILE.
// Run from the repository root after `node scripts/build.mjs --tests`: node out/bench/encoderMicro.js bench
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Expr } from '../src/emu/asm/expression';
import type { ParsedInstruction } from '../src/emu/asm/instructionSyntax';
import type { EncodeContext, EncodeResult, Encoder } from '../src/emu/asm/encoder/encoderContract';
import { encodeInstruction } from '../src/emu/asm/encoder/encodeInstruction';
import { assembleSource } from '../src/emu/asm/assemble';
import { nodeFileSystem } from '../src/emu/asm/nodeFileSystem';
import { generateCorpus } from '../test/asm/corpus/corpusGenerator';
import { evaluateConstant, parseStatement } from '../test/asm/corpus/attStatementParser';
import { NEXT_LABEL, corpusLabel } from '../test/asm/corpus/gnuAsReference';
import { median, nowSeconds } from './timing';

/** Run from the repository root: the lguest sources sit next to it. */
const lguest = join(process.cwd(), '..', 'shared', 'lguest');
const lguestFiles = [join(lguest, 'switcher.S'), join(lguest, 'i386_head.S')];

function corpusStatements(): ParsedInstruction[] {
  return generateCorpus().map((s, i) => parseStatement(s.text.replace(NEXT_LABEL, corpusLabel(i + 1))));
}

const contexts: Record<16 | 32, EncodeContext> = {
  32: { constantValue: evaluateConstant, codeSize: 32 },
  16: { constantValue: evaluateConstant, codeSize: 16 },
};

function exprText(expr: Expr): string {
  return JSON.stringify(expr, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

const hex = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Every observable part of a result, as one line. */
export function describeResult(result: EncodeResult): string {
  if (!result.ok) return `error ${result.operandIndex ?? '-'} ${result.message}`;
  const { bytes, fixups, branch, prefixOnly } = result.instruction;
  const fixupText = fixups.map((f) => `${f.offset}/${f.size}/${f.pcRelative}/${f.range}/${exprText(f.value)}`).join(' ');
  const branchText = branch
    ? ` branch ${exprText(branch.target)} ${hex(branch.prefixes)} ${hex(branch.shortOpcode)} ${hex(branch.longOpcode)} ${branch.longDisplacementSize ?? '-'}`
    : '';
  return `ok ${hex(bytes)} [${fixupText}]${branchText}${prefixOnly ? ' prefixOnly' : ''} keys=${Object.keys(result.instruction).join(',')}`;
}

function assembleBoth(encoder: Encoder = encodeInstruction): void {
  for (const file of lguestFiles) {
    const module = assembleSource(file, nodeFileSystem, { encoder });
    if (module.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${file} has errors`);
  }
}

function lguestLines(): string[] {
  const lines: string[] = [];
  assembleBoth((instruction, context) => {
    const result = encodeInstruction(instruction, context);
    lines.push(`${instruction.text} => ${describeResult(result)}`);
    return result;
  });
  return lines;
}

function corpusLines(statements: readonly ParsedInstruction[], order: readonly number[]): string[] {
  const lines: string[] = [];
  for (const codeSize of [32, 16] as const) {
    for (const i of order) lines[(codeSize === 32 ? 0 : statements.length) + i] = `${codeSize} ${statements[i]!.text} => ${describeResult(encodeInstruction(statements[i]!, contexts[codeSize]))}`;
  }
  return lines;
}

function timeCorpus(statements: readonly ParsedInstruction[], codeSize: 16 | 32): number {
  const samples: number[] = [];
  for (let round = 0; round < 15; round++) {
    const start = nowSeconds();
    for (const statement of statements) encodeInstruction(statement, contexts[codeSize]);
    samples.push((nowSeconds() - start) / statements.length);
  }
  return median(samples);
}

function bench(): void {
  const statements = corpusStatements();
  for (const codeSize of [32, 16] as const) console.log(`corpus .code${codeSize}: ${(timeCorpus(statements, codeSize) * 1e6).toFixed(2)} µs/statement (${statements.length} statements)`);
  if (!lguestFiles.every((f) => existsSync(f))) return;
  for (let i = 0; i < 50; i++) assembleBoth();
  const totals: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = nowSeconds();
    assembleBoth();
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
  console.log(`lguest both files: ${(median(totals) * 1e3).toFixed(2)} ms warm median; encoder ${(encoderSeconds / 100 * 1e3).toFixed(3)} ms per run (${calls / 100} statements, ${(encoderSeconds / calls * 1e6).toFixed(2)} µs each, timer included)`);
}

function shuffled(n: number, seed: number): number[] {
  const order = [...Array(n).keys()];
  let state = seed;
  for (let i = n - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function check(file: string): void {
  const reference = readFileSync(file, 'utf8').split('\n');
  const statements = corpusStatements();
  const forward = [...statements.keys()];
  const orders = [[...forward].reverse(), forward, shuffled(statements.length, 7), shuffled(statements.length, 99), forward];
  let differences = 0;
  const compare = (lines: readonly string[], offset: number, label: string) => {
    lines.forEach((line, i) => {
      if (line === reference[offset + i]) return;
      if (differences++ < 20) console.log(`${label}: ${line}\n   expected: ${reference[offset + i]}`);
    });
  };
  for (const order of orders) compare(corpusLines(statements, order), 0, 'corpus');
  compare(lguestLines(), statements.length * 2, 'lguest');
  console.log(`${differences} differences over ${orders.length} passes of ${statements.length * 2} corpus results and the lguest statements`);
  if (differences > 0) process.exitCode = 1;
}

const [mode, file] = process.argv.slice(2);
if (mode === 'dump' && file) {
  const statements = corpusStatements();
  writeFileSync(file, [...corpusLines(statements, [...statements.keys()]), ...lguestLines()].join('\n'));
} else if (mode === 'check' && file) {
  check(file);
} else {
  bench();
}
