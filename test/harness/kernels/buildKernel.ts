// Builds test kernels with GNU as and ld (until the project's own assembler replaces them): a .S
// source string or file becomes an ELF (`as --32`, `ld -m elf_i386 -Ttext ADDR -e entry`) and,
// on request, a flat binary (`objcopy -O binary`) in a temporary directory.
// Owns: the tool invocations and their error reporting. Must not know: what the kernels do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../../helpers/sharedFiles';

export const kernelSourceDirectory = join(repositoryRoot, 'test', 'harness', 'kernels', 'sources');

export interface KernelBuildOptions {
  /** Assembly text (GNU as syntax), or use `sourceFile`. */
  readonly source?: string;
  readonly sourceFile?: string;
  /** Where .text is linked (default 0x100000). */
  readonly textAddress?: number;
  /** The ELF entry symbol (default `entry`, falling back to the start of .text if undefined). */
  readonly entrySymbol?: string;
  /** `--defsym NAME=VALUE` for as (e.g. { AOUT: 1 } selects an a.out kludge header). */
  readonly defines?: Readonly<Record<string, number>>;
  /** Also produce a flat binary with objcopy. */
  readonly flatBinary?: boolean;
  /** Base name for the outputs (default "kernel"). */
  readonly name?: string;
}

export interface BuiltKernel {
  readonly directory: string;
  readonly elfPath: string;
  readonly binaryPath: string | undefined;
  /** The flat binary when built, else the ELF: what `-kernel` and `boot` take. */
  readonly imagePath: string;
  readonly symbols: ReadonlyMap<string, number>;
  /** Deletes the temporary directory. */
  dispose(): void;
}

export class KernelBuildError extends Error {
  override readonly name = 'KernelBuildError';
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw new KernelBuildError(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new KernelBuildError(`${command} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Assembles and links one kernel into a fresh temporary directory. */
export function buildKernel(options: KernelBuildOptions): BuiltKernel {
  const directory = mkdtempSync(join(tmpdir(), 'lgd-kernel-'));
  const name = options.name ?? 'kernel';
  try {
    const source = options.source ?? readFileSync(options.sourceFile ?? '', 'utf8');
    const sourcePath = join(directory, `${name}.S`);
    writeFileSync(sourcePath, source);
    const defines = Object.entries(options.defines ?? {}).flatMap(([key, value]) => ['--defsym', `${key}=${value}`]);
    // Kernels may `.include "multibootHeader.inc"` and other shared pieces from the sources directory.
    run('as', ['--32', '-I', kernelSourceDirectory, ...defines, '-o', `${name}.o`, sourcePath], directory);
    const textAddress = `0x${(options.textAddress ?? 0x100000).toString(16)}`;
    const entry = options.entrySymbol ?? 'entry';
    run('ld', ['-m', 'elf_i386', '-z', 'noseparate-code', '-Ttext', textAddress, '-e', entry, '-o', `${name}.elf`, `${name}.o`], directory);
    const elfPath = join(directory, `${name}.elf`);
    let binaryPath: string | undefined;
    if (options.flatBinary) {
      binaryPath = join(directory, `${name}.bin`);
      run('objcopy', ['-O', 'binary', elfPath, binaryPath], directory);
    }
    const symbols = readSymbols(elfPath, directory);
    if (!symbols.has(entry)) throw new KernelBuildError(`the entry symbol '${entry}' is not defined (make it .globl)`);
    return {
      directory,
      elfPath,
      binaryPath,
      imagePath: binaryPath ?? elfPath,
      symbols,
      dispose: () => rmSync(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Builds a kernel from test/harness/kernels/sources/NAME. */
export function buildSourceKernel(fileName: string, options: Omit<KernelBuildOptions, 'source' | 'sourceFile'> = {}): BuiltKernel {
  return buildKernel({ ...options, sourceFile: join(kernelSourceDirectory, fileName), name: options.name ?? fileName.replace(/\.S$/, '') });
}

function readSymbols(elfPath: string, cwd: string): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const line of run('nm', [elfPath], cwd).split('\n')) {
    const match = /^([0-9a-fA-F]+)\s+\S\s+(\S+)$/.exec(line.trim());
    if (match) symbols.set(match[2]!, parseInt(match[1]!, 16));
  }
  return symbols;
}
