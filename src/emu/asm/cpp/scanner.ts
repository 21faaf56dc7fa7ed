// Character-level scanning of one preprocessing token (C11 §6.4) in GCC's assembler-with-cpp
// dialect: `$` is not an identifier character, there are no digraphs, pp-numbers take `e+`, `E-`,
// `p+`, `P-` signs (so `0xe+1` and `1f` are single numbers), and an unterminated `'` or `"` is
// not an error but an "other" token running to the end of the line.
// Owns: what one token spans, given a text and an offset. Must not know: lines, files, comments.
import type { TokenKind } from './token';

const ID_START = 1;
const ID_CHAR = 2;
const DIGIT = 4;
const HORIZONTAL_SPACE = 8;

const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) charClass[c]! |= ID_START | ID_CHAR;
  if (/[0-9]/.test(ch)) charClass[c]! |= DIGIT | ID_CHAR;
}
for (const c of [32, 9, 11, 12, 0]) charClass[c]! |= HORIZONTAL_SPACE;

export function isHorizontalSpace(code: number): boolean {
  return code < 128 && (charClass[code]! & HORIZONTAL_SPACE) !== 0;
}

export function isIdentifierStart(code: number): boolean {
  return code < 128 && (charClass[code]! & ID_START) !== 0;
}

export function isIdentifierChar(code: number): boolean {
  return code < 128 && (charClass[code]! & ID_CHAR) !== 0;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface ScannedToken {
  kind: TokenKind;
  end: number;
}

/**
 * Scans the token starting at `pos` (which must not be whitespace or a comment start) into `out`
 * (reused by the lexer: no allocation per token). With `headerName`, `<...>` on the line is one
 * header-name token and `"` strings have no escapes.
 */
export function scanToken(text: string, pos: number, headerName = false, out: ScannedToken = { kind: 'other', end: 0 }): ScannedToken {
  const code = text.charCodeAt(pos);
  if (code < 128 && (charClass[code]! & ID_START) !== 0) return scanIdentifierOrPrefixed(text, pos, out);
  if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(pos + 1)))) return set(out, 'number', scanNumber(text, pos));
  if (code === 39) return scanQuoted(text, pos, 39, 'char', false, out);
  if (code === 34) return scanQuoted(text, pos, 34, 'string', headerName, out);
  if (headerName && code === 60) {
    const close = text.indexOf('>', pos + 1);
    if (close >= 0) return set(out, 'header-name', close + 1);
  }
  const length = punctuatorLength(text, pos);
  return length > 0 ? set(out, 'punctuator', pos + length) : set(out, 'other', pos + 1);
}

function set(out: ScannedToken, kind: TokenKind, end: number): ScannedToken {
  out.kind = kind;
  out.end = end;
  return out;
}

function scanIdentifierOrPrefixed(text: string, pos: number, out: ScannedToken): ScannedToken {
  let end = pos + 1;
  while (end < text.length && isIdentifierChar(text.charCodeAt(end))) end++;
  if (end === pos + 1 && text.charCodeAt(pos) === 76 /* L */) {
    const next = text.charCodeAt(end);
    if (next === 39) return scanQuoted(text, end, 39, 'wide-char', false, out);
    if (next === 34) return scanQuoted(text, end, 34, 'wide-string', false, out);
  }
  return set(out, 'name', end);
}

/** pp-number: digit or .digit, then identifier characters, `.`, and signs after e/E/p/P. */
function scanNumber(text: string, pos: number): number {
  let end = pos + 1;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (isIdentifierChar(c) || c === 46) end++;
    else if ((c === 43 || c === 45) && isExponentLetter(text.charCodeAt(end - 1))) end++;
    else break;
  }
  return end;
}

function isExponentLetter(code: number): boolean {
  return code === 101 || code === 69 || code === 112 || code === 80;
}

function scanQuoted(text: string, pos: number, quote: number, kind: TokenKind, noEscapes: boolean, out: ScannedToken): ScannedToken {
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && !noEscapes && i + 1 < text.length) i++;
    else if (c === quote) return set(out, kind, i + 1);
  }
  return set(out, 'other', text.length);
}

/**
 * Length of the punctuator at `pos` (C11 §6.4.6 without digraphs, as GCC for .S files), or 0.
 * `<<=` `>>=` `...`; `->` `++` `--` `<<` `>>` `<=` `>=` `==` `!=` `&&` `||` `op=` `##`; singles.
 */
function punctuatorLength(text: string, pos: number): number {
  const c = text[pos];
  const next = text[pos + 1];
  switch (c) {
    case '<':
    case '>':
      if (next === c) return text[pos + 2] === '=' ? 3 : 2;
      return next === '=' ? 2 : 1;
    case '.':
      return next === '.' && text[pos + 2] === '.' ? 3 : 1;
    case '-':
      return next === '-' || next === '=' || next === '>' ? 2 : 1;
    case '+':
    case '&':
    case '|':
      return next === c || next === '=' ? 2 : 1;
    case '#':
      return next === '#' ? 2 : 1;
    case '*':
    case '/':
    case '%':
    case '^':
    case '=':
    case '!':
      return next === '=' ? 2 : 1;
    case '[': case ']': case '(': case ')': case '{': case '}': case '~': case '?': case ':': case ';': case ',':
      return 1;
    default:
      return 0;
  }
}

/** True when `text` is exactly one preprocessing token (the test `##` must pass). */
export function isSingleToken(text: string): ScannedToken | undefined {
  if (text.length === 0) return undefined;
  const first = text.charCodeAt(0);
  if (isHorizontalSpace(first)) return undefined;
  if (first === 47 && (text.charCodeAt(1) === 47 || text.charCodeAt(1) === 42)) return undefined;
  const scanned = scanToken(text, 0);
  return scanned.end === text.length ? scanned : undefined;
}
