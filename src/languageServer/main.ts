// The language server for kernel-style .S files: assembles each open document as the user types
// (debounced) and publishes the assembler's diagnostics, offers the document's labels as symbols,
// and explains instruction mnemonics on hover. Runs as its own process (stdio or node IPC).
// Owns: the LSP wiring. Must not know: the CPU, the debugger.
import {
  createConnection, DocumentSymbol, ProposedFeatures, SymbolKind, TextDocuments, TextDocumentSyncKind, type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { nodeFileSystem } from '../emu/asm/nodeFileSystem';
import { analyzeDocument, type DocumentAnalysis } from './documentAnalysis';
import { hoverForMnemonic, wordAt } from './mnemonicHover';

const DEBOUNCE_MS = 200;

function pathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function startLanguageServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, DocumentAnalysis>();
  const timers = new Map<string, NodeJS.Timeout>();

  const openTexts = (): Map<string, string> => {
    const texts = new Map<string, string>();
    for (const document of documents.all()) {
      const path = pathOf(document.uri);
      if (path) texts.set(path, document.getText());
    }
    return texts;
  };

  const analyze = (uri: string): DocumentAnalysis | undefined => {
    const path = pathOf(uri);
    if (!path) return undefined;
    const analysis = analyzeDocument(path, openTexts(), nodeFileSystem);
    analyses.set(uri, analysis);
    void connection.sendDiagnostics({ uri, diagnostics: analysis.diagnostics.map((d) => ({ ...d, source: 'lguest-debug' })) });
    return analysis;
  };

  const schedule = (uri: string) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => analyze(uri), DEBOUNCE_MS));
  };

  connection.onInitialize(() => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, documentSymbolProvider: true, hoverProvider: true },
  }));
  documents.onDidOpen((event) => analyze(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    analyses.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onDocumentSymbol((params) => {
    const analysis = analyses.get(params.textDocument.uri) ?? analyze(params.textDocument.uri);
    return (analysis?.symbols ?? []).map((symbol) => {
      const range = { start: { line: symbol.line, character: symbol.character }, end: { line: symbol.line, character: symbol.character + symbol.name.length } };
      const detail = `${symbol.global ? 'global' : 'local'}${symbol.section ? ` in ${symbol.section}` : ' (absolute)'}`;
      return DocumentSymbol.create(symbol.name, detail, symbol.section ? SymbolKind.Function : SymbolKind.Constant, range, range);
    });
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const line = document.getText({ start: { line: params.position.line, character: 0 }, end: { line: params.position.line + 1, character: 0 } });
    const word = wordAt(line, params.position.character);
    const text = word && !word.startsWith('%') && !word.startsWith('$') ? hoverForMnemonic(word) : undefined;
    return text ? { contents: { kind: 'markdown', value: text } } : null;
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) startLanguageServer(createConnection(ProposedFeatures.all));
