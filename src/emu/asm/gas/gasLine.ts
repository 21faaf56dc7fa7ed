// One logical input line as the GNU as front end reads it: preprocessed text with per-character
// source pieces, plus the GAS expansion frames (.macro, .rept, .irp, .include) it was produced by.
// Owns: mapping a character offset of such a line to a source location and full expansion chain,
// and building new lines from pieces of old ones (macro substitution keeps every character's origin).
// Must not know: statements, directives, symbols. Models GAS manual §3 "Syntax" (lines/statements).
import { locateInLine, type PreprocessedLine, type TextPiece } from '../cpp/preprocessedText';
import type { ExpansionChain, ExpansionFrame, SourceLocation } from '../sourceLocation';

export interface GasLine extends PreprocessedLine {
  /** GAS expansion frames, innermost first (macro, rept/irp, include). cpp frames live in pieces. */
  readonly frames: ExpansionChain;
}

export interface PlacedLocation {
  readonly location: SourceLocation;
  readonly expansion: ExpansionChain;
}

/** Where character `offset` of `line` came from: its cpp chain followed by the GAS frames. */
export function locateInGasLine(line: GasLine, offset: number): PlacedLocation {
  const placed = locateAtOrAfterEnd(line, offset);
  if (line.frames.length === 0) return placed;
  return { location: placed.location, expansion: placed.expansion.length ? [...placed.expansion, ...line.frames] : line.frames };
}

/** Like locateInLine, but an offset just past a verbatim piece (end of statement) keeps counting columns. */
function locateAtOrAfterEnd(line: PreprocessedLine, offset: number): PlacedLocation {
  const last = line.pieces[line.pieces.length - 1];
  if (last && last.verbatim && offset >= last.end) {
    return { location: { ...last.location, column: last.location.column + (offset - last.start) }, expansion: last.expansion };
  }
  return locateInLine(line, offset);
}

/** A line whose text came verbatim from `file` line `lineNumber`. */
const NO_EXPANSION: ExpansionChain = Object.freeze([]);
const NO_PIECES: readonly TextPiece[] = Object.freeze([]);

export function verbatimLine(text: string, file: string, lineNumber: number, frames: ExpansionChain = NO_EXPANSION): GasLine {
  const location = { file, line: lineNumber, column: 1 };
  const pieces: readonly TextPiece[] = text.length ? [{ start: 0, end: text.length, location, expansion: NO_EXPANSION, verbatim: true }] : NO_PIECES;
  return { text, pieces, location, frames };
}

export function withFrames(line: PreprocessedLine, frames: ExpansionChain): GasLine {
  return { text: line.text, pieces: line.pieces, location: line.location, frames };
}

export function pushFrame(frame: ExpansionFrame, outer: ExpansionChain): ExpansionChain {
  return [frame, ...outer];
}

/**
 * Builds a new line from ranges of a source line and synthesized text, keeping for every output
 * character the piece it came from (synthesized text takes the location of a given source offset).
 */
export class LineBuilder {
  private text = '';
  private readonly pieces: TextPiece[] = [];

  constructor(private readonly source: PreprocessedLine) {}

  copy(start: number, end: number): void {
    if (end <= start) return;
    const shift = this.text.length - start;
    for (const piece of this.source.pieces) {
      if (piece.end <= start || piece.start >= end) continue;
      const from = Math.max(piece.start, start);
      const to = Math.min(piece.end, end);
      const column = piece.verbatim ? piece.location.column + (from - piece.start) : piece.location.column;
      const location = column === piece.location.column ? piece.location : { ...piece.location, column };
      this.pieces.push({ start: from + shift, end: to + shift, location, expansion: piece.expansion, verbatim: piece.verbatim });
    }
    this.text += this.source.text.slice(start, end);
  }

  /** Appends `value` as if written at source offset `origin` (not verbatim). */
  insert(value: string, origin: number): void {
    if (!value) return;
    const placed = locateInLine(this.source, origin);
    this.pieces.push({ start: this.text.length, end: this.text.length + value.length, location: placed.location, expansion: placed.expansion, verbatim: false });
    this.text += value;
  }

  build(frames: ExpansionChain): GasLine {
    return { text: this.text, pieces: this.pieces, location: this.source.location, frames };
  }
}
