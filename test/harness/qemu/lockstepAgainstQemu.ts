// One call for a differential test: boot the same multiboot image in QEMU (traced over a range)
// and in our machine, then compare them instruction by instruction.
// Owns: putting the runner, the parser, the machine and the comparator together.
import { readFileSync } from 'node:fs';
import { PcMachine } from '../../../src/emu/machine/pcMachine';
import { compareLockstep, type LockstepOptions, type LockstepResult } from './lockstepComparator';
import { machineTarget } from './machineTarget';
import { readQemuLog, type QemuStep } from './qemuLogParser';
import { runQemu } from './qemuRunner';

export interface LockstepRun {
  readonly image: string;
  /** Linear range QEMU logs and we compare (usually the kernel: 0x100000 .. _end). */
  readonly range: { readonly start: number; readonly length: number };
  readonly memoryMiB?: number;
  readonly commandLine?: string;
  /** Module specs "FILE [ARGS]", as for -initrd and --module. */
  readonly modules?: readonly string[];
  /** At most this many logged instructions are compared (default all). */
  readonly maxSteps?: number;
  readonly options?: LockstepOptions;
  readonly timeoutMs?: number;
}

export interface LockstepReport extends LockstepResult {
  readonly qemuStatus: number | null;
  readonly qemuSerial: string;
  readonly ourSerial: string;
}

export function lockstepAgainstQemu(run: LockstepRun): LockstepReport {
  const qemu = runQemu({ image: run.image, memoryMiB: run.memoryMiB, commandLine: run.commandLine, modules: run.modules, trace: run.range, timeoutMs: run.timeoutMs });
  try {
    let ourSerial = '';
    const machine = new PcMachine({ memoryMiB: run.memoryMiB ?? 128, serialOutput: (b) => (ourSerial += String.fromCharCode(b)) });
    machine.bootMultiboot(readFileSync(run.image), {
      kernelName: run.image,
      commandLine: run.commandLine ?? '',
      modules: (run.modules ?? []).map((spec) => ({ commandLine: spec, data: readFileSync(spec.split(' ')[0]!) })),
    });
    const steps: QemuStep[] = [];
    const limit = run.maxSteps ?? Infinity;
    readQemuLog(qemu.logPath!, (step) => {
      steps.push(step);
      return steps.length < limit;
    });
    const result = compareLockstep(machineTarget(machine), steps, { range: run.range, ...run.options });
    return { ...result, qemuStatus: qemu.status, qemuSerial: qemu.serial, ourSerial };
  } finally {
    qemu.dispose();
  }
}
