// Directive dispatch (C11 §6.10; GCC's _cpp_handle_directive) in assembler-with-cpp mode: a `#`
// line whose name is not a directive (`# comment`, `#APP`, `# 33 "x"`) is assembler text and
// passes through with its macros expanded; in a skipped group only conditionals are looked at.
// A directive met while a macro's arguments are being collected runs normally (as in GCC).
// Owns: recognizing a directive line and running its handler with the line's state set up.
// Must not know: what the handlers do.
import { CONDITIONAL_DIRECTIVES, runConditionalDirective } from './conditionalDirectives';
import { type AfterDirective, type DirectiveContext, readRaw } from './directiveContext';
import { runInclude } from './includeDirectives';
import { runDefine, runUndef } from './macroDirectives';
import { runAssert, runDiagnosticDirective, runIdent, runLine } from './miscDirectives';
import { runPragma } from './pragmaDirectives';
import type { PpToken } from './token';

type DirectiveHandler = (context: DirectiveContext, hash: PpToken, name: PpToken) => AfterDirective;

const HANDLERS: ReadonlyMap<string, DirectiveHandler> = new Map<string, DirectiveHandler>([
  ['define', (context) => runDefine(context)],
  ['undef', (context) => runUndef(context)],
  ['include', runInclude],
  ['include_next', runInclude],
  ['import', runInclude],
  ['line', (context, _hash, name) => runLine(context, name)],
  ['error', (context, _hash, name) => runDiagnosticDirective(context, name)],
  ['warning', (context, _hash, name) => runDiagnosticDirective(context, name)],
  ['pragma', (context, _hash, name) => runPragma(context, readLine(context), name)],
  ['ident', (context, _hash, name) => runIdent(context, name)],
  ['sccs', (context, _hash, name) => runIdent(context, name)],
  ['assert', (context, _hash, name) => runAssert(context, name)],
  ['unassert', (context, _hash, name) => runAssert(context, name)],
  ...[...CONDITIONAL_DIRECTIVES].map((name): [string, DirectiveHandler] => [name, (context, _hash, token) => runConditionalDirective(context, token)]),
]);

/** Handles the line whose `#` was just read; false when it is assembler text after all. */
export function handleDirective(context: DirectiveContext, hash: PpToken): boolean {
  const state = context.state;
  const saved = { parsingArgs: state.parsingArgs, preventExpansion: state.preventExpansion };
  const depth = context.expander.depth;
  state.inDirective = true;
  state.parsingArgs = 0;
  state.preventExpansion = 0;
  let name: PpToken | undefined;
  let handled = true;
  let after: AfterDirective = undefined;
  try {
    name = readRaw(context);
    const handler = name.kind === 'name' ? HANDLERS.get(name.text) : undefined;
    if (handler) {
      if (!state.skipping || CONDITIONAL_DIRECTIVES.has(name.text)) after = handler(context, hash, name);
    } else if (name.kind !== 'eof' && !state.skipping) {
      handled = false;
    }
  } finally {
    context.expander.popTo(depth);
    if (handled) context.source.endDirectiveLine();
    state.inDirective = false;
    state.angledHeaders = false;
    state.parsingArgs = saved.parsingArgs;
    state.preventExpansion = saved.preventExpansion;
  }
  if (!handled) context.source.backup(name!);
  else if (after) after();
  return handled;
}

function readLine(context: DirectiveContext): PpToken[] {
  const tokens: PpToken[] = [];
  for (let token = readRaw(context); token.kind !== 'eof'; token = readRaw(context)) tokens.push(token);
  return tokens;
}
