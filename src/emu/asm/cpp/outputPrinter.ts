// Turns the expanded token stream into PreprocessedLines with a source position for every
// character. Spacing follows GCC's token printer (c-ppoutput.cc token_streamer::stream, with its
// padding logic and cpp_avoid_paste) for macro output, but text read straight from the file keeps
// its own whitespace (tabs included; each comment became one space) so that columns of plain
// assembly survive. Owns: output lines, pieces and their merging. Must not know: macros, files.
import type { SourceLocation } from '../sourceLocation';
import type { PreprocessedLine, TextPiece } from './preprocessedText';
import { needsSpaceToAvoidPaste } from './avoidPaste';
import type { PpToken } from './token';

interface MutablePiece {
  start: number;
  end: number;
  readonly location: SourceLocation;
  readonly expansion: TextPiece['expansion'];
  readonly verbatim: boolean;
}

export class OutputPrinter {
  readonly lines: PreprocessedLine[] = [];
  /** The current line's text in parts (joined once, so lines are flat strings). */
  private parts: string[] = [];
  private length = 0;
  private pieces: MutablePiece[] = [];
  private lineLocation: SourceLocation | undefined;
  private pendingLeadingSpace: string | undefined;
  private avoidPaste = false;
  private source: PpToken | null = null;
  private previous: PpToken | null = null;

  /** A new logical line starts with `token` (GCC's line_change callback). */
  lineChange(token: PpToken): void {
    this.flush();
    this.lineLocation = { file: token.file, line: token.freshLine || token.line, column: 1 };
    this.pendingLeadingSpace = token.leadingSpace;
    this.previous = null;
    this.source = null;
  }

  padding(token: PpToken): void {
    this.avoidPaste = true;
    if (this.source === null || (!this.source.prevWhite && token.source === null)) this.source = token.source;
  }

  token(token: PpToken): void {
    let space: string;
    if (this.pendingLeadingSpace !== undefined) {
      // GCC never lets a macro put `#` first on a line (it could read as a directive or marker).
      space = this.pendingLeadingSpace === '' && !token.direct && token.is('#') ? ' ' : this.pendingLeadingSpace;
      this.pendingLeadingSpace = undefined;
    } else if (this.avoidPaste) {
      const source = this.source ?? token;
      const needed = source.prevWhite || (this.previous !== null && needsSpaceToAvoidPaste(this.previous, token)) || (this.previous === null && token.is('#'));
      space = needed ? spaceBefore(token.direct && token.prevWhite ? token : source) : '';
    } else {
      space = token.prevWhite ? spaceBefore(token) : '';
    }
    this.avoidPaste = false;
    this.source = null;
    this.previous = token;
    if (!this.lineLocation) this.lineLocation = { file: token.file, line: token.line, column: 1 };
    this.append(space, token);
  }

  /** Ends the output: the last line is flushed. */
  finish(): void {
    this.flush();
  }

  private append(space: string, token: PpToken): void {
    if (space.length > 0) this.parts.push(space);
    const start = this.length + space.length;
    this.parts.push(token.text);
    const end = (this.length = start + token.text.length);
    const verbatim = token.direct && token.verbatim;
    const last = this.pieces[this.pieces.length - 1];
    if (verbatim && last && canExtend(last, start, token)) {
      last.end = end;
      return;
    }
    this.pieces.push({ start, end, location: token.location, expansion: token.expansion, verbatim });
  }

  private flush(): void {
    if (this.pieces.length > 0 && this.lineLocation) {
      this.lines.push({ text: this.parts.join(''), pieces: this.pieces, location: this.lineLocation });
    }
    this.parts = [];
    this.length = 0;
    this.pieces = [];
    this.lineLocation = undefined;
    this.pendingLeadingSpace = undefined;
  }
}

/** Verbatim file text continues the last piece when columns still advance one to one. */
function canExtend(last: MutablePiece, start: number, token: PpToken): boolean {
  return (
    last.verbatim &&
    last.expansion === token.expansion &&
    last.location.line === token.line &&
    last.location.file === token.file &&
    last.location.column + (start - last.start) === token.column
  );
}

/** The whitespace to print before a token: its own source whitespace when it is file text. */
function spaceBefore(token: PpToken): string {
  return token.direct && token.leadingSpace.length > 0 ? token.leadingSpace : ' ';
}
