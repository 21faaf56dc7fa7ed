// The small directives: #error and #warning (C11 §6.10.5; GCC's #warning), #line (§6.10.4),
// #ident/#sccs and the deprecated #assert/#unassert (GCC cpp manual "Other Directives",
// "Obsolete Features"). Owns: their checks and effects. Must not know: the other directives.
import { type DirectiveContext, checkEndOfLine, currentFile, readExpanded, readRaw } from './directiveContext';
import type { PpToken } from './token';

/** `#error text` / `#warning text`: the message is the directive as GCC spells it. */
export function runDiagnosticDirective(context: DirectiveContext, name: PpToken): void {
  let message = `#${name.text}`;
  for (let token = readRaw(context); token.kind !== 'eof'; token = readRaw(context)) message += (token.prevWhite ? ' ' : '') + token.text;
  if (name.text === 'error') context.diagnostics.error(name.location, message, name.expansion);
  else context.diagnostics.warning(name.location, message, name.expansion);
}

/** `#line digit-sequence ["file"]` after expansion: changes __LINE__ and __FILE__ only. */
export function runLine(context: DirectiveContext, name: PpToken): void {
  const number = readExpanded(context);
  if (number.kind !== 'number' || !/^[0-9]+$/.test(number.text)) {
    context.diagnostics.error(number.location, `"${number.text}" after #line is not a positive integer`, number.expansion);
    return;
  }
  const file = currentFile(context);
  const filename = readExpanded(context);
  let presumedName: string | undefined;
  if (filename.kind === 'string') {
    presumedName = filename.text.slice(1, -1).replace(/\\(["\\])/g, '$1');
    checkEndOfLine(context, name.text, true);
  } else if (filename.kind !== 'eof') {
    context.diagnostics.error(filename.location, `"${filename.text}" is not a valid filename`, filename.expansion);
    return;
  }
  if (!file) return;
  const nextLine = file.lexer.endOfLineLocation().line + 1;
  file.lineDelta = Number(number.text) - nextLine;
  if (presumedName !== undefined) file.presumedName = presumedName;
}

/** `#ident "string"` (and #sccs): accepted; nothing is emitted for assembler files. */
export function runIdent(context: DirectiveContext, name: PpToken): void {
  const literal = readRaw(context);
  if (literal.kind !== 'string') {
    context.diagnostics.error(literal.location, `invalid #${name.text} directive`, literal.expansion);
    return;
  }
  checkEndOfLine(context, name.text);
}

/** #assert / #unassert: accepted with GCC's deprecation warning; assertions are not recorded. */
export function runAssert(context: DirectiveContext, name: PpToken): void {
  context.diagnostics.warning(name.location, `#${name.text} is a deprecated GCC extension`, name.expansion);
  const predicate = readRaw(context);
  if (predicate.kind !== 'name') context.diagnostics.error(predicate.location, 'assertion without predicate', predicate.expansion);
}
