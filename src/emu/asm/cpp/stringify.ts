// The `#` operator (C11 §6.10.3.2; GCC's stringify_arg): spells an argument's tokens into one
// string literal, one space wherever whitespace separated tokens (padding tokens from nested
// expansions decide, as in GCC), escaping `"` and `\` inside string and character literals.
// Owns: that spelling. Must not know: where the tokens came from.
import type { DiagnosticSink } from '../diagnostics';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import { PpToken, isStringLike } from './token';

export function stringifyTokens(
  tokens: readonly PpToken[],
  location: SourceLocation,
  expansion: ExpansionChain,
  diagnostics: DiagnosticSink,
): PpToken {
  let text = '';
  let source: PpToken | null = null;
  let trailingBackslashes = 0;
  for (const token of tokens) {
    if (token.kind === 'padding') {
      if (source === null || (!source.prevWhite && token.source === null)) source = token.source;
      continue;
    }
    if (token.kind === 'eof') continue;
    if (text.length > 0 && (source ?? token).prevWhite) text += ' ';
    source = null;
    text += isStringLike(token) ? escapeForString(token.text) : token.text;
    trailingBackslashes = token.kind === 'other' && token.text.startsWith('\\') ? trailingBackslashes + 1 : 0;
  }
  if (trailingBackslashes % 2 === 1) {
    diagnostics.warning(location, "invalid string literal, ignoring final '\\'", expansion);
    text = text.slice(0, -1);
  }
  return new PpToken('string', `"${text}"`, location, expansion);
}

export function escapeForString(text: string): string {
  return text.replace(/["\\]/g, (c) => `\\${c}`);
}
