// Runs qemu-system-i386 on a multiboot kernel the way the differential tests need it: TCG, one
// instruction per translation block, `-d cpu,nochain[,int]` filtered to an address range into a
// log file, COM1 into a file, isa-debug-exit at 0xF4, no display, no reboot.
// Owns: the command line (checked against QEMU 7.2) and collecting the results.
// Must not know: the log format (qemuLogParser.ts) or our emulator.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QemuTraceRange {
  /** First linear address logged (QEMU's -dfilter compares the instruction's pc). */
  readonly start: number;
  readonly length: number;
  /** Adds `-d int` (a line and a state dump per interrupt or exception). Default true. */
  readonly interrupts?: boolean;
}

export interface QemuRunOptions {
  /** The kernel image (flat binary with the a.out kludge, or ELF). */
  readonly image: string;
  /** `-append`: QEMU puts "<image> <cmdline>" in the multiboot command line. */
  readonly commandLine?: string;
  /** `-initrd` entries, each "file [args]". */
  readonly modules?: readonly string[];
  readonly memoryMiB?: number;
  readonly trace?: QemuTraceRange;
  /** Default 60 s; QEMU is killed after it. */
  readonly timeoutMs?: number;
  readonly extraArgs?: readonly string[];
}

export interface QemuRunResult {
  /** QEMU's exit status: (v << 1) | 1 after the guest writes v to 0xF4. */
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly serial: string;
  readonly stderr: string;
  /** The -D log file (when tracing); lives in `directory`. */
  readonly logPath: string | undefined;
  readonly directory: string;
  readonly args: readonly string[];
  dispose(): void;
}

export function qemuArguments(options: QemuRunOptions, serialPath: string, logPath: string | undefined): string[] {
  const args = ['-accel', 'tcg', '-m', String(options.memoryMiB ?? 128), '-kernel', options.image];
  if (options.commandLine !== undefined) args.push('-append', options.commandLine);
  if (options.modules && options.modules.length > 0) args.push('-initrd', options.modules.join(','));
  if (options.trace && logPath) {
    const items = options.trace.interrupts === false ? 'cpu,nochain' : 'cpu,nochain,int';
    const range = `0x${options.trace.start.toString(16)}+0x${options.trace.length.toString(16)}`;
    args.push('-singlestep', '-d', items, '-dfilter', range, '-D', logPath);
  }
  args.push('-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-serial', `file:${serialPath}`);
  args.push('-display', 'none', '-monitor', 'none', '-no-reboot', ...(options.extraArgs ?? []));
  return args;
}

export function runQemu(options: QemuRunOptions): QemuRunResult {
  const directory = mkdtempSync(join(tmpdir(), 'lgd-qemu-'));
  const serialPath = join(directory, 'serial.txt');
  const logPath = options.trace ? join(directory, 'qemu.log') : undefined;
  const args = qemuArguments(options, serialPath, logPath);
  const result = spawnSync('qemu-system-i386', args, { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL' });
  const timedOut = result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw new Error(`qemu-system-i386 could not run: ${result.error.message}`);
  return {
    status: result.status,
    timedOut,
    serial: existsSync(serialPath) ? readFileSync(serialPath, 'latin1') : '',
    stderr: result.stderr ?? '',
    logPath,
    directory,
    args,
    dispose: () => rmSync(directory, { recursive: true, force: true }),
  };
}
