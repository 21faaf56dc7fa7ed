// .macro (collects the body until the matching .endm), .endm outside a definition, .exitm,
// .purgem, and the expansion of a macro invocation: arguments bound, body substituted, expansion
// frames {gas-macro, name, site = the invocation} pushed on every produced line.
// Must not know: the main loop. Models GAS manual §7.62 ".macro", ".endm", ".exitm", ".purgem".
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { ArraySource } from '../inputStack';
import { bindArguments, parseMacroHeader, scrubArguments, substituteLine, type MacroDefinition } from '../macros';
import type { ExpansionFrame } from '../../sourceLocation';
import type { DirectiveHandler } from './directiveTable';

function defineMacro(ctx: GasContext, statement: Statement, cursor: StatementCursor): boolean {
  const base = cursor.pos;
  const placed = ctx.locate(statement.line, statement.wordStart);
  const header = parseMacroHeader(cursor.text.slice(base, cursor.end), placed.location);
  if (!header.ok) ctx.error(statement.line, base + header.offset, header.message);
  const name = header.ok ? header.value.name : '(bad macro)';
  ctx.blocks.begin({
    kind: 'macro',
    start: placed,
    description: `macro \`${name}' definition`,
    complete: (body) => {
      if (!header.ok) return;
      if (!ctx.macros.define({ ...header.value, body })) ctx.error(statement.line, statement.wordStart, `Macro \`${name}' was already defined`);
    },
  });
  return true;
}

export function expandMacroInvocation(ctx: GasContext, statement: Statement, cursor: StatementCursor, macro: MacroDefinition): boolean {
  if (!ctx.enterExpansion(statement)) return true;
  const bound = bindArguments(macro, scrubArguments(cursor.text.slice(cursor.pos, cursor.end)));
  if (!bound.ok) {
    ctx.error(statement.line, statement.wordStart, bound.message);
    return false;
  }
  if (!ctx.chargeExpansion(statement, macro.body.length)) return true;
  const placed = ctx.locate(statement.line, statement.wordStart);
  const frame: ExpansionFrame = { kind: 'gas-macro', name: macro.name, site: placed.location };
  const frames = [frame, ...placed.expansion];
  const number = ctx.macros.nextExpansionNumber();
  const lines = macro.body.map((line) => substituteLine(line, bound.value, number, frames));
  ctx.input.push(new ArraySource('macro', lines, undefined, ctx.conditionals.depth));
  return false;
}

const exitMacro: DirectiveHandler = (ctx, statement) => {
  const macro = ctx.input.exitMacro();
  if (!macro) {
    ctx.warning(statement.line, statement.wordStart, 'ignoring macro exit outside a macro definition');
    return;
  }
  ctx.conditionals.truncate(macro.conditionalDepth ?? ctx.conditionals.depth);
  return true;
};

const purgeMacro: DirectiveHandler = (ctx, statement, cursor) => {
  cursor.skipBlanks();
  const at = cursor.pos;
  const name = cursor.readName();
  if (!name) return void ctx.error(statement.line, at, 'expected a macro name after .purgem');
  if (!ctx.macros.purge(name)) ctx.warning(statement.line, at, `Attempt to purge non-existing macro \`${name}'`);
  ctx.expectEnd(statement, cursor);
};

export const macroDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.macro', defineMacro],
  ['.endm', (ctx, statement) => ctx.error(statement.line, statement.wordStart, '.endm encountered without preceding .macro')],
  ['.exitm', exitMacro],
  ['.purgem', purgeMacro],
];
