// Translation phases 1-2 (C11 §5.1.1.2): physical lines joined at `\`-newline into logical lines.
// Owns: splitting a file's text into logical lines and mapping an offset in a logical line back to
// its physical line and column. Must not know: tokens, comments or directives.
// Like GCC, a backslash followed only by spaces or tabs before the newline still splices, with a
// warning; a backslash-newline at the very end of the file splices onto nothing, with a warning.

export interface LogicalLine {
  /** The joined text without the `\`-newlines (and without trailing blanks after those `\`). */
  readonly text: string;
  /** 1-based physical line of the first character. */
  readonly firstLine: number;
  /** Offsets in `text` where the 2nd, 3rd, ... physical lines begin; empty without continuations. */
  readonly splices: readonly number[];
}

export interface SpliceWarnings {
  spaceBeforeNewline(line: number, column: number): void;
  spliceAtEndOfFile(line: number, column: number): void;
}

const NO_SPLICES: readonly number[] = [];

export class LogicalLineReader {
  private readonly text: string;
  private offset = 0;
  private nextLineNumber = 1;

  constructor(
    text: string,
    private readonly warnings: SpliceWarnings,
  ) {
    this.text = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  }

  /** The next logical line, or undefined at the end of the text. */
  next(): LogicalLine | undefined {
    if (this.offset >= this.text.length) return undefined;
    const firstLine = this.nextLineNumber;
    let joined: string | undefined;
    let splices: number[] | undefined;
    for (;;) {
      const lineStart = this.offset;
      const newline = this.text.indexOf('\n', lineStart);
      const end = newline < 0 ? this.text.length : newline;
      const splice = newline < 0 ? -1 : this.findSplice(lineStart, end);
      const part = this.text.slice(lineStart, splice < 0 ? end : splice);
      this.offset = newline < 0 ? end : newline + 1;
      this.nextLineNumber++;
      if (joined === undefined && splice < 0) return { text: part, firstLine, splices: NO_SPLICES };
      joined = (joined ?? '') + part;
      if (splice < 0) break;
      if (this.offset >= this.text.length) {
        this.warnings.spliceAtEndOfFile(this.nextLineNumber - 1, splice - lineStart + 1);
        break;
      }
      (splices ??= []).push(joined.length);
    }
    return { text: joined, firstLine, splices: splices ?? NO_SPLICES };
  }

  /** Offset of a line-ending backslash in [start, end), or -1. */
  private findSplice(start: number, end: number): number {
    let i = end - 1;
    while (i >= start && (this.text.charCodeAt(i) === 32 || this.text.charCodeAt(i) === 9)) i--;
    if (i < start || this.text.charCodeAt(i) !== 92) return -1;
    if (i !== end - 1) this.warnings.spaceBeforeNewline(this.nextLineNumber, i - start + 1);
    return i;
  }
}

/** Physical line and 1-based column of `offset` in `line`. */
export function physicalPosition(line: LogicalLine, offset: number): { line: number; column: number } {
  const splices = line.splices;
  if (splices.length === 0 || offset < splices[0]!) return { line: line.firstLine, column: offset + 1 };
  let index = splices.length - 1;
  while (splices[index]! > offset) index--;
  return { line: line.firstLine + index + 1, column: offset - splices[index]! + 1 };
}

/** True when [start, end) of `line` crosses a continuation (so columns do not advance 1:1). */
export function crossesSplice(line: LogicalLine, start: number, end: number): boolean {
  for (const splice of line.splices) if (splice > start && splice < end) return true;
  return false;
}
