// GCC's cpp_avoid_paste (libcpp/lex.cc): whether printing `next` right after `previous` would
// let them lex as a different token sequence, so that the printer must put a space between them.
// It is deliberately conservative, exactly as GCC's is (`+` `+`, `-` `>`, a name and a number...).
// Owns: that one predicate. Must not know: where tokens come from.
import type { PpToken } from './token';

/** Operators that paste with a following `=` (GCC: token types up to CPP_LAST_EQ). */
const PASTES_WITH_EQUALS = new Set(['=', '!', '>', '<', '+', '-', '*', '/', '%', '&', '|', '^', '>>', '<<']);

export function needsSpaceToAvoidPaste(previous: PpToken, next: PpToken): boolean {
  const c = next.kind === 'punctuator' ? next.text[0] : undefined;
  if (previous.kind === 'punctuator') return punctuatorPastes(previous.text, c, next);
  switch (previous.kind) {
    case 'name':
      return (next.kind === 'number' && /^[A-Za-z0-9_]+$/.test(next.text)) || next.kind === 'name' || next.kind === 'char' || next.kind === 'string';
    case 'number':
      return next.kind === 'number' || next.kind === 'name' || next.kind === 'char' || c === '.' || c === '+' || c === '-';
    case 'other':
      return previous.text[0] === '\\' && next.kind === 'name';
    default:
      return false;
  }
}

function punctuatorPastes(text: string, c: string | undefined, next: PpToken): boolean {
  if (c === '=' && PASTES_WITH_EQUALS.has(text)) return true;
  switch (text) {
    case '>':
      return c === '>';
    case '<':
      return c === '<' || c === '%' || c === ':';
    case '+':
      return c === '+';
    case '-':
      return c === '-' || c === '>';
    case '/':
      return c === '/' || c === '*';
    case '%':
      return c === ':' || c === '>';
    case '&':
      return c === '&';
    case '|':
      return c === '|';
    case ':':
      return c === ':' || c === '>';
    case '->':
      return c === '*';
    case '.':
      return c === '.' || c === '%' || next.kind === 'number';
    case '#':
      return c === '#' || c === '%';
    case '<=':
      return c === '>';
    default:
      return false;
  }
}
