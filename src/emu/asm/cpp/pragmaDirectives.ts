// #pragma and the _Pragma operator (C11 §6.10.6, §6.10.9; GCC cpp manual "Pragmas"). Handled:
// `once`, `push_macro("X")`, `pop_macro("X")`, `GCC poison`, `GCC warning "..."`, `GCC error
// "..."`, `GCC system_header` and `GCC dependency` (accepted); every other pragma is ignored, as
// `gcc -E` on an assembler file prints none of them. Owns: pragma semantics.
// Must not know: where the pragma's tokens come from.
import { type DirectiveContext, currentFile } from './directiveContext';
import type { PpToken } from './token';

/** Runs a pragma given its tokens (after `#pragma`, or lexed from a _Pragma string). */
export function runPragma(context: DirectiveContext, tokens: readonly PpToken[], where: PpToken): void {
  const [first, second] = tokens;
  if (!first || first.kind !== 'name') return;
  switch (first.text) {
    case 'once':
      return pragmaOnce(context, where);
    case 'push_macro':
    case 'pop_macro':
      return pushOrPopMacro(context, first.text, tokens.slice(1), where);
    case 'GCC':
      if (second?.kind === 'name') runGccPragma(context, second.text, tokens.slice(2), where);
      return;
    default:
      return;
  }
}

function pragmaOnce(context: DirectiveContext, where: PpToken): void {
  const file = currentFile(context);
  if (!file) return;
  if (context.source.files.length <= 1) context.diagnostics.warning(where.location, '#pragma once in main file', where.expansion);
  context.markOnce(file.path);
}

/** GCC's do_pragma_push_macro / do_pragma_pop_macro: `("NAME")`. */
function pushOrPopMacro(context: DirectiveContext, which: string, tokens: readonly PpToken[], where: PpToken): void {
  const [open, literal, close] = tokens;
  if (!open?.is('(') || literal?.kind !== 'string' || !close?.is(')')) {
    context.diagnostics.error(where.location, `invalid #pragma ${which} directive`, where.expansion);
    return;
  }
  const name = literal.text.slice(1, -1);
  const stack = context.pushedMacros.get(name) ?? [];
  if (which === 'push_macro') {
    stack.push(context.macros.get(name));
    context.pushedMacros.set(name, stack);
    return;
  }
  if (stack.length === 0) return;
  const saved = stack.pop();
  if (saved) context.macros.set(name, saved);
  else context.macros.delete(name);
}

function runGccPragma(context: DirectiveContext, name: string, tokens: readonly PpToken[], where: PpToken): void {
  switch (name) {
    case 'poison':
      for (const token of tokens) {
        if (token.kind !== 'name') {
          context.diagnostics.error(token.location, 'invalid #pragma GCC poison directive', token.expansion);
          return;
        }
        if (context.macros.has(token.text)) context.diagnostics.warning(token.location, `poisoning existing macro "${token.text}"`, token.expansion);
        context.poisoned.add(token.text);
      }
      return;
    case 'warning':
    case 'error':
      return pragmaMessage(context, name, tokens, where);
    case 'system_header':
      if (context.source.files.length <= 1) context.diagnostics.warning(where.location, '#pragma system_header ignored outside include file', where.expansion);
      return;
    default:
      return;
  }
}

function pragmaMessage(context: DirectiveContext, severity: 'warning' | 'error', tokens: readonly PpToken[], where: PpToken): void {
  const literal = tokens[0]?.is('(') ? tokens[1] : tokens[0];
  if (literal?.kind !== 'string') {
    context.diagnostics.error(where.location, `invalid "#pragma GCC ${severity}" directive`, where.expansion);
    return;
  }
  const message = literal.text.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (severity === 'error') context.diagnostics.error(where.location, message, where.expansion);
  else context.diagnostics.warning(where.location, message, where.expansion);
}
