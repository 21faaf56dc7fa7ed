// Source positions and expansion chains: the vocabulary every assembler stage and the debugger share.
// Owns: where a piece of text came from (file:line:column) and through which expansions it passed.
// Must not know: how any stage produces or consumes them.

/** A 1-based line and 1-based column in a file. `file` is the path as given to the assembler,
 *  or `<builtin>/...` for a built-in header. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type ExpansionKind = 'include' | 'cpp-macro' | 'gas-macro' | 'rept' | 'irp' | 'irpc';

/**
 * One step of an expansion chain. `site` is where the expansion was requested: the `#include`
 * line, the line invoking a cpp or GAS macro, or the `.rept`/`.irp` line. `iteration` numbers
 * `.rept`/`.irp` copies from 0.
 */
export interface ExpansionFrame {
  readonly kind: ExpansionKind;
  readonly name: string;
  readonly site: SourceLocation;
  readonly iteration?: number;
}

/** Innermost frame first. Empty when text was written directly in the file being assembled. */
export type ExpansionChain = readonly ExpansionFrame[];

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

export function sameLine(a: SourceLocation, file: string, line: number): boolean {
  return a.line === line && a.file === file;
}
