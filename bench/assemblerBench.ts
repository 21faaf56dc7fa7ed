// Assembler benchmark: the time to assemble switcher.S and i386_head.S (warm, median of many runs)
// next to the wall time of `gcc -m32 -c` on the same files with the same built-in headers.
// Goal: faster than spawning GNU as.
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assembleSource } from '../src/emu/asm/assemble';
import { nodeFileSystem } from '../src/emu/asm/nodeFileSystem';
import { builtinHeaders } from '../src/emu/lguest/builtinHeaders';
import { formatSeconds, median, medianDuration, timeCommand } from './timing';

export function runAssemblerBench(repositoryRoot: string): void {
  const lguest = join(repositoryRoot, '..', 'shared', 'lguest');
  const files = [join(lguest, 'switcher.S'), join(lguest, 'i386_head.S')];
  if (!files.every((f) => existsSync(f))) {
    console.log(`  skipped: the lguest sources are not at ${lguest}`);
    return;
  }
  const assembleBoth = () => {
    for (const file of files) {
      const module = assembleSource(file, nodeFileSystem);
      if (module.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${file} has errors`);
    }
  };
  for (let i = 0; i < 30; i++) assembleBoth(); // warm up the JIT
  const runs = 300;
  const ours = medianDuration(runs, assembleBoth);
  console.log(`  lguest-debug    ${formatSeconds(ours).padEnd(10)} (median of ${runs} warm runs, in process)`);

  const headerDirectory = mkdtempSync(join(tmpdir(), 'lgd-headers-'));
  for (const [name, text] of builtinHeaders) {
    mkdirSync(dirname(join(headerDirectory, name)), { recursive: true });
    writeFileSync(join(headerDirectory, name), text);
  }
  const gccRuns: number[] = [];
  for (let i = 0; i < 21; i++) {
    let total = 0;
    for (const file of files) {
      const run = timeCommand('gcc', ['-m32', '-c', '-D__ASSEMBLY__', '-I', headerDirectory, file, '-o', join(headerDirectory, 'out.o')]);
      if (run.status !== 0) {
        console.log(`  gcc -m32 -c unavailable or failed: ${run.stderr.trim() || 'gcc not found'}`);
        return;
      }
      total += run.seconds;
    }
    gccRuns.push(total);
  }
  const gcc = median(gccRuns);
  console.log(`  gcc -m32 -c     ${formatSeconds(gcc).padEnd(10)} (median of ${gccRuns.length} spawns of both files)`);
  console.log(`  ratio: lguest-debug takes ${(ours / gcc).toFixed(3)}× the time of gcc -m32 -c (goal: below 1)`);
}
