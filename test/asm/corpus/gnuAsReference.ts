// Runs GNU as (`as --32`) on a list of statements, each behind its own label, and returns per
// statement either GNU as's error or its bytes and relocations. Two runs: the first finds the
// statements GNU as rejects (it writes no object when any line fails), the second assembles the rest.
// Must not know: our encoder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elfSection, readElfObject, type ElfObject } from '../../helpers/elfObjectReader';
import type { CorpusRelocation } from './differentialComparison';

export type GasOutcome =
  | { readonly ok: false; readonly message: string }
  | { readonly ok: true; readonly bytes: Buffer; readonly relocations: readonly CorpusRelocation[] };

/** The corpus label of statement `i`. */
export function corpusLabel(i: number): string {
  return `c${i}`;
}

/** Placeholder in statement texts for "the label of the statement after this one". */
export const NEXT_LABEL = '@next@';

function sourceOf(statements: readonly string[], included: (i: number) => boolean, codeSize: 16 | 32): string {
  const lines: string[] = [codeSize === 16 ? '\t.text; .code16' : '\t.text'];
  statements.forEach((text, i) => {
    const body = included(i) ? text.replace(NEXT_LABEL, corpusLabel(i + 1)) : '';
    lines.push(`${corpusLabel(i)}: ${body}`);
  });
  lines.push(`${corpusLabel(statements.length)}:`);
  return `${lines.join('\n')}\n`;
}

function runAs(dir: string, source: string): { stderr: string; object?: Buffer } {
  const input = join(dir, 'corpus.s');
  const output = join(dir, 'corpus.o');
  writeFileSync(input, source);
  rmSync(output, { force: true });
  const result = spawnSync('as', ['--32', '-o', output, input], { encoding: 'utf8', maxBuffer: 256 << 20 });
  let object: Buffer | undefined;
  try {
    object = readFileSync(output);
  } catch {
    object = undefined;
  }
  return object ? { stderr: result.stderr, object } : { stderr: result.stderr };
}

/** Line (1-based) -> first error message, from GNU as's stderr. */
function errorsByLine(stderr: string): Map<number, string> {
  const errors = new Map<number, string>();
  for (const match of stderr.matchAll(/^[^:\n]+:(\d+): Error: (.*)$/gm)) {
    const line = Number(match[1]);
    if (!errors.has(line)) errors.set(line, match[2]!);
  }
  return errors;
}

export function assembleWithGnuAs(statements: readonly string[], codeSize: 16 | 32 = 32): GasOutcome[] {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-corpus-'));
  try {
    const first = runAs(dir, sourceOf(statements, () => true, codeSize));
    // Statement i is on line i + 2 (line 1 is `.text`).
    const errors = errorsByLine(first.stderr);
    const rejected = (i: number) => errors.get(i + 2);
    const second = errors.size === 0 ? first : runAs(dir, sourceOf(statements, (i) => rejected(i) === undefined, codeSize));
    if (!second.object) throw new Error(`as failed on the accepted statements:\n${second.stderr.slice(0, 2000)}`);
    return cutStatements(readElfObject(second.object), statements.length, rejected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cutStatements(object: ElfObject, count: number, rejected: (i: number) => string | undefined): GasOutcome[] {
  const textSection = elfSection(object, '.text');
  const text = Buffer.from(textSection?.data ?? new Uint8Array(0));
  const addresses = new Map<string, number>();
  for (const symbol of object.symbols) if (symbol.sectionIndex === textSection?.index) addresses.set(symbol.name, symbol.value);
  const relocations = (object.relocations.get('.text') ?? []).map((r) => ({ offset: r.offset, type: r.type, symbol: r.symbol }));
  const outcomes: GasOutcome[] = [];
  for (let i = 0; i < count; i++) {
    const message = rejected(i);
    if (message !== undefined) {
      outcomes.push({ ok: false, message });
      continue;
    }
    const start = addresses.get(corpusLabel(i))!;
    const end = addresses.get(corpusLabel(i + 1))!;
    outcomes.push({
      ok: true,
      bytes: text.subarray(start, end),
      relocations: relocations.filter((r) => r.offset >= start && r.offset < end).map((r) => ({ ...r, offset: r.offset - start })),
    });
  }
  return outcomes;
}
