// Build: bundles the four entry points (extension, debug adapter, language server, CLI) into dist/
// with esbuild; with --tests it also transpiles src/, test/ and bench/ file by file into out/ so that
// `node --test` runs the tests; with --bench it bundles bench/run.ts into out/bench.js. Type
// checking is a test of its own (test/typecheck.test.ts).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const withTests = process.argv.includes('--tests');
const withBench = process.argv.includes('--bench');

function listTypeScript(dir) {
  const found = [];
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listTypeScript(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

const entryPoints = {
  extension: 'src/extension/extension.ts',
  debugAdapter: 'src/debugAdapter/main.ts',
  languageServer: 'src/languageServer/main.ts',
  cli: 'src/cli/main.ts',
};

const bundles = Object.entries(entryPoints)
  .filter(([, file]) => existsSync(join(root, file)))
  .map(([name, file]) =>
    build({
      absWorkingDir: root,
      entryPoints: [file],
      outfile: `dist/${name}.js`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      external: ['vscode'],
      logLevel: 'warning',
    }),
  );

const transpile = withTests
  ? (() => {
      rmSync(join(root, 'out'), { recursive: true, force: true });
      const files = ['src', 'test', 'bench'].flatMap((dir) => listTypeScript(join(root, dir)));
      return [
        build({
          absWorkingDir: root,
          entryPoints: files,
          outdir: 'out',
          outbase: '.',
          bundle: false,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          sourcemap: 'inline',
          logLevel: 'warning',
        }),
      ];
    })()
  : [];

// The benchmarks run bundled, like the shipped entry points: per-file transpiled code pays a getter
// call for every cross-module import, which would misstate the emulator's speed several times over.
const bench = withBench
  ? [
      build({
        absWorkingDir: root,
        entryPoints: ['bench/run.ts'],
        outfile: 'out/bench.js',
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: true,
        external: ['v86'],
        logLevel: 'warning',
      }),
    ]
  : [];

await Promise.all([...bundles, ...transpile, ...bench]);
