// Assembles an open document (with the other open buffers overlaid on the disk) and turns the
// result into what the editor shows: diagnostics and document symbols, in LSP's 0-based positions.
// Owns: the mapping from assembler locations to the document's ranges. Must not know: the LSP
// connection (server.ts), the CPU. A diagnostic raised inside an included file or a macro body in
// another file is shown at the outermost place in this document that led to it.
import { assembleSource } from '../emu/asm/assemble';
import type { Diagnostic as AsmDiagnostic } from '../emu/asm/diagnostics';
import { OverlayFileSystem, type SourceFileSystem } from '../emu/asm/sourceFileSystem';
import type { SourceLocation } from '../emu/asm/sourceLocation';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface EditorDiagnostic {
  readonly range: { readonly start: Position; readonly end: Position };
  readonly severity: 1 | 2 | 3;
  readonly message: string;
}

export interface EditorSymbol {
  readonly name: string;
  readonly line: number;
  readonly character: number;
  readonly global: boolean;
  readonly section: string | null;
}

export interface DocumentAnalysis {
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly symbols: readonly EditorSymbol[];
}

/** Assembles `path` whose current text is `openDocuments.get(path)`. */
export function analyzeDocument(path: string, openDocuments: ReadonlyMap<string, string>, disk: SourceFileSystem): DocumentAnalysis {
  const fileSystem = new OverlayFileSystem(disk, openDocuments);
  const module = assembleSource(path, fileSystem, { includePaths: [disk.dirname(path)] });
  const text = openDocuments.get(path) ?? '';
  const lines = text.split('\n');
  const diagnostics = module.diagnostics.map((d) => toEditorDiagnostic(d, path, lines));
  const symbols: EditorSymbol[] = [];
  for (const symbol of module.symbols) {
    const location = symbol.location;
    if (!location || location.file !== path || symbol.type === 'section' || symbol.type === 'file' || symbol.name.startsWith('.L')) continue;
    symbols.push({ name: symbol.name, line: location.line - 1, character: location.column - 1, global: symbol.binding !== 'local', section: symbol.section });
  }
  return { diagnostics, symbols };
}

function toEditorDiagnostic(diagnostic: AsmDiagnostic, path: string, lines: readonly string[]): EditorDiagnostic {
  const where = locationInDocument(diagnostic, path);
  const line = Math.max(0, where.line - 1);
  const lineText = lines[line] ?? '';
  const start = Math.min(Math.max(0, where.column - 1), lineText.length);
  const wordEnd = /^[^\s,;()]*/.exec(lineText.slice(start))![0].length;
  const inside = where === diagnostic.location ? '' : ` (at ${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column})`;
  return {
    range: { start: { line, character: start }, end: { line, character: start + Math.max(1, wordEnd) } },
    severity: diagnostic.severity === 'error' ? 1 : diagnostic.severity === 'warning' ? 2 : 3,
    message: `${diagnostic.message}${inside}`,
  };
}

/** The diagnostic's own location when it is in this document, else the outermost expansion site that is. */
function locationInDocument(diagnostic: AsmDiagnostic, path: string): SourceLocation {
  if (diagnostic.location.file === path) return diagnostic.location;
  const frames = diagnostic.expansion ?? [];
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.site.file === path) return frames[i]!.site;
  return { file: path, line: 1, column: 1 };
}
