// GAS string and character-constant escapes: \b \f \n \r \t, \\ and \", up to three octal digits,
// \x followed by any number of hex digits (low 8 bits kept), and a backslash before any other
// character standing for that character. Adjacent string literals are concatenated.
// Must not know: directives. Models GAS manual §3.6.1.1 "Strings" and §3.6.1.2 "Characters".
import type { StatementCursor } from './statementCursor';

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { b: 8, f: 12, n: 10, r: 13, t: 9 };

/** Decodes the escape whose backslash is at `at`; returns the byte and the offset after it. */
export function decodeEscape(text: string, at: number, end: number): { value: number; next: number } {
  let i = at + 1;
  if (i >= end) return { value: 0x5c, next: i };
  const c = text[i]!;
  if (c in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[c]!, next: i + 1 };
  if (c >= '0' && c <= '7') {
    let value = 0;
    const stop = Math.min(end, i + 3);
    while (i < stop && text[i]! >= '0' && text[i]! <= '7') value = value * 8 + (text.charCodeAt(i++) - 48);
    return { value: value & 0xff, next: i };
  }
  if (c === 'x' || c === 'X') {
    let value = 0;
    i++;
    while (i < end && /[0-9a-fA-F]/.test(text[i]!)) value = ((value << 4) | parseInt(text[i++]!, 16)) & 0xff;
    return { value, next: i };
  }
  return { value: text.charCodeAt(i) & 0xff, next: i + 1 };
}

export type StringResult = { readonly ok: true; readonly bytes: number[] } | { readonly ok: false; readonly offset: number; readonly message: string };

/** Reads one or more adjacent "..." literals at the cursor. */
export function parseStringLiterals(cursor: StatementCursor): StringResult {
  cursor.skipBlanks();
  if (cursor.peek() !== '"') return { ok: false, offset: cursor.pos, message: 'expected a string in double quotes' };
  const bytes: number[] = [];
  while (cursor.peek() === '"') {
    const open = cursor.pos++;
    for (;;) {
      const c = cursor.peek();
      if (c === undefined) return { ok: false, offset: open, message: 'unterminated string' };
      if (c === '"') {
        cursor.pos++;
        break;
      }
      if (c === '\\') {
        const decoded = decodeEscape(cursor.text, cursor.pos, cursor.end);
        bytes.push(decoded.value);
        cursor.pos = decoded.next;
      } else {
        bytes.push(cursor.text.charCodeAt(cursor.pos) & 0xff);
        cursor.pos++;
      }
    }
    cursor.skipBlanks();
  }
  return { ok: true, bytes };
}

/** The text of a "..." literal without decoding escapes other than \" and \\ (for messages). */
export function readMessageString(cursor: StatementCursor): string | undefined {
  const parsed = parseStringLiterals(cursor);
  return parsed.ok ? String.fromCharCode(...parsed.bytes) : undefined;
}

/**
 * A character constant starting at the quote at `quote`: 'c, '\c (escapes as in strings), and GNU
 * as 2.40's optional C-style closing quote ('a' is 'a). Its value and the index after it, or
 * undefined when nothing follows the quote. Both the expression parser and the operand splitter
 * read constants through this, so they agree on where one ends.
 */
export function readCharacterConstant(text: string, quote: number, end: number): { value: number; next: number } | undefined {
  const at = quote + 1;
  if (at >= end) return undefined;
  let value: number;
  let next: number;
  if (text[at] === '\\') {
    ({ value, next } = decodeEscape(text, at, end));
  } else {
    value = text.charCodeAt(at) & 0xff;
    next = at + 1;
  }
  if (next < end && text[next] === "'") next++;
  return { value, next };
}
