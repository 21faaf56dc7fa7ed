// Defining symbols: labels (`name:` and numeric `N:`), assignments (`sym = expr`, .set, .equ,
// .equiv; `. = expr` moves the location counter like .org) with GAS's rules: an absolute value is
// taken now and may be redefined, a label may not be redefined, .equiv refuses any redefinition.
// Also the end-of-input checks (unterminated blocks and conditionals).
// Must not know: directive dispatch, layout. Models GAS manual §5.1-§5.2 and §7 (.set/.equ/.equiv).
import type { GasContext, Statement } from './gasContext';
import type { GasLine } from './gasLine';
import type { StatementCursor } from './statementCursor';
import type { BlockCollector } from './blockCollector';
import type { ConditionalStack } from './conditionals';
import { isConstant, type Value } from './expressionEvaluator';
import { epochOfParseTimeRegion } from './symbolValues';
import type { SymbolDefinition } from './symbolTable';
import type { Expr } from '../expression';
import { emitOrg } from './directives/spaceDirectives';

export function defineLabel(ctx: GasContext, line: GasLine, offset: number, name: string, numeric: boolean): void {
  const internalName = numeric ? ctx.symbols.numericDefinition(name) : name;
  const entry = ctx.symbols.get(internalName);
  if (entry.definition) {
    ctx.error(line, offset, `symbol \`${name}' is already defined`);
    return;
  }
  const placed = ctx.locate(line, offset);
  entry.definition = { kind: 'label', position: ctx.position() };
  entry.location = placed.location;
  entry.expansion = placed.expansion;
}

export function assignSymbol(ctx: GasContext, statement: Statement, name: string, nameOffset: number, cursor: StatementCursor, equiv: boolean): void {
  const exprOffset = cursor.restOffset();
  if (cursor.atEnd()) {
    ctx.error(statement.line, exprOffset, `missing expression in assignment to \`${name}'`);
    return;
  }
  const expr = ctx.parseExpression(statement, cursor);
  if (!expr || !ctx.expectEnd(statement, cursor)) return;
  if (name === '.') {
    emitOrg(ctx, statement, expr, 0);
    return;
  }
  const entry = ctx.symbols.get(name);
  const previous = entry.definition;
  if (previous && (equiv || entry.equiv || (previous.kind === 'label' && !previous.assigned))) {
    ctx.error(statement.line, nameOffset, `symbol \`${name}' is already defined`);
    return;
  }
  const result = ctx.evaluateNow(expr, { line: statement.line, offset: exprOffset });
  if ('error' in result) {
    ctx.error(statement.line, exprOffset, result.error);
    return;
  }
  entry.definition = definitionFor(ctx, expr, result.value);
  entry.equiv = equiv;
  const base = expr.kind === 'binary' && (expr.op === '+' || expr.op === '-') && expr.right.kind === 'constant' ? expr.left : expr;
  if (base.kind === 'symbol' && base.name !== name) entry.attributesFrom = base.name;
  const placed = ctx.locate(statement.line, nameOffset);
  entry.location = placed.location;
  entry.expansion = placed.expansion;
  if (entry.definition.kind !== 'absolute') ctx.symbols.assignVersion(entry, entry.definition);
}

/**
 * An absolute value, a label (when the value is already a known place: `x = label + 4`, `x = .`,
 * which also keeps long chains `x2 = x1 + 1` flat), or an expression resolved after layout.
 */
function definitionFor(ctx: GasContext, expr: Expr, value: Value): SymbolDefinition {
  if (isConstant(value)) return { kind: 'absolute', value: value.constant };
  const add = value.add;
  if (add && !value.sub && add.section !== null && add.region !== null) {
    const epoch = epochOfParseTimeRegion(add.region);
    const section = ctx.sections.lookup(add.section);
    if (epoch !== undefined && section) return { kind: 'label', position: section.positionInEpoch(epoch, Number(add.offset + value.constant)), assigned: true };
  }
  return { kind: 'expression', expr };
}

export function finishAssembly(ctx: GasContext, blocks: BlockCollector, conditionals: ConditionalStack): void {
  const open = blocks.takeUnterminated();
  if (open) reportAt(ctx, open.start, `unexpected end of file in ${open.description}: no matching ${open.kind === 'macro' ? '.endm' : '.endr'}`);
  for (const start of conditionals.openBlocks()) reportAt(ctx, start, 'end of file inside conditional: this .if has no matching .endif');
}

function reportAt(ctx: GasContext, placed: import('./gasLine').PlacedLocation, message: string): void {
  const line = { text: '', pieces: [], location: placed.location, frames: placed.expansion };
  ctx.error(line, 0, message);
}
