// The layering rules of reference/architecture.md, checked over every source file: the engine
// (src/emu) never imports VS Code, the debug adapter library or the language server library, and
// the layers only import downwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { repositoryRoot } from './helpers/sharedFiles';

const srcRoot = join(repositoryRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3] ?? match[4]!);
  return specifiers;
}

/** The src-relative layer a file or resolved import belongs to, e.g. 'emu/cpu', 'extension'. */
function layerOf(srcRelative: string): string {
  const parts = srcRelative.split('/');
  return parts[0] === 'emu' ? `emu/${parts[1]}` : parts[0]!;
}

const forbiddenPackages: Record<string, RegExp> = {
  vscode: /^vscode$/,
  debugadapter: /^@vscode\/debugadapter$/,
  languageserver: /^vscode-languageserver(\/.*)?$/,
  languageclient: /^vscode-languageclient(\/.*)?$/,
};

/** Which packages each layer may import (beyond node: built-ins and iced-x86 where stated). */
const packageRules: Record<string, (specifier: string) => boolean> = {
  extension: (s) => !forbiddenPackages.debugadapter!.test(s) && !forbiddenPackages.languageserver!.test(s),
  debugAdapter: (s) => !forbiddenPackages.vscode!.test(s) && !forbiddenPackages.languageserver!.test(s) && !forbiddenPackages.languageclient!.test(s),
  languageServer: (s) => !forbiddenPackages.vscode!.test(s) && !forbiddenPackages.debugadapter!.test(s) && !forbiddenPackages.languageclient!.test(s),
  cli: (s) => !Object.values(forbiddenPackages).some((r) => r.test(s)),
};

/** Which internal layers each layer may import. */
const layerRules: Record<string, readonly string[]> = {
  'emu/isa': ['emu/isa'],
  'emu/asm': ['emu/asm', 'emu/isa', 'emu/lguest'],
  'emu/cpu': ['emu/cpu', 'emu/isa', 'emu/machine'],
  'emu/machine': ['emu/machine', 'emu/cpu', 'emu/isa', 'emu/asm'],
  'emu/lguest': ['emu/lguest', 'emu/machine', 'emu/cpu', 'emu/isa', 'emu/asm'],
  debugAdapter: ['debugAdapter', 'emu/isa', 'emu/asm', 'emu/cpu', 'emu/machine', 'emu/lguest'],
  languageServer: ['languageServer', 'emu/asm', 'emu/isa', 'emu/lguest'],
  extension: ['extension', 'debugAdapter', 'languageServer', 'emu/isa', 'emu/asm'],
  cli: ['cli', 'debugAdapter', 'emu/isa', 'emu/asm', 'emu/cpu', 'emu/machine', 'emu/lguest'],
};

test('the engine and each layer import only what the architecture allows', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const fromLayer = layerOf(relative(srcRoot, file));
    for (const specifier of importsOf(file)) {
      const where = `${relative(repositoryRoot, file)} imports '${specifier}'`;
      if (specifier.startsWith('.')) {
        const target = relative(srcRoot, resolve(dirname(file), specifier));
        if (target.startsWith('..')) {
          violations.push(`${where}: outside src/`);
          continue;
        }
        const toLayer = layerOf(target);
        const allowed = layerRules[fromLayer];
        if (allowed && !allowed.includes(toLayer)) violations.push(`${where}: ${fromLayer} may not import ${toLayer}`);
        continue;
      }
      if (fromLayer.startsWith('emu/')) {
        if (Object.values(forbiddenPackages).some((r) => r.test(specifier))) violations.push(`${where}: the engine must not import editor or protocol libraries`);
        if (fromLayer === 'emu/isa' && !specifier.startsWith('node:')) violations.push(`${where}: the instruction table imports nothing`);
        continue;
      }
      const rule = packageRules[fromLayer];
      if (rule && !rule(specifier)) violations.push(`${where}: not allowed in ${fromLayer}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the assembler core reads files only through an injected SourceFileSystem', () => {
  const offenders = sourceFiles(join(srcRoot, 'emu', 'asm'))
    .filter((file) => !file.endsWith('nodeFileSystem.ts'))
    .filter((file) => importsOf(file).some((s) => s === 'node:fs' || s === 'fs' || s === 'node:fs/promises'))
    .map((file) => relative(repositoryRoot, file));
  assert.deepEqual(offenders, []);
});

test('the import scanner sees imports (self-check)', () => {
  const sample = join(srcRoot, 'emu', 'asm', 'diagnostics.ts');
  assert.ok(importsOf(sample).includes('./sourceLocation'));
});
