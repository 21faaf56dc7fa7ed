// Compares our encoder with GNU as statement by statement: both must accept or both reject, and an
// accepted statement must give the same bytes and the same relocations once our fixups are turned
// into what GNU as writes (an in-place addend, REL relocation against the external symbol) and our
// relaxable branches take the form GNU as picked (short to the next label, near to an external one).
import type { Expr } from '../../../src/emu/asm/expression';
import type { EncodedInstruction, Fixup } from '../../../src/emu/asm/encoder/encoderContract';
import { encodeInstruction } from '../../../src/emu/asm/encoder/encodeInstruction';
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import type { CorpusStatement } from './corpusGenerator';
import { NEXT_LABEL, corpusLabel, type GasOutcome } from './gnuAsReference';
import { evaluateConstant, parseStatement } from './attStatementParser';

export interface Mismatch {
  readonly text: string;
  readonly gas: string;
  readonly ours: string;
}

export interface DifferentialReport {
  readonly statements: number;
  /** Both accepted and the bytes/relocations were compared. */
  readonly comparedBytes: number;
  /** Both rejected. */
  readonly agreedRejections: number;
  /** Both rejected with the same message text. */
  readonly sameMessages: number;
  readonly formsCompared: number;
  readonly mismatches: readonly Mismatch[];
}

interface Expected {
  readonly bytes: number[];
  readonly relocations: CorpusRelocation[];
}

/** `sym`, `sym+k`, `sym-k` or a constant: the symbol ('' for an absolute value) and the addend. */
function symbolAndAddend(expr: Expr): { symbol: string; addend: bigint } {
  const constant = evaluateConstant(expr);
  if (constant !== undefined) return { symbol: '', addend: constant };
  if (expr.kind === 'symbol') return { symbol: expr.name, addend: 0n };
  if (expr.kind === 'binary' && expr.left.kind === 'symbol') {
    const k = evaluateConstant(expr.right) ?? 0n;
    return { symbol: expr.left.name, addend: expr.op === '-' ? -k : k };
  }
  throw new Error('unsupported fixup expression in the corpus');
}

/** A relocation as the comparison sees it (type by its ELF name, e.g. R_386_PC32). */
export interface CorpusRelocation {
  readonly offset: number;
  readonly type: string;
  readonly symbol: string;
}

const RELOCATION_TYPES: Readonly<Record<string, string>> = {
  '4': 'R_386_32', '4pc': 'R_386_PC32', '2': 'R_386_16', '2pc': 'R_386_PC16', '1': 'R_386_8', '1pc': 'R_386_PC8',
};

function applyFixup(bytes: number[], fixup: Fixup, nextLabel: string, relocations: CorpusRelocation[]): void {
  const { symbol, addend } = symbolAndAddend(fixup.value);
  let value: bigint;
  if (symbol === nextLabel) {
    value = BigInt(bytes.length - (fixup.offset + fixup.size)) + addend;
  } else {
    value = addend - (fixup.pcRelative ? BigInt(fixup.size) : 0n);
    relocations.push({ offset: fixup.offset, type: RELOCATION_TYPES[`${fixup.size}${fixup.pcRelative ? 'pc' : ''}`]!, symbol });
  }
  let v = BigInt.asUintN(fixup.size * 8, value);
  for (let i = 0; i < fixup.size; i++, v >>= 8n) bytes[fixup.offset + i] = Number(v & 0xffn);
}

function expectedFrom(instruction: EncodedInstruction, nextLabel: string): Expected {
  const branch = instruction.branch;
  if (branch) {
    const target = symbolAndAddend(branch.target);
    if (target.symbol === nextLabel) return { bytes: [...branch.prefixes, ...branch.shortOpcode, 0], relocations: [] };
    const size = branch.longDisplacementSize ?? 4;
    const bytes = [...branch.prefixes, ...branch.longOpcode, ...new Array<number>(size).fill(0)];
    const relocations: CorpusRelocation[] = [];
    applyFixup(bytes, { offset: bytes.length - size, size, pcRelative: true, range: 'signed', value: branch.target }, nextLabel, relocations);
    return { bytes, relocations };
  }
  const bytes = [...instruction.bytes];
  const relocations: CorpusRelocation[] = [];
  for (const fixup of instruction.fixups) applyFixup(bytes, fixup, nextLabel, relocations);
  return { bytes, relocations };
}

const hex = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const relocationText = (r: readonly CorpusRelocation[]) => r.map((x) => `@${x.offset}:${x.type}:${x.symbol}`).sort().join(' ');

function describeOurs(text: string, index: number, codeSize: 16 | 32): { ok: true; expected: Expected } | { ok: false; message: string } {
  const nextLabel = corpusLabel(index + 1);
  const parsed = parseStatement(text.replace(NEXT_LABEL, nextLabel));
  const result = encodeInstruction(parsed, { constantValue: evaluateConstant, codeSize });
  if (!result.ok) return { ok: false, message: result.message };
  return { ok: true, expected: expectedFrom(result.instruction, nextLabel) };
}

export function compareWithGnuAs(corpus: readonly CorpusStatement[], outcomes: readonly GasOutcome[], codeSize: 16 | 32 = 32): DifferentialReport {
  const mismatches: Mismatch[] = [];
  const forms = new Set<InstructionForm>();
  let comparedBytes = 0;
  let agreedRejections = 0;
  let sameMessages = 0;
  corpus.forEach((statement, i) => {
    const gas = outcomes[i]!;
    const ours = describeOurs(statement.text, i, codeSize);
    if (!gas.ok && !ours.ok) {
      agreedRejections++;
      if (gas.message.startsWith(ours.message) || ours.message === gas.message) sameMessages++;
      return;
    }
    if (!gas.ok || !ours.ok) {
      const gasText = gas.ok ? `accepted: ${hex(gas.bytes)}` : `error: ${gas.message}`;
      const ourText = ours.ok ? `accepted: ${hex(ours.expected.bytes)}` : `error: ${ours.message}`;
      mismatches.push({ text: statement.text, gas: gasText, ours: ourText });
      return;
    }
    comparedBytes++;
    if (statement.form) forms.add(statement.form);
    const gasLine = `${hex(gas.bytes)} ${relocationText(gas.relocations)}`;
    const ourLine = `${hex(ours.expected.bytes)} ${relocationText(ours.expected.relocations)}`;
    if (gasLine !== ourLine) mismatches.push({ text: statement.text, gas: gasLine, ours: ourLine });
  });
  return { statements: corpus.length, comparedBytes, agreedRejections, sameMessages, formsCompared: forms.size, mismatches };
}
