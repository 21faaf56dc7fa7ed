// The lexer of one source file (translation phase 3, C11 §5.1.1.2; GCC cpp manual "Tokenization"):
// logical lines into pp-tokens, each comment replaced by one space, `/* */` comments running over
// as many lines as they need. Every token records its file position, whether it starts a line,
// whether whitespace preceded it and that whitespace verbatim (tabs kept), for the printer.
// Owns: one file's token stream. Must not know: macros, directives, includes or the output.
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import { type LogicalLine, LogicalLineReader, crossesSplice, physicalPosition } from './logicalLines';
import { type ScannedToken, isHorizontalSpace, scanToken } from './scanner';
import { PpToken } from './token';

export interface LexerReporter {
  error(location: SourceLocation, message: string): void;
  warning(location: SourceLocation, message: string): void;
}

export class FileLexer {
  private readonly lines: LogicalLineReader;
  private line: LogicalLine | undefined;
  private pos = 0;
  private needLine = true;
  private atLineStart = false;
  private freshLine = 0;
  private readonly scanned: ScannedToken = { kind: 'other', end: 0 };

  constructor(
    readonly file: string,
    text: string,
    readonly expansion: ExpansionChain,
    private readonly reporter: LexerReporter,
  ) {
    this.lines = new LogicalLineReader(text, {
      spaceBeforeNewline: (line, column) => reporter.warning({ file, line, column }, 'backslash and newline separated by space'),
      spliceAtEndOfFile: (line, column) => reporter.warning({ file, line, column }, 'backslash-newline at end of file'),
    });
  }

  /** The next token, moving to following lines as needed; undefined at the end of the file. */
  next(): PpToken | undefined {
    for (;;) {
      if (this.needLine && !this.loadLine()) return undefined;
      const token = this.lexInLine(false);
      if (token) return token;
      this.needLine = true;
    }
  }

  /** The next token of the current logical line, or undefined at its end (directives). */
  nextInLine(headerName = false): PpToken | undefined {
    if (this.needLine) return undefined;
    const token = this.lexInLine(headerName);
    if (!token) this.needLine = true;
    return token;
  }

  /** Discards the rest of the current logical line (comments still end where they end). */
  skipRestOfLine(): void {
    while (this.nextInLine()) {
      /* discard */
    }
  }

  /** Where the current logical line ends: the column after its last character. */
  endOfLineLocation(): SourceLocation {
    const line = this.line;
    if (!line) return { file: this.file, line: 1, column: 1 };
    const position = physicalPosition(line, line.text.length);
    return { file: this.file, line: position.line, column: position.column };
  }

  private loadLine(): boolean {
    this.line = this.lines.next();
    if (!this.line) return false;
    this.pos = 0;
    this.needLine = false;
    this.atLineStart = true;
    this.freshLine = this.line.firstLine;
    return true;
  }

  private lexInLine(headerName: boolean): PpToken | undefined {
    const leadingSpace = this.skipSpaceAndComments();
    const line = this.line;
    if (leadingSpace === undefined || !line || this.pos >= line.text.length) return undefined;
    const start = this.pos;
    const scanned = scanToken(line.text, start, headerName, this.scanned);
    const end = (this.pos = scanned.end);
    const text = line.text.slice(start, end);
    let token: PpToken;
    if (line.splices.length === 0) {
      token = PpToken.lexed(scanned.kind, text, this.file, line.firstLine, start + 1, this.expansion);
      token.verbatim = true;
    } else {
      const position = physicalPosition(line, start);
      token = PpToken.lexed(scanned.kind, text, this.file, position.line, position.column, this.expansion);
      token.verbatim = !crossesSplice(line, start, end);
    }
    token.direct = true;
    token.leadingSpace = leadingSpace;
    token.prevWhite = leadingSpace.length > 0 || this.atLineStart;
    if (this.atLineStart) {
      token.bol = true;
      token.freshLine = this.freshLine;
      this.atLineStart = false;
    }
    return token;
  }

  /**
   * Skips blanks and comments before the next token and returns them as text with each comment
   * replaced by one space; undefined when an unterminated comment ran to the end of the file.
   */
  private skipSpaceAndComments(): string | undefined {
    let line = this.line;
    if (!line) return undefined;
    let text = line.text;
    let start = this.pos;
    let pos = start;
    let collected = '';
    for (;;) {
      while (pos < text.length && isHorizontalSpace(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) !== 47 /* / */) break;
      const next = text.charCodeAt(pos + 1);
      if (next === 47) {
        collected += text.slice(start, pos) + ' ';
        pos = start = text.length;
        break;
      }
      if (next !== 42) break;
      collected += text.slice(start, pos) + ' ';
      const end = this.findCommentEnd(pos);
      if (end === undefined) return undefined;
      line = this.line!;
      text = line.text;
      pos = start = end;
    }
    this.pos = pos;
    return collected.length === 0 ? text.slice(start, pos) : collected + text.slice(start, pos);
  }

  /** Offset just after the `*​/` closing the comment opened at `open`, loading lines as needed. */
  private findCommentEnd(open: number): number | undefined {
    const line = this.line!;
    const close = line.text.indexOf('*/', open + 2);
    if (close >= 0) return close + 2;
    const openPosition = physicalPosition(line, open);
    for (;;) {
      const nextLine = this.lines.next();
      if (!nextLine) {
        this.reporter.error({ file: this.file, line: openPosition.line, column: openPosition.column }, 'unterminated comment');
        this.line = { text: '', firstLine: line.firstLine, splices: [] };
        this.pos = 0;
        return undefined;
      }
      this.line = nextLine;
      const end = nextLine.text.indexOf('*/');
      if (end >= 0) return end + 2;
    }
  }
}
