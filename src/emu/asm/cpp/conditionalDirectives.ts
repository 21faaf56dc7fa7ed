// Conditional inclusion (C11 §6.10.1; GCC's do_if/do_ifdef/do_elif/do_else/do_endif):
// #if, #ifdef, #ifndef, #elif, #elifdef, #elifndef, #else, #endif. Groups nest per file; a
// file that ends with a group open is an error at the group's directive. Inside a dead group,
// conditions are not evaluated and nothing but the nesting is checked.
// Owns: the conditional stack semantics. Must not know: how expressions are evaluated inside.
import { evaluateCondition } from './conditionalExpression';
import { type DirectiveContext, checkEndOfLine, currentFile, readExpanded, readHeaderSpec, readHeaderToken, readRaw } from './directiveContext';
import { checkMacroName } from './defineParser';
import type { PpToken } from './token';
import type { ConditionalFrame, OpenFile } from './tokenSource';

export const CONDITIONAL_DIRECTIVES = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif']);

export function runConditionalDirective(context: DirectiveContext, name: PpToken): void {
  switch (name.text) {
    case 'if':
    case 'ifdef':
    case 'ifndef':
      return openGroup(context, name);
    case 'elif':
    case 'elifdef':
    case 'elifndef':
      return elseIfGroup(context, name);
    case 'else':
      return elseGroup(context, name);
    default:
      return endGroup(context, name);
  }
}

function openGroup(context: DirectiveContext, name: PpToken): void {
  const wasSkipping = context.state.skipping;
  const take = wasSkipping ? false : testCondition(context, name);
  pushFrame(context, { directive: name.text, location: name.location, wasSkipping, skipElses: wasSkipping || take, sawElse: false });
  context.state.skipping = !take;
}

function elseIfGroup(context: DirectiveContext, name: PpToken): void {
  const frame = topFrame(context, name);
  if (!frame) return;
  if (frame.sawElse) reportAfterElse(context, name, frame);
  frame.directive = name.text;
  if (frame.skipElses) {
    context.state.skipping = true;
    return;
  }
  const take = testCondition(context, name);
  frame.skipElses = take;
  context.state.skipping = !take;
}

function elseGroup(context: DirectiveContext, name: PpToken): void {
  const frame = topFrame(context, name);
  if (!frame) return;
  if (frame.sawElse) reportAfterElse(context, name, frame);
  frame.sawElse = true;
  frame.directive = 'else';
  context.state.skipping = frame.skipElses;
  frame.skipElses = true;
  if (!frame.wasSkipping) checkEndOfLine(context, 'else');
}

function endGroup(context: DirectiveContext, name: PpToken): void {
  const frame = topFrame(context, name);
  if (!frame) return;
  currentFile(context)!.conditionals.pop();
  context.state.skipping = frame.wasSkipping;
  if (!frame.wasSkipping) checkEndOfLine(context, 'endif');
}

/** The condition of #if/#elif (expression) or #ifdef/#ifndef/#elifdef/#elifndef (a name). */
function testCondition(context: DirectiveContext, name: PpToken): boolean {
  if (name.text === 'if' || name.text === 'elif') return evaluateCondition(expressionHost(context), name);
  const macroName = readRaw(context);
  if (!checkMacroName(macroName, name.text, context.diagnostics)) return false;
  checkEndOfLine(context, name.text);
  const defined = isDefined(context, macroName.text);
  return name.text.endsWith('ndef') ? !defined : defined;
}

export function isDefined(context: DirectiveContext, name: string): boolean {
  return context.macros.has(name) || name === '__has_include' || name === '__has_include_next';
}

function expressionHost(context: DirectiveContext) {
  return {
    next: () => readExpanded(context),
    nextUnexpanded: () => {
      context.state.preventExpansion++;
      try {
        return readExpanded(context);
      } finally {
        context.state.preventExpansion--;
      }
    },
    isDefined: (name: string) => isDefined(context, name),
    hasInclude: (operator: PpToken) => hasInclude(context, operator),
    diagnostics: context.diagnostics,
  };
}

/** `__has_include ( header-name )` (C2x §6.10.1; GCC's parse_has_include). */
function hasInclude(context: DirectiveContext, operator: PpToken): boolean | undefined {
  const open = readExpanded(context);
  if (!open.is('(')) return reportHasInclude(context, open, `missing '(' before "${operator.text}" operand`);
  const header = readHeaderToken(context);
  const spec = readHeaderSpec(context, header);
  if (!spec) return reportHasInclude(context, header, `operator "${operator.text}" requires a header-name`);
  const close = readExpanded(context);
  if (!close.is(')')) return reportHasInclude(context, close, `missing ')' after "${operator.text}" operand`);
  const file = currentFile(context);
  const next = operator.text === '__has_include_next' && file ? file.foundInPath : undefined;
  return context.resolver.resolve({ ...spec, includer: file?.path ?? '', ...(next === undefined ? {} : { nextAfter: next }) }) !== undefined;
}

function reportHasInclude(context: DirectiveContext, token: PpToken, message: string): undefined {
  context.diagnostics.error(token.location, message, token.expansion);
  return undefined;
}

function pushFrame(context: DirectiveContext, frame: ConditionalFrame): void {
  currentFile(context)!.conditionals.push(frame);
}

function topFrame(context: DirectiveContext, name: PpToken): ConditionalFrame | undefined {
  const frames = currentFile(context)!.conditionals;
  const frame = frames[frames.length - 1];
  if (!frame) context.diagnostics.error(name.location, `#${name.text} without #if`, name.expansion);
  return frame;
}

function reportAfterElse(context: DirectiveContext, name: PpToken, frame: ConditionalFrame): void {
  context.diagnostics.error(name.location, `#${name.text} after #else`, name.expansion);
  context.diagnostics.report({ severity: 'note', message: 'the conditional began here', location: frame.location });
}

/** A file ended: every group it left open is an error at the directive that opened it. */
export function reportUnterminatedGroups(context: DirectiveContext, file: OpenFile): void {
  const outermost = file.conditionals[0];
  for (const frame of file.conditionals) {
    context.diagnostics.error(frame.location, `unterminated #${frame.directive}`, file.expansion);
  }
  if (outermost) context.state.skipping = outermost.wasSkipping;
  file.conditionals.length = 0;
}
