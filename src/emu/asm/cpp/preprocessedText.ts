// The contract between the C preprocessor and the GNU as front end.
// Owns: the shape of preprocessed output, where every character keeps the source position it
// came from and the expansions it passed through. Must not know: how cpp or GAS work inside.
import type { Diagnostic } from '../diagnostics';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';

/**
 * A run of output characters [start, end) of one PreprocessedLine that all come from one place.
 * For text copied from a file, `location` is the position of the run's first character and
 * `expansion` lists the #include frames (innermost first) when the file was included. For text
 * produced by a cpp macro, `location` is where the text was written (the #define body, or the
 * argument at the call site) and `expansion` starts with a 'cpp-macro' frame whose site is the
 * macro invocation, followed by outer macro invocations and then #include frames.
 */
export interface TextPiece {
  readonly start: number;
  readonly end: number;
  readonly location: SourceLocation;
  readonly expansion: ExpansionChain;
  /** True when output character start+i is source character location.column+i of the same line
   *  (plain copied text). Macro-produced pieces and pieces spanning a removed comment or a `\`
   *  continuation are not verbatim: their location is that of their first character. */
  readonly verbatim: boolean;
}

/**
 * One logical output line: a source line after joining `\` continuations, removing comments
 * (each comment becomes one space) and expanding macros. Pieces are sorted, do not overlap,
 * and cover every non-space character of `text`.
 */
export interface PreprocessedLine {
  readonly text: string;
  readonly pieces: readonly TextPiece[];
  /** Position of the first character of the logical line (before expansion). */
  readonly location: SourceLocation;
}

export interface PreprocessOptions {
  /** Directories searched for `#include <...>` and, after the including file's directory, `"..."`. */
  readonly includePaths?: readonly string[];
  /** `-D NAME[=VALUE]` definitions; a missing value means `1`. */
  readonly defines?: Readonly<Record<string, string>>;
  /** Built-in headers by include name (for example `asm/asm-offsets.h`); searched first. */
  readonly builtinHeaders?: ReadonlyMap<string, string>;
  /** Maximum #include nesting depth before reporting recursion (default 200, as GCC). */
  readonly maxIncludeDepth?: number;
}

export interface PreprocessResult {
  readonly lines: readonly PreprocessedLine[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read, in first-read order (built-in headers as `<builtin>/name`). */
  readonly files: readonly string[];
}

/** Finds the piece covering character `offset` of `line` (or the nearest one before it). */
export function pieceAt(line: PreprocessedLine, offset: number): TextPiece | undefined {
  const pieces = line.pieces;
  let low = 0;
  let high = pieces.length - 1;
  let best: TextPiece | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const piece = pieces[mid]!;
    if (piece.start <= offset) {
      best = piece;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best ?? pieces[0];
}

/** Source position of character `offset` of `line`, with its expansion chain. */
export function locateInLine(line: PreprocessedLine, offset: number): { location: SourceLocation; expansion: ExpansionChain } {
  const piece = pieceAt(line, offset);
  if (!piece) return { location: line.location, expansion: [] };
  if (piece.verbatim && offset >= piece.start && offset < piece.end) {
    return { location: { ...piece.location, column: piece.location.column + (offset - piece.start) }, expansion: piece.expansion };
  }
  return { location: piece.location, expansion: piece.expansion };
}
