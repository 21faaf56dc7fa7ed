// `npm run bench`: every performance goal, measured against a reference in the same run and
// printed as ratios (never asserted in tests). Sections:
//  1. assembler: both lguest files, warm median, against spawning `gcc -m32 -c` on them;
//  2. emulator: k1 (6-instruction ALU+memory loop, paging on), k2 (ring-0 int/iret), k3 (ring-3
//     int/iret through the TSS) in lguest-debug, qemu-system-i386 -accel tcg and v86;
//  3. debugger load: k1 with 20 breakpoints and 4 watchpoints that never hit, against none.
// Sizes scale with BENCH_SCALE (default 1: k1 100 M iterations, k2/k3 10 M round trips).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAssemblerBench } from './assemblerBench';
import { buildKernelsWithGnu, type KernelImage } from './kernelImages';
import { qemuAvailable, runQemu, runV86, v86Available, type EngineRun } from './peerEngines';
import { runOurs } from './ourEngine';
import { formatSeconds } from './timing';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const repositoryRoot = join(__dirname, '..');

interface Workload {
  readonly kernel: 'k1' | 'k2' | 'k3';
  readonly small: number;
  readonly large: number;
  /** Instructions per iteration (k1) or per round trip (k2/k3), for MIPS. */
  readonly instructionsPerIteration: number;
  readonly unit: 'MIPS' | 'µs/round trip';
}

const workloads: Workload[] = [
  { kernel: 'k1', small: 1000, large: Math.round(100e6 * scale), instructionsPerIteration: 6, unit: 'MIPS' },
  { kernel: 'k2', small: 1000, large: Math.round(10e6 * scale), instructionsPerIteration: 5, unit: 'µs/round trip' },
  { kernel: 'k3', small: 1000, large: Math.round(10e6 * scale), instructionsPerIteration: 5, unit: 'µs/round trip' },
];

/** Per-iteration seconds from two runs, cancelling start-up cost. */
function perIteration(small: EngineRun, large: EngineRun, workload: Workload): number {
  return Math.max(large.seconds - small.seconds, 1e-9) / (workload.large - workload.small);
}

function describe(seconds: number, workload: Workload): string {
  return workload.unit === 'MIPS' ? `${(workload.instructionsPerIteration / seconds / 1e6).toFixed(1)} MIPS` : `${(seconds * 1e6).toFixed(3)} µs/round trip`;
}

async function measure(name: string, workload: Workload, run: (iterations: number) => EngineRun | Promise<EngineRun>): Promise<number | string> {
  try {
    const small = await run(workload.small);
    const large = await run(workload.large);
    const seconds = perIteration(small, large, workload);
    console.log(`  ${name.padEnd(14)} ${describe(seconds, workload).padEnd(22)} (${large.result}, ${formatSeconds(large.seconds)} for ${workload.large.toLocaleString('en')} iterations)`);
    return seconds;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`  ${name.padEnd(14)} failed: ${message}`);
    return message;
  }
}

function ratioLine(label: string, ours: number | string, reference: number | string | undefined, referenceName: string): void {
  if (typeof ours !== 'number' || typeof reference !== 'number') return;
  // Both are seconds per iteration: reference/ours > 1 means we are faster.
  console.log(`  ${label}: lguest-debug runs at ${(reference / ours).toFixed(3)}× the speed of ${referenceName}`);
}

async function emulatorSection(images: KernelImage[]): Promise<void> {
  const qemuSkip = qemuAvailable();
  const v86Skip = v86Available();
  if (qemuSkip) console.log(`  (QEMU skipped: ${qemuSkip})`);
  if (v86Skip) console.log(`  (v86 skipped: ${v86Skip})`);
  let k1Ours: number | string = 'not measured';
  for (const workload of workloads) {
    const image = images.find((i) => i.name === workload.kernel)!;
    console.log(`${workload.kernel} (${workload.unit}):`);
    const ours = await measure('lguest-debug', workload, (n) => runOurs(image.bytes, n));
    const qemu = qemuSkip ? undefined : await measure('qemu-tcg', workload, (n) => runQemu(image.path, n));
    const v86 = v86Skip ? undefined : await measure('v86', workload, (n) => runV86(image.bytes, n));
    ratioLine(workload.kernel, ours, qemu, 'QEMU TCG');
    ratioLine(workload.kernel, ours, v86, 'v86');
    if (workload.kernel === 'k1') k1Ours = ours;
  }
  await debuggerLoadSection(images.find((i) => i.name === 'k1')!, k1Ours);
}

async function debuggerLoadSection(k1: KernelImage, plain: number | string): Promise<void> {
  console.log('debugger load (k1 with 20 breakpoints and 4 write watchpoints that never hit):');
  const workload = workloads[0]!;
  // Breakpoints: ten in the kernel's code page (never executed: the exit path's unreachable tail and
  // data bytes), ten on other pages; watchpoints on the page tables' unused tail.
  const breakpoints = [...Array(10).keys()].map((i) => 0x100000 + 0xff0 + i).concat([...Array(10).keys()].map((i) => 0x200000 + i * 0x1000));
  const watchpoints = [0x600000, 0x601000, 0x602000, 0x603000];
  const loaded = await measure('with debugging', workload, (n) => runOurs(k1.bytes, n, { breakpoints, watchpoints }));
  if (typeof loaded === 'number' && typeof plain === 'number') console.log(`  throughput with breakpoints and watchpoints: ${(plain / loaded).toFixed(3)}× of the plain run (goal: close to 1)`);
}

async function main(): Promise<void> {
  console.log(`lguest-debug benchmarks (BENCH_SCALE=${scale}); ratios compare engines measured in this same run.\n`);
  console.log('assembler (switcher.S + i386_head.S):');
  runAssemblerBench(repositoryRoot);
  console.log('');
  const images = buildKernelsWithGnu(join(repositoryRoot, 'bench', 'kernels'), mkdtempSync(join(tmpdir(), 'lgd-bench-')));
  if (typeof images === 'string') {
    console.log(`emulator benchmarks skipped: ${images}`);
    return;
  }
  await emulatorSection(images);
}

void main();
