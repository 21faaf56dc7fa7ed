// What a launch configuration turns into: a PC machine with a multiboot kernel loaded, plus the
// assembled Program (sections, symbols, line table) when the program is an assembly source.
// Owns: assembling, linking at the kernel's address and booting. Must not know: DAP.
import { readFileSync, existsSync } from 'node:fs';
import { assembleProgram } from '../emu/asm/assemble';
import { formatDiagnostic, hasErrors } from '../emu/asm/diagnostics';
import { flatImage } from '../emu/asm/link/flatImage';
import { nodeFileSystem } from '../emu/asm/nodeFileSystem';
import type { Program } from '../emu/asm/program';
import { PcMachine } from '../emu/machine/pcMachine';

export interface LaunchArguments {
  /** A .S/.s multiboot kernel source (assembled and linked at `baseAddress`) or a multiboot image. */
  readonly program: string;
  readonly cmdline?: string;
  readonly memoryMiB?: number;
  readonly includePaths?: readonly string[];
  /** Link address of the kernel's first section (default 1 MiB). */
  readonly baseAddress?: number;
}

export interface DebugTarget {
  readonly machine: PcMachine;
  readonly program: Program | undefined;
}

export type TargetResult = { readonly ok: true; readonly target: DebugTarget } | { readonly ok: false; readonly message: string };

export function createDebugTarget(args: LaunchArguments, serialOutput: (byte: number) => void): TargetResult {
  if (typeof args.program !== 'string' || args.program === '') return { ok: false, message: 'the launch configuration needs "program": a .S file or a multiboot image' };
  if (!existsSync(args.program)) return { ok: false, message: `program not found: ${args.program}` };
  let image: Uint8Array;
  let program: Program | undefined;
  if (/\.[sS]$/.test(args.program)) {
    program = assembleProgram([args.program], nodeFileSystem, { includePaths: args.includePaths ?? [], baseAddress: args.baseAddress ?? 0x100000 });
    if (hasErrors(program.diagnostics)) return { ok: false, message: program.diagnostics.map(formatDiagnostic).join('\n') };
    image = flatImage(program).bytes;
  } else {
    image = new Uint8Array(readFileSync(args.program));
  }
  try {
    const machine = new PcMachine({ memoryMiB: args.memoryMiB ?? 128, serialOutput });
    machine.bootMultiboot(image, { kernelName: args.program, commandLine: args.cmdline ?? '' });
    return { ok: true, target: { machine, program } };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
