// Collects the body of a `.macro ... .endm` or `.rept/.irp/.irpc ... .endr` block line by line,
// counting nested blocks of the same family the way GAS's buffer_and_nest does (only the first
// statement of each line, after any labels, is looked at).
// Must not know: what is done with the body (macros.ts, repeatDirectives.ts).
import type { PreprocessedLine } from '../cpp/preprocessedText';
import type { GasLine, PlacedLocation } from './gasLine';

export type BlockKind = 'macro' | 'repeat';

export interface PendingBlock {
  readonly kind: BlockKind;
  /** The directive that opened the block (for "unexpected end of file" messages). */
  readonly start: PlacedLocation;
  readonly description: string;
  readonly complete: (body: readonly PreprocessedLine[]) => void;
}

const OPENERS: Readonly<Record<BlockKind, readonly string[]>> = { macro: ['.macro'], repeat: ['.rept', '.irp', '.irpc'] };
const CLOSERS: Readonly<Record<BlockKind, string>> = { macro: '.endm', repeat: '.endr' };

const LEADING_WORD = /^[ \t]*(?:(?:[A-Za-z_.$][\w.$]*|\d+)[ \t]*:[ \t]*)*(\.[A-Za-z_][\w]*)/;

/** The directive that starts a line's first statement (lower case), if any. */
export function leadingDirective(text: string): string | undefined {
  const match = LEADING_WORD.exec(text);
  if (!match) return undefined;
  const after = text[match[0].length];
  if (after !== undefined && /[\w.$]/.test(after)) return undefined;
  return match[1]!.toLowerCase();
}

export class BlockCollector {
  private pending: PendingBlock | undefined;
  private depth = 0;
  private lines: PreprocessedLine[] = [];

  get collecting(): boolean {
    return this.pending !== undefined;
  }

  begin(block: PendingBlock): void {
    this.pending = block;
    this.depth = 1;
    this.lines = [];
  }

  /** Adds a line to the body, or completes the block at its closing directive. */
  feed(line: GasLine): void {
    const block = this.pending!;
    const word = line.text.indexOf('.') >= 0 ? leadingDirective(line.text) : undefined;
    if (word !== undefined) {
      if (OPENERS[block.kind].includes(word)) this.depth++;
      else if (word === CLOSERS[block.kind] && --this.depth === 0) {
        const body = this.lines;
        this.pending = undefined;
        this.lines = [];
        block.complete(body);
        return;
      }
    }
    this.lines.push({ text: line.text, pieces: line.pieces, location: line.location });
  }

  /** The block left open at end of input, if any (and forgets it). */
  takeUnterminated(): PendingBlock | undefined {
    const block = this.pending;
    this.pending = undefined;
    return block;
  }
}
