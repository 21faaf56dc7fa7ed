// The assembler's output contract, consumed by the emulator's loader, the Host model, the debugger
// and the language server. Owns: a linked program (sections at addresses, symbols, line table,
// diagnostics) and the line table's two directions: address -> source and source line -> addresses.
// Must not know: how the program was assembled or linked.
import type { Diagnostic } from './diagnostics';
import type { SectionFlags, SymbolBinding, SymbolType } from './object/objectModule';
import type { ExpansionChain, SourceLocation } from './sourceLocation';

export interface ProgramSection {
  readonly name: string;
  /** Linked address of the first byte. */
  readonly address: number;
  readonly size: number;
  /** Contents; empty for nobits sections such as .bss. */
  readonly bytes: Uint8Array;
  readonly type: 'progbits' | 'nobits' | 'note';
  readonly flags: SectionFlags;
}

export interface ProgramSymbol {
  readonly name: string;
  /** Linked address (or the absolute value). */
  readonly value: number;
  readonly size: number;
  /** Output section name, or null for absolute symbols. */
  readonly section: string | null;
  readonly binding: SymbolBinding;
  readonly type: SymbolType;
  /** The source file whose module defined it (locals of different files may share a name). */
  readonly module: string | null;
  readonly location?: SourceLocation;
  readonly expansion?: ExpansionChain;
}

export type LineEntryKind = 'instruction' | 'prefix' | 'data' | 'padding';

/** The bytes [address, address+size) were produced by the statement at `location`. */
export interface LineEntry {
  readonly address: number;
  readonly size: number;
  readonly kind: LineEntryKind;
  /** The innermost source line: a macro body line for macro-expanded text. */
  readonly location: SourceLocation;
  /** Expansions the statement came through, innermost first (cpp macro, .macro, .rept, #include). */
  readonly expansion: ExpansionChain;
  /** The statement after expansion (for listings and disassembly annotations). */
  readonly text: string;
}

export interface Program {
  readonly sections: readonly ProgramSection[];
  readonly symbols: readonly ProgramSymbol[];
  readonly lineTable: LineTable;
  readonly diagnostics: readonly Diagnostic[];
  /** Value of the entry symbol when the link named one. */
  readonly entry?: number;
}

/**
 * Address <-> source mapping. Entries are kept sorted by address; an address maps to the entry that
 * contains it. A source line maps to every instruction start whose location is that line or which
 * was expanded from it (a macro invocation, `.rept` or `#include` line), so one line can map to
 * hundreds of addresses.
 */
export class LineTable {
  readonly entries: readonly LineEntry[];
  private readonly starts: Float64Array;
  private byLine: Map<string, number[]> | undefined;

  constructor(entries: readonly LineEntry[]) {
    const sorted = [...entries].sort((a, b) => a.address - b.address);
    this.entries = sorted;
    this.starts = Float64Array.from(sorted, (e) => e.address);
  }

  /** The entry whose bytes contain `address`, if any. */
  lookup(address: number): LineEntry | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid]! <= address) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    // Several entries may start at one address (a label line and the instruction after it):
    // prefer the one with bytes.
    for (let i = found; i >= 0 && this.starts[i] === this.starts[found]; i--) {
      const entry = this.entries[i]!;
      if (address < entry.address + entry.size) return entry;
    }
    return undefined;
  }

  /** Instruction start addresses produced by `file:line` directly or through an expansion at it. */
  addressesForLine(file: string, line: number): number[] {
    if (!this.byLine) this.byLine = this.indexLines();
    return this.byLine.get(lineKey(file, line)) ?? [];
  }

  /** Every `file:line` that has at least one instruction address. */
  linesWithCode(file: string): number[] {
    if (!this.byLine) this.byLine = this.indexLines();
    const lines: number[] = [];
    const prefix = `${file}\u0000`;
    for (const key of this.byLine.keys()) if (key.startsWith(prefix)) lines.push(Number(key.slice(prefix.length)));
    return lines.sort((a, b) => a - b);
  }

  /**
   * A copy in which the entries inside [range.start, range.end) (all entries when no range) are
   * moved by `offset`: the Switcher is linked in one place and runs at 0xFFC00000.
   */
  relocated(offset: number, range?: { readonly start: number; readonly end: number }): LineTable {
    const inRange = (e: LineEntry) => !range || (e.address >= range.start && e.address < range.end);
    return new LineTable(this.entries.map((e) => (inRange(e) ? { ...e, address: (e.address + offset) >>> 0 } : e)));
  }

  /** A table holding both this table's entries and `other`'s (e.g. a relocated alias). */
  merged(other: LineTable): LineTable {
    return new LineTable([...this.entries, ...other.entries]);
  }

  private indexLines(): Map<string, number[]> {
    const index = new Map<string, number[]>();
    const add = (location: SourceLocation, address: number) => {
      const key = lineKey(location.file, location.line);
      const list = index.get(key);
      if (!list) index.set(key, [address]);
      else if (list[list.length - 1] !== address) list.push(address);
    };
    for (const entry of this.entries) {
      if (entry.kind !== 'instruction' && entry.kind !== 'prefix') continue;
      add(entry.location, entry.address);
      for (const frame of entry.expansion) add(frame.site, entry.address);
    }
    for (const list of index.values()) list.sort((a, b) => a - b);
    for (const [key, list] of index) index.set(key, list.filter((a, i) => i === 0 || list[i - 1] !== a));
    return index;
  }
}

function lineKey(file: string, line: number): string {
  return `${file}\u0000${line}`;
}
