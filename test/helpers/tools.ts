// Detects the external reference tools the differential tests compare against, so that a test
// without its tool skips with a message naming the tool and why it is needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cache = new Map<string, string | false>();

function probe(key: string, check: () => boolean, why: string): string | false {
  if (!cache.has(key)) cache.set(key, check() ? false : why);
  return cache.get(key)!;
}

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}

/** False when GNU as (with --32) is usable, else the skip message. */
export function gnuAsSkipReason(): string | false {
  return probe('as', () => runs('as', ['--32', '--version']), 'GNU as is not installed (binutils): it is the reference for the assembler\'s bytes');
}

/** False when `gcc -m32 -c` can assemble a .S file, else the skip message. */
export function gccAssembleSkipReason(): string | false {
  return probe(
    'gcc-c',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'lgd-probe-'));
      try {
        writeFileSync(join(dir, 't.S'), 'nop\n');
        return runs('gcc', ['-m32', '-c', join(dir, 't.S'), '-o', join(dir, 't.o')]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    'gcc is not installed: `gcc -m32 -c -D__ASSEMBLY__` is the reference build of the lguest .S files',
  );
}

/** False when `gcc -m32 -E -x assembler-with-cpp` runs, else the skip message. */
export function gccPreprocessSkipReason(): string | false {
  return probe(
    'gcc-E',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'lgd-probe-'));
      try {
        writeFileSync(join(dir, 't.S'), '#define X 1\nX\n');
        return runs('gcc', ['-m32', '-E', '-P', '-x', 'assembler-with-cpp', join(dir, 't.S'), '-o', join(dir, 't.i')]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    'gcc is not installed: `gcc -m32 -E -x assembler-with-cpp` is the reference for the C preprocessor',
  );
}

/** False when 32-bit programs can be linked and run natively (gcc-multilib), else the skip message. */
export function nativeI386SkipReason(): string | false {
  return probe(
    'gcc-m32-run',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'lgd-probe-'));
      try {
        writeFileSync(join(dir, 't.c'), 'int main(void){return 0;}\n');
        return runs('gcc', ['-m32', join(dir, 't.c'), '-o', join(dir, 't')]) && runs(join(dir, 't'), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    'gcc -m32 cannot link and run 32-bit programs (install gcc-multilib): the host CPU is the reference for instruction results',
  );
}

/** False when qemu-system-i386 is installed, else the skip message. */
export function qemuSkipReason(): string | false {
  return probe(
    'qemu',
    () => runs('qemu-system-i386', ['--version']),
    'qemu-system-i386 is not installed (qemu-system-x86): it is the reference for system-level CPU behaviour',
  );
}

/** False when GNU ld can link 32-bit objects, else the skip message. */
export function gnuLdSkipReason(): string | false {
  return probe('ld', () => runs('ld', ['-m', 'elf_i386', '--version']), 'GNU ld is not installed (binutils): it checks that our .o files link');
}
