// The reference engines the emulator is measured against in the same run: qemu-system-i386 (TCG)
// spawned per run, and the npm v86 package in this process. Both boot the same flat multiboot
// images; completion is the kernel's "<name> done <checksum>" line on COM1.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nowSeconds, timeCommand } from './timing';

export interface EngineRun {
  readonly seconds: number;
  /** The kernel's completion line, e.g. "k1 done 2bf91900". */
  readonly result: string;
}

export function qemuAvailable(): string | false {
  const probe = timeCommand('qemu-system-i386', ['--version'], 20);
  return probe.status === 0 ? false : 'qemu-system-i386 is not installed (Debian package qemu-system-x86)';
}

export function runQemu(imagePath: string, iterations: number): EngineRun {
  const run = timeCommand('qemu-system-i386', [
    '-accel', 'tcg', '-display', 'none', '-no-reboot', '-serial', 'stdio', '-monitor', 'none',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-m', '128', '-kernel', imagePath, '-append', `n=${iterations}`,
  ]);
  const result = completionLine(run.stdout);
  if (!result) throw new Error(`QEMU did not finish ${imagePath}: status ${run.status} ${run.stderr.trim()}`);
  return { seconds: run.seconds, result };
}

export function v86Available(): string | false {
  try {
    const main = require.resolve('v86');
    return existsSync(join(dirname(main), 'v86.wasm')) ? false : 'the v86 package has no v86.wasm';
  } catch {
    return 'the npm package v86 is not installed';
  }
}

export async function runV86(image: Uint8Array, iterations: number): Promise<EngineRun> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { V86 } = require('v86') as { V86: new (options: Record<string, unknown>) => V86Emulator };
  const wasmPath = join(dirname(require.resolve('v86')), 'v86.wasm');
  const buffer = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength);
  return new Promise((resolve, reject) => {
    const start = nowSeconds();
    const emulator = new V86({
      wasm_path: wasmPath,
      memory_size: 128 * 1024 * 1024,
      vga_memory_size: 2 * 1024 * 1024,
      multiboot: { buffer },
      cmdline: `bench n=${iterations}`,
      autostart: false,
    });
    let output = '';
    const timer = setTimeout(() => {
      emulator.destroy();
      reject(new Error(`v86 did not finish within 10 minutes (output so far: ${JSON.stringify(output)})`));
    }, 600_000);
    // v86's multiboot support claims port 0xF4 and throws when it is written; the kernels write it
    // to exit (isa-debug-exit), so the port is made a no-op before the guest starts.
    emulator.add_listener('emulator-loaded', () => {
      const io = emulator.v86?.cpu?.io;
      if (io) io.register_write(DEBUG_EXIT_PORT, undefined, () => {}, () => {}, () => {});
      void emulator.run();
    });
    emulator.add_listener('serial0-output-byte', (byte: number) => {
      output += String.fromCharCode(byte);
      const result = completionLine(output);
      if (result) {
        const seconds = nowSeconds() - start;
        clearTimeout(timer);
        emulator.destroy();
        resolve({ seconds, result });
      }
    });
  });
}

const DEBUG_EXIT_PORT = 0xf4;

interface V86Emulator {
  add_listener(event: string, listener: (value: number) => void): void;
  run(): Promise<void>;
  destroy(): void;
  /** v86's internals, used only to silence its port 0xF4 handler. */
  v86?: { cpu?: { io?: { register_write(port: number, device: unknown, w8: () => void, w16: () => void, w32: () => void): void } } };
}

export function completionLine(output: string): string | undefined {
  const match = /(k\d) done ([0-9a-f]{8})\n/.exec(output);
  return match ? `${match[1]} done ${match[2]}` : undefined;
}
