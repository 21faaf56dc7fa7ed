// Shared helpers for the assembler tests: assembling in-memory sources, running GNU as / gcc / ld /
// objdump on temporary files, and writing the built-in headers out as real files so that
// `gcc -I DIR` sees exactly what our preprocessor sees.
// Must not know: test expectations.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assembleSource, type AssembleOptions } from '../../src/emu/asm/assemble';
import { formatDiagnostic, type Diagnostic } from '../../src/emu/asm/diagnostics';
import type { ObjectModule } from '../../src/emu/asm/object/objectModule';
import { InMemoryFileSystem } from '../../src/emu/asm/sourceFileSystem';
import { builtinHeaders } from '../../src/emu/lguest/builtinHeaders';

/** Assembles `text` as the file `name` (default `test.s`) from an in-memory file system. */
export function assembleText(text: string, options: AssembleOptions & { name?: string; files?: Record<string, string> } = {}): ObjectModule {
  const name = options.name ?? 'test.s';
  const fs = new InMemoryFileSystem({ [name]: text, ...(options.files ?? {}) });
  return assembleSource(name, fs, options);
}

export function sectionBytes(module: ObjectModule, name = '.text'): string {
  const section = module.sections.find((s) => s.name === name);
  return section ? Buffer.from(section.bytes).toString('hex') : '';
}

export function formatted(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => formatDiagnostic(d).split('\n')[0]!);
}

export function errorsOf(module: ObjectModule): string[] {
  return formatted(module.diagnostics.filter((d) => d.severity === 'error'));
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function temporaryDirectory(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-asm-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd?: string): ToolRun {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Assembles `text` with `as --32`; returns the object bytes (undefined on failure) and stderr. */
export function gnuAssemble(text: string): { object?: Uint8Array; stderr: string } {
  const { dir, cleanup } = temporaryDirectory();
  try {
    writeFileSync(join(dir, 'test.s'), text);
    const result = run('as', ['--32', '-o', join(dir, 'test.o'), join(dir, 'test.s')]);
    if (result.status !== 0) return { stderr: result.stderr };
    return { object: new Uint8Array(readFileSync(join(dir, 'test.o'))), stderr: result.stderr };
  } finally {
    cleanup();
  }
}

/** Writes every built-in header below `dir` under its include name. */
export function writeBuiltinHeaders(dir: string): void {
  for (const [name, text] of builtinHeaders) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}
