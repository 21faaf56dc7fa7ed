// lguest-debug's own engine for the benchmarks: the PC machine with the emulator CPU, in this
// process, booting the same flat multiboot images as the peers. Also measures the cost of debugger
// breakpoints and watchpoints that never hit.
import { PcMachine } from '../src/emu/machine/pcMachine';
import type { Cpu } from '../src/emu/cpu/cpu';
import { completionLine, type EngineRun } from './peerEngines';
import { nowSeconds } from './timing';

export interface OurRun extends EngineRun {
  readonly instructions: number;
}

export interface DebugLoad {
  /** Linear addresses to set breakpoints on (never executed). */
  readonly breakpoints: readonly number[];
  /** Linear addresses to watch for writes (never written). */
  readonly watchpoints: readonly number[];
}

export function runOurs(image: Uint8Array, iterations: number, debugLoad?: DebugLoad): OurRun {
  let output = '';
  const machine = new PcMachine({ memoryMiB: 128, serialOutput: (byte) => (output += String.fromCharCode(byte)) });
  machine.bootMultiboot(image, { kernelName: 'bench', commandLine: `n=${iterations}` });
  const cpu = machine.cpu as Cpu;
  if (debugLoad) {
    for (const address of debugLoad.breakpoints) cpu.addBreakpoint(address);
    cpu.setWatchpoints(debugLoad.watchpoints.map((address) => ({ space: 'linear' as const, address, length: 4, access: 'write' as const })));
  }
  const start = nowSeconds();
  const stop = machine.run(Number.MAX_SAFE_INTEGER);
  const seconds = nowSeconds() - start;
  const result = completionLine(output);
  if (stop.kind !== 'exit' || !result) {
    const detail = 'description' in stop ? stop.description : 'message' in stop ? stop.message : '';
    throw new Error(`lguest-debug stopped with '${stop.kind}' ${detail} at EIP 0x${cpu.eip.toString(16)} (COM1: ${JSON.stringify(output.slice(-200))})`);
  }
  return { seconds, result, instructions: cpu.instructionCount };
}
