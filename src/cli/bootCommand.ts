// `lguest-debug boot IMAGE`: boots a multiboot kernel on the emulated PC the way
// `qemu-system-i386 -kernel IMAGE -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio
// -no-reboot` does, copying COM1 to stdout and exiting with the guest's isa-debug-exit status.
// Owns: argument parsing, reading the image and modules, the run loop in slices, the messages and
// exit statuses. Must not know: device or CPU internals (it drives a PcMachine).
import { readFileSync } from 'node:fs';
import { PcMachine, MAX_MEMORY_MIB, type MachineStopReason } from '../emu/machine/pcMachine';
import { LoaderError } from '../emu/machine/loader/loaderError';
import type { MultibootModuleInput } from '../emu/machine/loader/multibootLoader';

/** Exit statuses. isa-debug-exit statuses are always odd ((v << 1) | 1), so ours are even. */
export const BOOT_EXIT = {
  usage: 2,
  loadError: 4,
  tripleFault: 6,
  instructionLimit: 8,
  haltedForever: 10,
  cpuError: 12,
  reset: 14,
} as const;

export const BOOT_HELP = `usage: lguest-debug boot IMAGE [options]

Boots a multiboot (v1) kernel on the emulated PC, as qemu-system-i386 -kernel IMAGE does
(a.out kludge or ELF; the same multiboot information, memory map and entry state), and copies
COM1 output to stdout.

options:
  --cmdline STR           the kernel command line (the kernel sees "IMAGE STR", as with QEMU)
  --module "FILE [ARGS]"  load a module (repeatable); its string is "FILE [ARGS]"
  --memory MIB            RAM size in MiB (default 128, 2-${MAX_MEMORY_MIB})
  --max-instructions N    stop after N instructions (default 10000000000)
  --stats                 print instructions executed and MIPS on stderr
  -h, --help              this help

exit status:
  (v << 1) | 1  the guest wrote v to the isa-debug-exit port 0xF4 (odd, as QEMU reports it)
  0             never returned by a guest run (reserved for --help)
  ${BOOT_EXIT.usage}             bad command line
  ${BOOT_EXIT.loadError}             the image or a module could not be read or loaded
  ${BOOT_EXIT.tripleFault}             triple fault (QEMU with -no-reboot would stop here)
  ${BOOT_EXIT.instructionLimit}             the instruction limit was reached
  ${BOOT_EXIT.haltedForever}            the CPU halted with no interrupt that could wake it
  ${BOOT_EXIT.cpuError}            the emulator stopped on an internal error or an unexpected stop
  ${BOOT_EXIT.reset}            the guest reset the machine (port 0x92)`;

export interface BootOptions {
  readonly image: string;
  readonly commandLine: string;
  readonly modules: readonly string[];
  readonly memoryMiB: number;
  readonly maxInstructions: number;
  readonly stats: boolean;
}

export interface CommandIo {
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
}

export class UsageError extends Error {}

/** Parses `boot` arguments; throws UsageError with a message for the user. */
export function parseBootArguments(args: readonly string[]): BootOptions | 'help' {
  let image: string | undefined;
  let commandLine = '';
  const modules: string[] = [];
  let memoryMiB = 128;
  let maxInstructions = 10_000_000_000;
  let stats = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '-h': case '--help': return 'help';
      case '--cmdline': commandLine = value(); break;
      case '--module': modules.push(value()); break;
      case '--memory': memoryMiB = parseCount(arg, value(), 2, MAX_MEMORY_MIB); break;
      case '--max-instructions': maxInstructions = parseCount(arg, value(), 1, Number.MAX_SAFE_INTEGER); break;
      case '--stats': stats = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        if (image !== undefined) throw new UsageError(`only one IMAGE may be given (got ${image} and ${arg})`);
        image = arg;
    }
  }
  if (image === undefined) throw new UsageError('missing IMAGE');
  return { image, commandLine, modules, memoryMiB, maxInstructions, stats };
}

function parseCount(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max} (got '${text}')`);
  }
  return value;
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new LoaderError(`cannot read ${what} '${path}': ${reason}`);
  }
}

/** A module argument "FILE ARGS": the file name is everything up to the first space. */
function readModules(specs: readonly string[]): MultibootModuleInput[] {
  return specs.map((spec) => ({ commandLine: spec, data: readInput(spec.split(' ')[0]!, 'module') }));
}

/** Runs the command; returns the process exit status. */
export async function runBootCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let options: BootOptions | 'help';
  try {
    options = parseBootArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`lguest-debug boot: ${error.message}\n${BOOT_HELP}\n`);
    return BOOT_EXIT.usage;
  }
  if (options === 'help') {
    io.stdout(`${BOOT_HELP}\n`);
    return 0;
  }
  let machine: PcMachine;
  const serial = new SerialBuffer(io);
  try {
    const image = readInput(options.image, 'image');
    const modules = readModules(options.modules);
    machine = new PcMachine({ memoryMiB: options.memoryMiB, serialOutput: serial.push });
    machine.bootMultiboot(image, { kernelName: options.image, commandLine: options.commandLine, modules });
  } catch (error) {
    if (!(error instanceof LoaderError)) throw error;
    io.stderr(`lguest-debug boot: ${error.message}\n`);
    return BOOT_EXIT.loadError;
  }
  return runToEnd(machine, options, io, serial);
}

/** Buffers COM1 bytes and writes them once per slice rather than once per byte. */
class SerialBuffer {
  private pending: number[] = [];
  constructor(private readonly io: CommandIo) {}

  readonly push = (byte: number): void => {
    this.pending.push(byte);
    if (this.pending.length >= 65536) this.flush();
  };

  flush(): void {
    if (this.pending.length === 0) return;
    this.io.stdout(Uint8Array.from(this.pending));
    this.pending = [];
  }
}

const SLICE = 5_000_000;

async function runToEnd(machine: PcMachine, options: BootOptions, io: CommandIo, serial: SerialBuffer): Promise<number> {
  const started = process.hrtime.bigint();
  const startCount = machine.cpu.instructionCount;
  let stop: MachineStopReason;
  for (;;) {
    const budget = Math.min(SLICE, options.maxInstructions - (machine.cpu.instructionCount - startCount));
    if (budget <= 0) {
      stop = { kind: 'budget' };
      break;
    }
    stop = machine.run(budget);
    serial.flush();
    // 'exception' stops only happen when asked for; resuming delivers the exception.
    if (stop.kind !== 'budget' && stop.kind !== 'halted' && stop.kind !== 'exception') break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  serial.flush();
  const executed = machine.cpu.instructionCount - startCount;
  if (options.stats) reportStats(io, executed, Number(process.hrtime.bigint() - started) / 1e9);
  return describeStop(stop, io, options);
}

function reportStats(io: CommandIo, instructions: number, seconds: number): void {
  const mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
  io.stderr(`instructions: ${instructions}\ntime: ${seconds.toFixed(3)} s\nMIPS: ${mips.toFixed(2)}\n`);
}

function describeStop(stop: MachineStopReason, io: CommandIo, options: BootOptions): number {
  switch (stop.kind) {
    case 'exit':
      return stop.code & 0xff;
    case 'budget':
      io.stderr(`lguest-debug boot: stopped after the instruction limit (${options.maxInstructions} instructions)\n`);
      return BOOT_EXIT.instructionLimit;
    case 'tripleFault':
      io.stderr(`lguest-debug boot: triple fault: ${stop.description}\n`);
      return BOOT_EXIT.tripleFault;
    case 'haltedForever':
      io.stderr(`lguest-debug boot: ${stop.description}\n`);
      return BOOT_EXIT.haltedForever;
    case 'reset':
      io.stderr(`lguest-debug boot: ${stop.description}\n`);
      return BOOT_EXIT.reset;
    case 'internalError':
      io.stderr(`lguest-debug boot: emulator internal error: ${stop.message}\n`);
      return BOOT_EXIT.cpuError;
    default:
      io.stderr(`lguest-debug boot: the machine stopped unexpectedly (${JSON.stringify(stop)})\n`);
      return BOOT_EXIT.cpuError;
  }
}
