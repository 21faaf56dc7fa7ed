// One preprocessing run (GCC's cpp_reader): wires the token source, the macro expander, the
// directives and the printer together, owns the include stack policy (depth limit, #pragma once,
// recursion that must neither hang nor overflow) and the `<built-in>` and `<command-line>`
// buffers. Owns: the state of one run. Must not know: the shape of any directive or the lexer.
import { DiagnosticSink } from '../diagnostics';
import type { SourceFileSystem } from '../sourceFileSystem';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import { CppState } from './cppState';
import { reportUnterminatedGroups } from './conditionalDirectives';
import type { DirectiveContext, HeaderSpec } from './directiveContext';
import { handleDirective } from './directives';
import { IncludeResolver } from './includeResolver';
import { FileLexer } from './lexer';
import { BUILTIN_MACRO_NAMES, type MacroDefinition, builtinMacro } from './macroDefinition';
import { MacroExpander } from './macroExpander';
import { OutputPrinter } from './outputPrinter';
import { runPragma } from './pragmaDirectives';
import type { PreprocessOptions, PreprocessResult } from './preprocessedText';
import { commandLineDefineText, predefinedMacroText } from './predefinedMacros';
import type { PpToken } from './token';
import { TokenSource } from './tokenSource';

const DEFAULT_MAX_INCLUDE_DEPTH = 200;

export class Preprocessor implements DirectiveContext {
  readonly state = new CppState();
  readonly source = new TokenSource(this.state);
  readonly macros = new Map<string, MacroDefinition>();
  readonly diagnostics = new DiagnosticSink();
  readonly resolver: IncludeResolver;
  readonly expander: MacroExpander;
  readonly pushedMacros = new Map<string, (MacroDefinition | undefined)[]>();
  readonly poisoned = new Set<string>();
  private readonly onceFiles = new Set<string>();
  private readonly filesRead: string[] = [];
  private readonly printer = new OutputPrinter();
  private printing = false;
  private counter = 0;
  private mainFile = '';

  constructor(
    private readonly fs: SourceFileSystem,
    private readonly options: PreprocessOptions,
  ) {
    this.resolver = new IncludeResolver(fs, options.includePaths ?? [], options.builtinHeaders ?? new Map());
    const builtinEnvironment = {
      currentFile: () => this.source.current,
      baseFile: () => this.mainFile,
      includeLevel: () => Math.max(0, this.source.files.length - 1),
      nextCounter: () => this.counter++,
    };
    this.expander = new MacroExpander(this.state, this.source, this.macros, this.diagnostics, builtinEnvironment, (text, operator) =>
      this.runPragmaOperator(text, operator),
    );
    this.source.connect({
      handleDirective: (hash) => handleDirective(this, hash),
      lineChange: (token) => {
        if (this.printing && this.state.parsingArgs === 0) this.printer.lineChange(token);
      },
      fileEnded: (file) => reportUnterminatedGroups(this, file),
    });
    for (const name of BUILTIN_MACRO_NAMES) this.macros.set(name, builtinMacro(name));
  }

  run(mainFile: string): PreprocessResult {
    this.mainFile = mainFile;
    try {
      this.runBuffer('<built-in>', predefinedMacroText());
      this.runBuffer('<command-line>', commandLineDefineText(this.options.defines ?? {}));
      this.runMain(mainFile);
    } catch (error) {
      this.reportInternalError(error);
    }
    this.printer.finish();
    return { lines: this.printer.lines, diagnostics: this.diagnostics.diagnostics, files: this.filesRead };
  }

  includeFile(spec: HeaderSpec, site: SourceLocation, header: PpToken, next: boolean, once: boolean): void {
    const includer = this.source.current;
    const request = { name: spec.name, angled: spec.angled, includer: includer?.path ?? this.mainFile, ...(next && includer ? { nextAfter: includer.foundInPath } : {}) };
    const resolved = this.resolver.resolve(request);
    const chain = includer?.expansion ?? [];
    if (!resolved) {
      const spelled = spec.angled ? `<${spec.name}>` : `"${spec.name}"`;
      this.diagnostics.error(header.location, `#include ${spelled}: file not found (searched ${this.resolver.describeSearch(request)})`, chain);
      return;
    }
    if (this.onceFiles.has(resolved.path)) return;
    if (once) this.onceFiles.add(resolved.path);
    if (this.source.files.length >= (this.options.maxIncludeDepth ?? DEFAULT_MAX_INCLUDE_DEPTH)) {
      this.reportTooDeep(resolved.path, header, chain);
      return;
    }
    const expansion: ExpansionChain = [{ kind: 'include', name: spec.name, site }, ...chain];
    this.openFile(resolved.path, resolved.text, expansion, resolved.foundInPath);
  }

  markOnce(path: string): void {
    this.onceFiles.add(path);
  }

  /** Reports the runaway include and closes the recursion back to its first file. */
  private reportTooDeep(path: string, header: PpToken, chain: ExpansionChain): void {
    const depth = this.source.files.length;
    this.diagnostics.error(header.location, `#include nested too deeply: "${path}" would be at depth ${depth + 1}, the maximum is ${depth} (recursive #include?)`, chain);
    const first = this.source.files.findIndex((file) => file.path === path);
    if (first >= 0) this.source.abandonAbove(first + 1);
  }

  private openFile(path: string, text: string, expansion: ExpansionChain, foundInPath: number): void {
    if (!this.filesRead.includes(path)) this.filesRead.push(path);
    const reporter = {
      error: (location: SourceLocation, message: string) => this.diagnostics.error(location, message, expansion),
      warning: (location: SourceLocation, message: string) => this.diagnostics.warning(location, message, expansion),
    };
    const lexer = new FileLexer(path, text, expansion, reporter);
    this.source.pushFile({ lexer, path, expansion, conditionals: [], foundInPath, lineDelta: 0, presumedName: path });
  }

  /** Runs a buffer of directives (predefined and -D macros) that produces no output. */
  private runBuffer(name: string, text: string): void {
    if (text.length === 0) return;
    const lexer = new FileLexer(name, text, [], {
      error: (location, message) => this.diagnostics.error(location, message),
      warning: (location, message) => this.diagnostics.warning(location, message),
    });
    this.source.pushFile({ lexer, path: name, expansion: [], conditionals: [], foundInPath: -1, lineDelta: 0, presumedName: name });
    while (this.expander.getToken().kind !== 'eof') {
      /* only directives */
    }
    this.source.finish();
  }

  private runMain(mainFile: string): void {
    const text = this.fs.readFile(mainFile);
    if (text === undefined) {
      this.diagnostics.error({ file: mainFile, line: 1, column: 1 }, `cannot read "${mainFile}"`);
      return;
    }
    this.openFile(mainFile, text, [], -1);
    this.printing = true;
    for (;;) {
      const token = this.expander.getToken();
      if (token.kind === 'padding') this.printer.padding(token);
      else if (token.kind === 'eof') break;
      else {
        if (this.poisoned.size > 0 && token.kind === 'name' && token.direct && this.poisoned.has(token.text)) {
          this.diagnostics.error(token.location, `attempt to use poisoned "${token.text}"`, token.expansion);
        }
        this.printer.token(token);
      }
      if (this.diagnostics.saturated) break;
    }
    this.source.finish();
  }

  private runPragmaOperator(text: string, operator: PpToken): void {
    const lexer = new FileLexer(operator.location.file, text, operator.expansion, {
      error: () => undefined,
      warning: () => undefined,
    });
    const tokens: PpToken[] = [];
    for (let token = lexer.next(); token; token = lexer.next()) tokens.push(token);
    runPragma(this, tokens, operator);
  }

  private reportInternalError(error: unknown): void {
    const file = this.source.current;
    const location = file ? file.lexer.endOfLineLocation() : { file: this.mainFile, line: 1, column: 1 };
    const message = error instanceof RangeError ? 'input nested too deeply to preprocess' : `internal preprocessor error: ${error instanceof Error ? error.message : String(error)}`;
    this.diagnostics.error(location, message, file?.expansion);
  }
}
