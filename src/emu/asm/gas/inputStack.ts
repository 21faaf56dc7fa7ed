// Where the next input line comes from: the main file, `.include`d files, macro expansions,
// `.rept`/`.irp` copies (generated lazily, one iteration at a time) and the remainder of a line
// whose earlier statement pushed an expansion. A source stays on the stack until a line is asked
// for after its last one, so a macro invoking itself on its last line still nests (and hits the
// depth limit as GAS does).
// Must not know: statements, macro syntax. Models GAS's input_scrub_include_sb/input_scrub_next_buffer.
import type { GasLine } from './gasLine';

export type SourceKind = 'file' | 'include' | 'macro' | 'repeat' | 'rest-of-line';

export interface LineSource {
  readonly kind: SourceKind;
  /** The file read, for 'file' and 'include' sources. */
  readonly file?: string;
  /** Conditional depth when a macro expansion started (for `.exitm`). */
  readonly conditionalDepth?: number;
  hasMore(): boolean;
  next(): GasLine;
}

export class ArraySource implements LineSource {
  private index = 0;

  constructor(
    readonly kind: SourceKind,
    private readonly lines: readonly GasLine[],
    readonly file?: string,
    readonly conditionalDepth?: number,
  ) {}

  hasMore(): boolean {
    return this.index < this.lines.length;
  }

  next(): GasLine {
    return this.lines[this.index++]!;
  }
}

/** Produces `count` iterations of a body lazily; `makeIteration(k)` builds copy k's lines. */
export class IterationSource implements LineSource {
  readonly kind = 'repeat' as const;
  private iteration = 0;
  private current: readonly GasLine[] = [];
  private index = 0;

  constructor(
    private readonly count: number,
    private readonly makeIteration: (iteration: number) => readonly GasLine[],
  ) {}

  hasMore(): boolean {
    while (this.index >= this.current.length) {
      if (this.iteration >= this.count) return false;
      this.current = this.makeIteration(this.iteration++);
      this.index = 0;
    }
    return true;
  }

  next(): GasLine {
    this.hasMore();
    return this.current[this.index++]!;
  }
}

export class InputStack {
  private readonly stack: LineSource[] = [];
  private stopped = false;

  push(source: LineSource): void {
    this.stack.push(source);
  }

  /** Number of sources on the stack (a mark for insertAt). */
  get size(): number {
    return this.stack.length;
  }

  /** Puts `source` under everything pushed since `mark` (the rest of a line runs after an expansion). */
  insertAt(mark: number, source: LineSource): void {
    this.stack.splice(mark, 0, source);
  }

  next(): GasLine | undefined {
    if (this.stopped) return undefined;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) return undefined;
      if (top.hasMore()) return top.next();
      this.stack.pop();
    }
  }

  /** Macro and repeat expansions currently open. */
  expansionDepth(): number {
    let depth = 0;
    for (const source of this.stack) if (source.kind === 'macro' || source.kind === 'repeat') depth++;
    return depth;
  }

  /** Files being read, outermost first. */
  fileChain(): string[] {
    return this.stack.filter((s) => s.file !== undefined).map((s) => s.file!);
  }

  /** The innermost file being read. */
  currentFile(): string | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.file !== undefined) return this.stack[i]!.file;
    return undefined;
  }

  /** `.exitm`: drops everything up to and including the innermost macro expansion. */
  exitMacro(): LineSource | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (this.stack[i]!.kind === 'macro') {
        const macro = this.stack[i]!;
        this.stack.length = i;
        return macro;
      }
      if (this.stack[i]!.kind === 'file' || this.stack[i]!.kind === 'include') return undefined;
    }
    return undefined;
  }

  stop(): void {
    this.stopped = true;
  }
}
