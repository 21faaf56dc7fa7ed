// Data directives: .byte, .short/.hword/.word/.value/.2byte, .long/.int/.4byte, .quad/.8byte
// (little-endian; constants written now with GAS's truncation warning for 1- and 2-byte fields,
// everything else a fixup resolved after layout) and .ascii/.asciz/.string.
// Must not know: layout, relocations. Models GAS manual §7 (.byte, .word, .long, .quad, .ascii, .asciz).
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import type { ItemFixup } from '../../layout/sectionItems';
import { isConstant } from '../expressionEvaluator';
import { parseStringLiterals } from '../stringLiterals';
import type { DirectiveHandler } from './directiveTable';

/** Writes `value` little-endian into `bytes` at `offset`. */
export function writeLittleEndian(bytes: Uint8Array, offset: number, size: number, value: bigint): void {
  let v = BigInt.asUintN(64, value);
  for (let i = 0; i < size; i++) {
    bytes[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** GAS warns when the dropped high bits are neither all zeros nor the sign of a negative value. */
export function truncationWarning(value: bigint, size: number): string | undefined {
  if (size >= 4) return undefined;
  const mask = BigInt.asUintN(64, ~0n << BigInt(size * 8));
  const unsigned = BigInt.asUintN(64, value);
  if ((unsigned & mask) === 0n || (BigInt.asUintN(64, -value) & mask) === 0n) return undefined;
  const kept = unsigned & ~mask & 0xffffffffffffffffn;
  return `value 0x${unsigned.toString(16)} truncated to 0x${kept.toString(16)}`;
}

function emitIntegers(ctx: GasContext, statement: Statement, cursor: StatementCursor, size: 1 | 2 | 4 | 8): void {
  if (cursor.atEnd()) return;
  const values: { at: number; constant?: bigint; fixup?: ItemFixup }[] = [];
  for (;;) {
    const at = cursor.restOffset();
    const offset = values.length * size;
    const expr = ctx.parseExpression(statement, cursor, offset);
    if (!expr) return;
    const result = ctx.evaluateNow(expr, { line: statement.line, offset: at });
    if ('error' in result) {
      ctx.error(statement.line, at, result.error);
      values.push({ at, constant: 0n });
    } else if (isConstant(result.value)) {
      const warning = truncationWarning(result.value.constant, size);
      if (warning) ctx.warning(statement.line, at, warning);
      values.push({ at, constant: result.value.constant });
    } else {
      const placed = ctx.locate(statement.line, at);
      values.push({ at, fixup: { offset, size, pcRelative: false, range: 'either', value: expr, origin: 'data', location: placed.location, expansion: placed.expansion } });
    }
    cursor.skipBlanks();
    if (!cursor.eat(',')) break;
  }
  if (!ctx.expectEnd(statement, cursor)) return;
  const bytes = new Uint8Array(values.length * size);
  const fixups: ItemFixup[] = [];
  values.forEach((v, index) => {
    if (v.constant !== undefined) writeLittleEndian(bytes, index * size, size, v.constant);
    if (v.fixup) fixups.push(v.fixup);
  });
  ctx.emitFixed(statement, 'data', bytes, fixups);
}

function emitStrings(ctx: GasContext, statement: Statement, cursor: StatementCursor, terminate: boolean): void {
  const bytes: number[] = [];
  if (!cursor.atEnd()) {
    for (;;) {
      const parsed = parseStringLiterals(cursor);
      if (!parsed.ok) {
        ctx.error(statement.line, parsed.offset, parsed.message);
        return;
      }
      for (const b of parsed.bytes) bytes.push(b);
      if (terminate) bytes.push(0);
      cursor.skipBlanks();
      if (!cursor.eat(',')) break;
    }
  }
  if (!ctx.expectEnd(statement, cursor)) return;
  ctx.emitFixed(statement, 'data', Uint8Array.from(bytes));
}

const integers = (size: 1 | 2 | 4 | 8): DirectiveHandler => (ctx, statement, cursor) => emitIntegers(ctx, statement, cursor, size);
const strings = (terminate: boolean): DirectiveHandler => (ctx, statement, cursor) => emitStrings(ctx, statement, cursor, terminate);

export const dataDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.byte', integers(1)],
  ['.short', integers(2)], ['.hword', integers(2)], ['.word', integers(2)], ['.value', integers(2)], ['.2byte', integers(2)],
  ['.long', integers(4)], ['.int', integers(4)], ['.4byte', integers(4)],
  ['.quad', integers(8)], ['.8byte', integers(8)],
  ['.ascii', strings(false)], ['.asciz', strings(true)], ['.string', strings(true)],
];
