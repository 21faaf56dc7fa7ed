// Space-making directives: .align/.balign[w|l]/.p2align[w|l] (on i386 ELF `.align N` counts
// bytes; optional fill and maximum skip; NOP padding in code sections when no fill or a 0x90 fill
// is given), .fill, .space/.skip/.zero (variable size when the size is not yet known), .org and
// .nops. The section's alignment is raised even when a maximum skip suppresses the padding.
// Must not know: how padding is computed (layout). Models GAS manual §7 (.align, .balign, .p2align,
// .fill, .space, .skip, .zero, .org, .nops).
import type { Expr } from '../../expression';
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { isConstant } from '../expressionEvaluator';
import { nopPadding } from '../../layout/nopPadding';
import { writeLittleEndian } from './dataDirectives';
import type { DirectiveHandler } from './directiveTable';

const MAX_BLOCK = 256 * 1024 * 1024;

/** Reads up to `count` comma-separated optional absolute arguments (`.p2align 4,,7`). */
function optionalArguments(ctx: GasContext, statement: Statement, cursor: StatementCursor, count: number, what: string): (bigint | undefined)[] | undefined {
  const values: (bigint | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    cursor.skipBlanks();
    if (i > 0 && !cursor.eat(',')) break;
    cursor.skipBlanks();
    if (cursor.peek() === ',' || cursor.peek() === undefined) {
      values.push(undefined);
      continue;
    }
    const value = ctx.parseAbsolute(statement, cursor, what);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return ctx.expectEnd(statement, cursor) ? values : undefined;
}

function align(mode: 'bytes' | 'power', fillSize: 1 | 2 | 4): DirectiveHandler {
  return (ctx, statement, cursor) => {
    const args = optionalArguments(ctx, statement, cursor, 3, `the ${statement.word} argument`);
    if (!args) return;
    const [amount = 0n, fill, maxSkip = 0n] = args;
    let bytes: number;
    if (mode === 'power') {
      if (amount > 31n || amount < 0n) return void ctx.error(statement.line, statement.wordStart, `alignment too large: ${amount} is more than 31`);
      bytes = 2 ** Number(amount);
    } else {
      if (amount < 0n || amount > 0x80000000n || (amount & (amount - 1n)) !== 0n) return void ctx.error(statement.line, statement.wordStart, `alignment not a power of 2: ${amount}`);
      bytes = amount === 0n ? 1 : Number(amount);
    }
    const section = ctx.sections.current;
    section.recordAlignment(bytes);
    const code = section.flags.exec;
    let pattern: Uint8Array | null;
    if (fill === undefined) pattern = code ? null : new Uint8Array(fillSize);
    else if (fillSize === 1 && code && BigInt.asUintN(8, fill) === 0x90n) pattern = null;
    else {
      pattern = new Uint8Array(fillSize);
      writeLittleEndian(pattern, 0, fillSize, fill);
    }
    ctx.emitVariable({ kind: 'align', alignment: bytes, fill: pattern, maxSkip: Number(maxSkip < 0n ? 0n : maxSkip), line: ctx.lineInfo(statement, 'padding') });
  };
}

function fill(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  const args = optionalArguments(ctx, statement, cursor, 3, 'the .fill argument');
  if (!args) return;
  const [repeat = 0n, requestedSize = 1n, value = 0n] = args;
  if (repeat < 0n) return void ctx.warning(statement.line, statement.wordStart, 'repeat < 0; .fill ignored');
  let size = Number(requestedSize < 0n ? 0n : requestedSize);
  if (size > 8) {
    ctx.warning(statement.line, statement.wordStart, `.fill size clamped to 8`);
    size = 8;
  }
  if (repeat * BigInt(size) > BigInt(MAX_BLOCK)) return void ctx.error(statement.line, statement.wordStart, `.fill of ${repeat * BigInt(size)} bytes is too large (limit ${MAX_BLOCK})`);
  const element = new Uint8Array(size);
  writeLittleEndian(element, 0, Math.min(size, 4), value);
  const bytes = new Uint8Array(Number(repeat) * size);
  if (element.some((b) => b !== 0)) for (let i = 0; i < bytes.length; i += size) bytes.set(element, i);
  ctx.emitFixed(statement, 'data', bytes);
}

function space(ctx: GasContext, statement: Statement, cursor: StatementCursor, allowFill: boolean): void {
  const at = cursor.restOffset();
  const size = ctx.parseExpression(statement, cursor);
  if (!size) return;
  let fillValue = 0n;
  cursor.skipBlanks();
  if (allowFill && cursor.eat(',')) {
    const parsed = ctx.parseAbsolute(statement, cursor, `the ${statement.word} fill value`);
    if (parsed === undefined) return;
    fillValue = parsed;
  }
  if (!ctx.expectEnd(statement, cursor)) return;
  const now = ctx.evaluateNow(size, { line: statement.line, offset: at });
  if ('error' in now) return void ctx.error(statement.line, at, now.error);
  const fillByte = Number(BigInt.asUintN(8, fillValue));
  if (!isConstant(now.value)) {
    ctx.emitVariable({ kind: 'space', size, fill: fillByte, line: ctx.lineInfo(statement, 'data') });
    return;
  }
  const count = now.value.constant;
  if (count < 0n) return void ctx.warning(statement.line, at, `${statement.word} repeat count is negative, ignored`);
  if (count > BigInt(MAX_BLOCK)) return void ctx.error(statement.line, at, `${statement.word} of ${count} bytes is too large (limit ${MAX_BLOCK})`);
  const bytes = new Uint8Array(Number(count));
  if (fillByte) bytes.fill(fillByte);
  ctx.emitFixed(statement, 'data', bytes);
}

/** `.org target[, fill]` and `. = target`: a variable item; backwards moves are found by layout. */
export function emitOrg(ctx: GasContext, statement: Statement, target: Expr, fill: number): void {
  ctx.emitVariable({ kind: 'org', target, fill, line: ctx.lineInfo(statement, 'padding') });
}

function org(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  const target = ctx.parseExpression(statement, cursor);
  if (!target) return;
  let fillValue = 0n;
  cursor.skipBlanks();
  if (cursor.eat(',')) {
    const parsed = ctx.parseAbsolute(statement, cursor, 'the .org fill value');
    if (parsed === undefined) return;
    fillValue = parsed;
  }
  if (!ctx.expectEnd(statement, cursor)) return;
  emitOrg(ctx, statement, target, Number(BigInt.asUintN(8, fillValue)));
}

function nops(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  const args = optionalArguments(ctx, statement, cursor, 2, 'the .nops argument');
  if (!args) return;
  const [size = 0n, control] = args;
  if (size < 0n || size > BigInt(MAX_BLOCK)) return void ctx.error(statement.line, statement.wordStart, `.nops size ${size} is out of range`);
  ctx.emitFixed(statement, 'padding', nopPadding(Number(size), control === undefined || control <= 0n ? undefined : Number(control)));
}

export const spaceDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.align', align('bytes', 1)], ['.balign', align('bytes', 1)], ['.balignw', align('bytes', 2)], ['.balignl', align('bytes', 4)],
  ['.p2align', align('power', 1)], ['.p2alignw', align('power', 2)], ['.p2alignl', align('power', 4)],
  ['.fill', fill],
  ['.space', (ctx, statement, cursor) => space(ctx, statement, cursor, true)],
  ['.skip', (ctx, statement, cursor) => space(ctx, statement, cursor, true)],
  ['.zero', (ctx, statement, cursor) => space(ctx, statement, cursor, false)],
  ['.org', org],
  ['.nops', nops],
];
