// Character-level scanning of one GAS statement: splitting a line into statements on `;` (outside
// strings and character constants) up to a `#` comment, and a cursor that reads names, numbers and
// punctuation while remembering offsets for diagnostics.
// Must not know: what the statements mean. Models GAS manual §3.4-§3.5 (statements, constants).

/** A statement is the character range [start, end) of its line's text. */
export interface StatementRange {
  readonly start: number;
  readonly end: number;
}

/** Splits a line into statements; `#` outside a string ends the line (i386 Linux GAS). */
export function splitStatements(text: string): StatementRange[] {
  const ranges: StatementRange[] = [];
  let start = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x27 /* ' */) {
      i += text[i + 1] === '\\' ? 3 : 2;
      continue;
    }
    if (c === 0x23 /* # */) break;
    if (c === 0x3b /* ; */) {
      ranges.push({ start, end: i });
      start = i + 1;
    }
    i++;
  }
  ranges.push({ start, end: Math.min(i, length) });
  return ranges;
}

/** Index just after the closing quote of the string starting at `open` (or the text end). */
export function skipString(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return text.length;
}

export function isNameStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 46;
}

export function isNameChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return isNameStart(c) || (code >= 48 && code <= 57) || code === 36;
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r';
}

export class StatementCursor {
  pos: number;

  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  peek(ahead = 0): string | undefined {
    const at = this.pos + ahead;
    return at < this.end ? this.text[at] : undefined;
  }

  skipBlanks(): this {
    while (this.pos < this.end && isBlank(this.text[this.pos])) this.pos++;
    return this;
  }

  /** True when only blanks remain. */
  atEnd(): boolean {
    this.skipBlanks();
    return this.pos >= this.end;
  }

  eat(token: string): boolean {
    if (this.text.startsWith(token, this.pos) && this.pos + token.length <= this.end) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  /** Reads a symbol-like name at the cursor (no blank skipping), or undefined. */
  readName(): string | undefined {
    if (!isNameStart(this.peek())) return undefined;
    const start = this.pos;
    while (this.pos < this.end && isNameChar(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** The rest of the statement, trimmed. */
  rest(): string {
    return this.text.slice(this.pos, this.end).trim();
  }

  /** Offset of the first non-blank character of the rest (for diagnostics). */
  restOffset(): number {
    let at = this.pos;
    while (at < this.end && isBlank(this.text[at])) at++;
    return at;
  }
}
