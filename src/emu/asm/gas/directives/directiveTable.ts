// The pseudo-op table: directive name (lower case, with its dot) -> handler. Handlers return true
// when the rest of the line must be ignored (a block body starts on the next line).
// Must not know: what any directive does (each family lives in its own file).
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { dataDirectives } from './dataDirectives';
import { sectionDirectives } from './sectionDirectives';
import { symbolDirectives } from './symbolDirectives';
import { spaceDirectives } from './spaceDirectives';
import { conditionalDirectives } from './conditionalDirectives';
import { macroDirectives } from './macroDirectives';
import { repeatDirectives } from './repeatDirectives';
import { miscDirectives } from './miscDirectives';

export type DirectiveHandler = (ctx: GasContext, statement: Statement, cursor: StatementCursor) => boolean | void;

let table: Map<string, DirectiveHandler> | undefined;

function directiveTable(): Map<string, DirectiveHandler> {
  table ??= new Map([
    ...dataDirectives, ...sectionDirectives, ...symbolDirectives, ...spaceDirectives,
    ...conditionalDirectives, ...macroDirectives, ...repeatDirectives, ...miscDirectives,
  ]);
  return table;
}

/** Runs the directive named by `statement.word`; undefined when there is no such pseudo-op. */
export function dispatchDirective(ctx: GasContext, statement: Statement, cursor: StatementCursor): boolean | undefined {
  const handler = directiveTable().get(statement.word.toLowerCase());
  if (!handler) return undefined;
  return handler(ctx, statement, cursor) === true;
}

export function isConditionalDirective(name: string): boolean {
  return conditionalDirectives.some(([directive]) => directive === name);
}

/** Every directive name (for completion and documentation). */
export function directiveNames(): string[] {
  return [...directiveTable().keys()].sort();
}
