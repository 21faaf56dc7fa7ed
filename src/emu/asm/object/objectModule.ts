// One assembled source file before linking: what `-o FILE.o` writes as ELF and what the linker
// consumes. Owns: sections with section-relative bytes, symbols, relocations and line entries.
// Must not know: final addresses, ELF byte layout (elfWriter.ts), the source syntax.
import type { Diagnostic } from '../diagnostics';
import type { LineEntry } from '../program';

export interface SectionFlags {
  readonly alloc: boolean;
  readonly write: boolean;
  readonly exec: boolean;
}

export type RelocationType = 'R_386_32' | 'R_386_PC32' | 'R_386_16' | 'R_386_PC16' | 'R_386_8' | 'R_386_PC8';

export type RelocationTarget =
  /** Against a section's symbol (GNU as does this for references to local labels). */
  | { readonly kind: 'section'; readonly section: string }
  | { readonly kind: 'symbol'; readonly name: string }
  /** No symbol (ELF symbol index 0): GNU as does this for `jmp 0x1000`, a PC-relative absolute target. */
  | { readonly kind: 'absolute' };

/** An ELF REL relocation: the addend is already stored in the section bytes at `offset`. */
export interface Relocation {
  readonly offset: number;
  readonly type: RelocationType;
  readonly target: RelocationTarget;
  /** The in-place addend, also readable from the bytes; kept here for the linker's convenience. */
  readonly addend: number;
}

export interface ObjectSection {
  readonly name: string;
  readonly type: 'progbits' | 'nobits' | 'note';
  readonly flags: SectionFlags;
  readonly alignment: number;
  /** Section contents (empty for nobits). */
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly relocations: readonly Relocation[];
  /** Line entries with section-relative addresses, sorted. */
  readonly lines: readonly LineEntry[];
}

export type SymbolBinding = 'local' | 'global' | 'weak';
export type SymbolType = 'notype' | 'func' | 'object' | 'section' | 'file';

export interface ObjectSymbol {
  readonly name: string;
  /** Section-relative for section symbols, the value itself for absolute ones. */
  readonly value: number;
  /** Section name, null for absolute symbols (`irq = 5`); ignored when undefined. */
  readonly section: string | null;
  readonly defined: boolean;
  readonly binding: SymbolBinding;
  readonly type: SymbolType;
  readonly size: number;
  /** ELF st_other visibility (.hidden, .internal, .protected); default when absent. */
  readonly visibility?: 'default' | 'internal' | 'hidden' | 'protected';
  /** Where the symbol was defined (label or assignment). */
  readonly location?: import('../sourceLocation').SourceLocation;
  readonly expansion?: import('../sourceLocation').ExpansionChain;
}

export interface ObjectModule {
  /** The main source file. */
  readonly file: string;
  readonly sections: readonly ObjectSection[];
  readonly symbols: readonly ObjectSymbol[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every source file read (the main file, includes, built-in headers as `<builtin>/...`). */
  readonly files: readonly string[];
}
