// The assembler's API: `assembleSource` turns one .S file (through the C preprocessor with
// __ASSEMBLY__ defined and the built-in kernel headers) or .s file (GNU as alone) into an
// ObjectModule; `assembleProgram` assembles several and links them into a Program.
// Must not know: Node's fs (a SourceFileSystem is injected), ELF bytes, the debugger.
import { DiagnosticSink } from './diagnostics';
import type { Encoder } from './encoder/encoderContract';
import { encodeInstruction } from './encoder/encodeInstruction';
import type { PreprocessOptions, PreprocessResult } from './cpp/preprocessedText';
import { preprocess } from './cpp/preprocess';
import type { ObjectModule } from './object/objectModule';
import type { Program } from './program';
import type { SourceFileSystem } from './sourceFileSystem';
import { GasAssembler } from './gas/gasAssembler';
import { withFrames } from './gas/gasLine';
import { SourceTextSource } from './gas/sourceText';
import { ArraySource, type LineSource } from './gas/inputStack';
import { buildObjectModule } from './layout/objectBuilder';
import { link, type LinkOptions } from './link/linker';
import { builtinHeaders as lguestHeaders } from '../lguest/builtinHeaders';

export type Preprocessor = (file: string, fileSystem: SourceFileSystem, options: PreprocessOptions) => PreprocessResult;

export interface AssembleOptions {
  /** -I directories: searched by cpp's #include and by GAS's .include. */
  readonly includePaths?: readonly string[];
  /** -D definitions for cpp (`__ASSEMBLY__` is always defined). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Built-in headers for cpp; the lguest kernel headers by default. */
  readonly builtinHeaders?: ReadonlyMap<string, string>;
  /** Run cpp first (default: for files ending in `.S`). */
  readonly preprocess?: boolean;
  /** The C preprocessor to use for .S files (the project's cpp by default). */
  readonly preprocessor?: Preprocessor;
  readonly encoder?: Encoder;
  /** Error cap (default 1000). */
  readonly maxErrors?: number;
}

const DEFAULT_MAX_EXPANSION_DEPTH = 100;
const DEFAULT_MAX_EXPANDED_LINES = 20_000_000;

function readLines(file: string, fileSystem: SourceFileSystem, options: AssembleOptions, sink: DiagnosticSink, files: string[]): LineSource | undefined {
  const usesCpp = options.preprocess ?? file.endsWith('.S');
  if (!usesCpp) {
    const text = fileSystem.readFile(file);
    if (text === undefined) return undefined;
    files.push(file);
    return new SourceTextSource(text, file);
  }
  const preprocessor = options.preprocessor ?? preprocess;
  if (fileSystem.readFile(file) === undefined) return undefined;
  const result = preprocessor(file, fileSystem, {
    includePaths: options.includePaths ?? [],
    defines: { __ASSEMBLY__: '1', __ASSEMBLER__: '1', ...(options.defines ?? {}) },
    builtinHeaders: options.builtinHeaders ?? lguestHeaders,
  });
  for (const diagnostic of result.diagnostics) sink.report(diagnostic);
  files.push(...result.files);
  return new ArraySource('file', result.lines.map((line) => withFrames(line, [])), file);
}

/** Assembles one source file into an object module (diagnostics inside; never throws on bad input). */
export function assembleSource(file: string, fileSystem: SourceFileSystem, options: AssembleOptions = {}): ObjectModule {
  const sink = new DiagnosticSink(options.maxErrors ?? 1000);
  const files: string[] = [];
  const lines = readLines(file, fileSystem, options, sink, files);
  if (lines === undefined) {
    sink.error({ file, line: 1, column: 1 }, `can't open ${file} for reading: No such file or directory`);
    return { file, sections: [], symbols: [], diagnostics: sink.diagnostics, files };
  }
  const assembler = new GasAssembler(
    {
      file, fileSystem, encoder: options.encoder ?? encodeInstruction, includePaths: options.includePaths ?? [],
      maxExpansionDepth: DEFAULT_MAX_EXPANSION_DEPTH, maxExpandedLines: DEFAULT_MAX_EXPANDED_LINES,
    },
    sink,
  );
  try {
    const result = assembler.run(lines);
    for (const included of result.includedFiles) if (!files.includes(included)) files.push(included);
    return buildObjectModule(result, file, files, sink);
  } catch (error) {
    // A bug must not take the editor or the debugger down with it: report it where it is seen.
    sink.error({ file, line: 1, column: 1 }, `internal assembler error: ${error instanceof Error ? error.message : String(error)}`);
    return { file, sections: [], symbols: [], diagnostics: sink.diagnostics, files };
  }
}

/** Assembles `files` and links them (diagnostics of every stage end up in the Program). */
export function assembleProgram(files: readonly string[], fileSystem: SourceFileSystem, options: LinkOptions & AssembleOptions = {}): Program {
  const modules = files.map((file) => assembleSource(file, fileSystem, options));
  return link(modules, options);
}
