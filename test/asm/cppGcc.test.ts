// Differential tests against GCC's preprocessor: our output and `gcc -m32 -E -P -x
// assembler-with-cpp` must have the same lines with the same tokens and the same places where
// whitespace separates them (runs of blanks compared as one space). Fixtures are ours, in
// test/asm/fixtures/cpp. Skips, naming the tool, when gcc is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import { PREDEFINED_MACROS } from '../../src/emu/asm/cpp/predefinedMacros';
import type { PreprocessOptions } from '../../src/emu/asm/cpp/preprocessedText';
import { formatDiagnostic } from '../../src/emu/asm/diagnostics';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import { repositoryRoot } from '../helpers/sharedFiles';
import { gccPreprocessSkipReason } from '../helpers/tools';

const fixtures = join(repositoryRoot, 'test', 'asm', 'fixtures', 'cpp');
const includePaths = [join(fixtures, 'include'), join(fixtures, 'include', 'next1'), join(fixtures, 'include', 'next2')];
const skip = gccPreprocessSkipReason();

function gccLines(file: string, paths: readonly string[], extra: readonly string[] = []): string[] {
  const args = ['-m32', '-E', '-P', '-x', 'assembler-with-cpp', '-D__ASSEMBLY__', ...paths.flatMap((p) => ['-I', p]), ...extra, file];
  const result = spawnSync('gcc', args, { encoding: 'latin1', timeout: 60_000 });
  assert.equal(result.status, 0, `gcc ${args.join(' ')}\n${result.stderr}`);
  return normalise(result.stdout.split('\n'));
}

function ourLines(file: string, options: PreprocessOptions): string[] {
  const result = preprocess(file, nodeFileSystem, { defines: { __ASSEMBLY__: '1' }, ...options });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => formatDiagnostic(d)), [], file);
  return normalise(result.lines.map((line) => line.text));
}

/** Blank runs become one space, lines are trimmed, empty lines dropped. */
function normalise(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim()).filter((line) => line.length > 0);
}

for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.S')).sort()) {
  test(`fixture ${name} preprocesses as gcc -E does`, { skip }, () => {
    const file = join(fixtures, name);
    assert.deepEqual(ourLines(file, { includePaths }), gccLines(file, includePaths));
  });
}

test('built-in headers behave like the same files found through -I', { skip }, () => {
  const headers = new Map([
    ['asm/defs.h', '#define DEF_A 10\n#define DEF_STR(x) #x\n#include "more.h"\n'],
    ['asm/more.h', '#define MORE(x, y...) x + DEF_A , ## y\n'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'lgd-cpp-'));
  try {
    for (const [name, text] of headers) {
      mkdirSync(dirname(join(dir, 'inc', name)), { recursive: true });
      writeFileSync(join(dir, 'inc', name), text);
    }
    const source = join(dir, 'main.S');
    writeFileSync(source, '#include <asm/defs.h>\n\tmovl $DEF_A, %eax\n\t.ascii DEF_STR(MORE(1))\n\t.long MORE(2), MORE(3, 4, 5)\n');
    assert.deepEqual(ourLines(source, { builtinHeaders: headers }), gccLines(source, [join(dir, 'inc')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every predefined macro has the value gcc -m32 gives it for assembler-with-cpp', { skip }, () => {
  const result = spawnSync('gcc', ['-m32', '-E', '-dM', '-x', 'assembler-with-cpp', '/dev/null'], { encoding: 'latin1' });
  assert.equal(result.status, 0, result.stderr);
  const gcc = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^#define (\S+?(?:\([^)]*\))?)(?: (.*))?$/.exec(line);
    if (match) gcc.set(match[1]!, (match[2] ?? '').trim());
  }
  // The compiler version and the default -march for -m32 differ between gcc builds.
  const buildSpecific = /^(__GNUC(_MINOR|_PATCHLEVEL)?__|__VERSION__|__i686(__)?|__pentiumpro(__)?)$/;
  for (const definition of PREDEFINED_MACROS) {
    const match = /^(\S+?(?:\([^)]*\))?)(?: (.*))?$/.exec(definition)!;
    if (buildSpecific.test(match[1]!)) continue;
    assert.equal(gcc.get(match[1]!), (match[2] ?? '').trim(), definition);
  }
});

/** A deterministic generator of small, often ill-formed macro programs (a seeded LCG). */
function randomProgram(seed: number): string {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const names = ['A', 'B', 'C', 'F', 'G', 'H', 'E', 'P', 'Q'];
  const atoms = ['x', 'y', '1', '2f', '0x1F', '$', '%eax', '+', '-', '<', '>', '=', '#', ',', '.', '"s"', "'c'", '...', '<<', 'a.b', '\\', '@', '/*c*/', 'L', 'e+'];
  const lines: string[] = [];
  for (const name of names) {
    const params = ['a', 'b', 'c'].slice(0, Math.floor(random() * 4));
    const variadic = random() < 0.4;
    const refs = [...params, ...(variadic ? ['__VA_ARGS__'] : [])];
    const body: string[] = [];
    for (let i = Math.floor(random() * 7); i > 0; i--) {
      const r = random();
      if (refs.length && r < 0.3) body.push(pick(['#', '', '', `${pick(names)} ## `]) + pick(refs));
      else if (variadic && r < 0.4) body.push(pick(['__VA_OPT__(x a)', ', ## __VA_ARGS__', '#__VA_OPT__(__VA_ARGS__ y)']));
      else if (r < 0.6) body.push(pick(names));
      else body.push(pick(atoms));
    }
    const list = random() < 0.7 ? `(${[...params, ...(variadic ? ['...'] : [])].join(', ')})` : '';
    lines.push(`#define ${name}${list} ${body.join(' ')}`);
  }
  const argument = (depth: number): string =>
    random() < 0.25 && depth < 3 ? `${pick(names)}(${argument(depth + 1)}, ${argument(depth + 1)})` : [pick(atoms), pick(names)].slice(0, Math.floor(random() * 3)).join(' ');
  for (let i = 0; i < 12; i++) {
    const parts: string[] = [];
    for (let j = Math.floor(random() * 5) + 1; j > 0; j--) parts.push(random() < 0.5 ? `${pick(names)}(${argument(0)}${random() < 0.15 ? ',\n' : ', '}${argument(0)})` : pick([...atoms, ...names]));
    lines.push((random() < 0.5 ? '\t' : '') + parts.join(random() < 0.5 ? ' ' : ''));
  }
  return `${lines.join('\n')}\n`;
}

test('random macro programs, well-formed or not, preprocess as gcc -E does', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-cpp-'));
  try {
    for (let seed = 1; seed <= 60; seed++) {
      const file = join(dir, `random${seed}.S`);
      writeFileSync(file, randomProgram(seed));
      const gcc = spawnSync('gcc', ['-m32', '-E', '-P', '-x', 'assembler-with-cpp', file], { encoding: 'latin1' });
      const ours = preprocess(file, nodeFileSystem);
      assert.deepEqual(normalise(ours.lines.map((l) => l.text)), normalise(gcc.stdout.split('\n')), `seed ${seed}:\n${randomProgram(seed)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
