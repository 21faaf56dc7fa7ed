// An instruction statement: prefixes written on the same statement (`rep movsl`, `lock xadd`),
// the mnemonic, AT&T operands split on top-level commas, then the encoder, called with GAS's notion
// of "constant now" (numbers and absolute symbols already defined; not labels or forward references).
// The result becomes a fixed item with fixups, a relaxable branch, or a prefix-only item.
// Must not know: encodings (the injected Encoder), layout. Models GAS manual §9.16 (i386 syntax,
// §9.16.4 prefixes).
import type { GasContext, Statement } from './gasContext';
import type { Operand, ParsedInstruction } from '../instructionSyntax';
import type { EncodeContext } from '../encoder/encoderContract';
import type { ItemFixup } from '../layout/sectionItems';
import { isBlank, isNameStart, StatementCursor } from './statementCursor';
import { parseExpression } from './expressionParser';
import { snapshotExpr } from './exprSnapshot';
import { isConstant } from './expressionEvaluator';
import { parseOperand, type RangeExpressionParser } from './operandParser';
import { readCharacterConstant } from './stringLiterals';

const NO_FIXUPS: readonly ItemFixup[] = Object.freeze([]);
const PREFIXES = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'data16', 'data32', 'addr16', 'addr32', 'cs', 'ds', 'es', 'fs', 'gs', 'ss']);

/** Top-level comma positions split [start, end) into operand ranges. */
function splitOperands(text: string, start: number, end: number): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === "'") i = (readCharacterConstant(text, i, end)?.next ?? end) - 1;
    else if (c === ',' && depth === 0) {
      ranges.push([from, i]);
      from = i + 1;
    }
  }
  ranges.push([from, end]);
  return ranges;
}

function rangeExpression(ctx: GasContext, text: string): RangeExpressionParser {
  return (start, end) => {
    const cursor = new StatementCursor(text, start, end);
    const parsed = parseExpression(cursor, { localLabel: (label, direction) => ctx.symbols.numericReference(label, direction) });
    if (!parsed.ok) return parsed.error;
    if (!cursor.atEnd()) return { offset: cursor.pos, message: `junk \`${cursor.text.slice(cursor.pos, end)}' after expression` };
    return snapshotExpr(parsed.expr, ctx.symbols, () => ctx.position());
  };
}

function readPrefixesAndMnemonic(statement: Statement, cursor: StatementCursor): { prefixes: string[]; mnemonic: string } {
  const prefixes: string[] = [];
  let mnemonic = statement.word.toLowerCase();
  for (;;) {
    if (!PREFIXES.has(mnemonic)) break;
    const save = cursor.pos;
    cursor.skipBlanks();
    if (!isNameStart(cursor.peek())) {
      cursor.pos = save;
      break;
    }
    const next = cursor.readName()!;
    prefixes.push(mnemonic);
    mnemonic = next.toLowerCase();
  }
  return { prefixes, mnemonic };
}

export function assembleInstruction(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  const { prefixes, mnemonic } = readPrefixesAndMnemonic(statement, cursor);
  const text = statement.line.text;
  if (cursor.pos < cursor.end && !isBlank(text[cursor.pos]) && text[cursor.pos] !== '*') {
    ctx.error(statement.line, statement.wordStart, `no such instruction: \`${text.slice(statement.wordStart, statement.end).trim()}'`);
    return;
  }
  const operands: Operand[] = [];
  const operandStarts: number[] = [];
  if (!cursor.atEnd()) {
    const parse = rangeExpression(ctx, text);
    for (const [start, end] of splitOperands(text, cursor.pos, cursor.end)) {
      const result = parseOperand(text, start, end, parse);
      if (!result.ok) return void ctx.error(statement.line, result.offset, result.message);
      operands.push(result.operand);
      operandStarts.push(new StatementCursor(text, start, end).restOffset());
    }
  }
  const placed = ctx.locate(statement.line, statement.wordStart);
  const instruction: ParsedInstruction = {
    mnemonic, prefixes, operands, location: placed.location, expansion: placed.expansion,
    text: text.slice(statement.wordStart, statement.end).trim(),
  };
  const encodeContext: EncodeContext = {
    codeSize: ctx.codeSize,
    constantValue: (expr) => {
      const now = ctx.evaluateNow(expr);
      return 'value' in now && isConstant(now.value) ? now.value.constant : undefined;
    },
  };
  const result = ctx.encode(instruction, encodeContext);
  if (!result.ok) {
    const at = result.operandIndex !== undefined ? operandStarts[result.operandIndex] : undefined;
    return void ctx.error(statement.line, at ?? statement.wordStart, result.message);
  }
  const encoded = result.instruction;
  if (encoded.branch) {
    ctx.emitVariable({ kind: 'branch', branch: encoded.branch, line: ctx.lineInfo(statement, 'instruction') });
    return;
  }
  const fixups: readonly ItemFixup[] = encoded.fixups.length === 0 ? NO_FIXUPS : encoded.fixups.map((f) => ({ ...f, origin: 'encoder', location: placed.location, expansion: placed.expansion }));
  ctx.emitFixed(statement, encoded.prefixOnly ? 'prefix' : 'instruction', encoded.bytes, fixups);
}
