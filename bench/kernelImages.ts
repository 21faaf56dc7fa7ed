// Builds the benchmark kernels (bench/kernels/k*.S) into flat multiboot images linked at 1 MiB.
// GNU as + ld build them when present (the reference path); lguest-debug's own assembler builds
// them otherwise (and the bench checks both give the same bytes when both exist).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KERNEL_NAMES = ['k1', 'k2', 'k3'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export interface KernelImage {
  readonly name: KernelName;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly builtBy: string;
}

export function buildKernelsWithGnu(sourceDirectory: string, outputDirectory: string): KernelImage[] | string {
  mkdirSync(outputDirectory, { recursive: true });
  const images: KernelImage[] = [];
  for (const name of KERNEL_NAMES) {
    const object = join(outputDirectory, `${name}.o`);
    const image = join(outputDirectory, `${name}.bin`);
    const assemble = spawnSync('gcc', ['-m32', '-c', '-x', 'assembler-with-cpp', join(sourceDirectory, `${name}.S`), '-o', object], { encoding: 'utf8' });
    if (assemble.status !== 0) return `gcc -m32 -c failed for ${name}: ${assemble.stderr || assemble.error?.message}`;
    const link = spawnSync('ld', ['-m', 'elf_i386', '-Ttext=0x100000', '--oformat=binary', '-e', 'kernel_entry', '-o', image, object], { encoding: 'utf8' });
    if (link.status !== 0 || !existsSync(image)) return `ld failed for ${name}: ${link.stderr || link.error?.message}`;
    images.push({ name, path: image, bytes: new Uint8Array(readFileSync(image)), builtBy: 'gcc -m32 -c + ld' });
  }
  return images;
}
