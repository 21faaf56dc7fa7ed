// The preprocessor on lguest's real assembly (read from ../shared/lguest at test time, never
// copied). The built-in headers here are our own minimal stand-ins: the names the files use,
// defined as numbers or tiny text of ours. Line numbers are found by searching the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { preprocess } from '../../src/emu/asm/cpp/preprocess';
import { pieceAt, type PreprocessedLine, type PreprocessResult } from '../../src/emu/asm/cpp/preprocessedText';
import { formatDiagnostic } from '../../src/emu/asm/diagnostics';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import type { ExpansionFrame } from '../../src/emu/asm/sourceLocation';
import { lguestFiles, lguestSkipReason, readLguestFile } from '../helpers/sharedFiles';
import { gccPreprocessSkipReason } from '../helpers/tools';

const LINKAGE = '#define ALIGN .align 4,0x90\n#define ENTRY(name) .globl name; ALIGN; name:\n';

/** Our stand-in headers; every LGUEST_PAGES_* / LGUEST_DATA_* name the files use gets a number. */
function standInHeaders(): Map<string, string> {
  const sources = lguestSkipReason ? '' : readLguestFile('switcher') + readLguestFile('guestHead');
  const offsets = [...new Set(sources.match(/\bLGUEST_(?:PAGES|DATA)_\w+/g) ?? [])].sort();
  return new Map([
    ['linux/linkage.h', LINKAGE],
    ['linux/lguest.h', '#ifndef __ASSEMBLY__\n#error C only\n#endif\n'],
    ['asm/lguest_hcall.h', '#define LHCALL_LGUEST_INIT 100\n#define LGUEST_TRAP_ENTRY 0x1F\n'],
    ['asm/asm-offsets.h', offsets.map((name, i) => `#define ${name} ${i * 8}\n`).join('')],
    ['asm/thread_info.h', '#define THREAD_SIZE 8192\n#define __PAGE_OFFSET 0xC0000000\n'],
    ['asm/processor-flags.h', '#define X86_EFLAGS_IF 0x200\n'],
    ['lg.h', '#define LGUEST_DS 0x70\n#define GDT_ENTRY_TSS 16\n'],
  ]);
}

const headers = standInHeaders();

function run(which: keyof typeof lguestFiles): PreprocessResult {
  return preprocess(lguestFiles[which], nodeFileSystem, { defines: { __ASSEMBLY__: '1' }, builtinHeaders: headers });
}

/** 1-based numbers of the source lines matching `pattern`. */
function linesMatching(which: keyof typeof lguestFiles, pattern: RegExp): number[] {
  return readLguestFile(which)
    .split('\n')
    .flatMap((line, index) => (pattern.test(line) ? [index + 1] : []));
}

function sourceLine(which: keyof typeof lguestFiles, line: number): string {
  return readLguestFile(which).split('\n')[line - 1]!;
}

function outputAt(result: PreprocessResult, file: string, line: number): PreprocessedLine {
  const found = result.lines.find((l) => l.location.file === file && l.location.line === line);
  assert.ok(found, `no output line for ${file}:${line}`);
  return found;
}

function macroFrame(name: string, file: string, line: number, column: number): ExpansionFrame {
  return { kind: 'cpp-macro', name, site: { file, line, column } };
}

test('both lguest files preprocess without a diagnostic', { skip: lguestSkipReason }, () => {
  for (const which of ['switcher', 'guestHead'] as const) {
    const result = run(which);
    assert.deepEqual(result.diagnostics.map((d) => formatDiagnostic(d)), [], which);
    assert.ok(result.lines.length > 20);
    assert.equal(result.files[0], lguestFiles[which]);
    assert.ok(result.lines.every((l) => !l.text.includes('/*') && !l.text.includes('//')), `${which}: a comment survived`);
  }
});

test('SWITCH_TO_HOST: both uses point into the #define body, with a cpp-macro frame at the call', { skip: lguestSkipReason }, () => {
  const file = lguestFiles.switcher;
  const result = run('switcher');
  const [defineLine] = linesMatching('switcher', /^#define SWITCH_TO_HOST\b/);
  assert.ok(defineLine);
  let bodyEnd = defineLine;
  while (sourceLine('switcher', bodyEnd).trimEnd().endsWith('\\')) bodyEnd++;
  const calls = linesMatching('switcher', /^\s*SWITCH_TO_HOST\s*$/);
  assert.equal(calls.length, 2);
  for (const call of calls) {
    const column = sourceLine('switcher', call).indexOf('SWITCH_TO_HOST') + 1;
    const line = outputAt(result, file, call);
    const frame = macroFrame('SWITCH_TO_HOST', file, call, column);
    assert.ok(line.pieces.length > 40, `only ${line.pieces.length} pieces`);
    for (const piece of line.pieces) {
      assert.deepEqual(piece.expansion.at(-1), frame, line.text.slice(piece.start, piece.end));
      assert.equal(piece.verbatim, false);
      const bodyPosition = piece.expansion.length === 1 ? piece.location : piece.expansion.at(-2)!.site;
      assert.equal(bodyPosition.file, file);
      assert.ok(bodyPosition.line > defineLine && bodyPosition.line <= bodyEnd, `${bodyPosition.line} outside the body`);
    }
    const nested = line.pieces.filter((p) => p.expansion.length === 2);
    assert.ok(nested.length > 0 && nested.every((p) => p.location.file === '<builtin>/asm/asm-offsets.h' || p.location.file === '<builtin>/lg.h'));
  }
});

test('LGUEST_PATCH: the instructions passed in keep their call-site columns', { skip: lguestSkipReason }, () => {
  const file = lguestFiles.guestHead;
  const result = run('guestHead');
  const calls = linesMatching('guestHead', /^LGUEST_PATCH\(/);
  assert.equal(calls.length, 4);
  for (const call of calls) {
    const source = sourceLine('guestHead', call);
    const [, name, insns] = /^LGUEST_PATCH\((\w+),\s*(.*)\)\s*$/.exec(source)!;
    const line = outputAt(result, file, call);
    const frame = macroFrame('LGUEST_PATCH', file, call, 1);
    assert.ok(line.text.startsWith(`lgstart_${name}:`), line.text);
    const firstWord = insns!.split(/\s/)[0]!;
    const piece = pieceAt(line, line.text.indexOf(firstWord))!;
    assert.deepEqual(piece.location, { file, line: call, column: source.indexOf(insns!) + 1 });
    assert.deepEqual(piece.expansion, [frame]);
    const pasted = pieceAt(line, 0)!;
    assert.equal(pasted.location.file, file);
    assert.ok(pasted.location.line < call, 'lgstart_ comes from the #define line');
    assert.deepEqual(pasted.expansion, [frame]);
  }
});

test('$LHCALL_LGUEST_INIT expands after the $', { skip: lguestSkipReason }, () => {
  const file = lguestFiles.guestHead;
  const result = run('guestHead');
  const [use] = linesMatching('guestHead', /\$LHCALL_LGUEST_INIT\b/);
  assert.ok(use);
  const line = outputAt(result, file, use);
  assert.match(line.text, /\$100\b/);
  const piece = pieceAt(line, line.text.indexOf('100'))!;
  assert.deepEqual(piece.location, { file: '<builtin>/asm/lguest_hcall.h', line: 1, column: 28 });
  assert.deepEqual(piece.expansion, [macroFrame('LHCALL_LGUEST_INIT', file, use, sourceLine('guestHead', use).indexOf('LHCALL_LGUEST_INIT') + 1)]);
});

test('ENTRY(...) chains ALIGN inside ENTRY back to the call', { skip: lguestSkipReason }, () => {
  const file = lguestFiles.guestHead;
  const result = run('guestHead');
  const [entry] = linesMatching('guestHead', /^ENTRY\(/);
  const line = outputAt(result, file, entry!);
  const piece = pieceAt(line, line.text.indexOf('.align'))!;
  const alignColumn = LINKAGE.split('\n')[1]!.indexOf('ALIGN') + 1;
  assert.deepEqual(piece.location, { file: '<builtin>/linux/linkage.h', line: 1, column: 15 });
  assert.deepEqual(piece.expansion, [macroFrame('ALIGN', '<builtin>/linux/linkage.h', 2, alignColumn), macroFrame('ENTRY', file, entry!, 1)]);
});

test('both lguest files preprocess as gcc -E does with the same headers', { skip: lguestSkipReason || gccPreprocessSkipReason() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-cpp-'));
  try {
    for (const [name, text] of headers) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    for (const which of ['switcher', 'guestHead'] as const) {
      const gcc = spawnSync('gcc', ['-m32', '-E', '-P', '-x', 'assembler-with-cpp', '-D__ASSEMBLY__', '-I', dir, lguestFiles[which]], { encoding: 'latin1' });
      assert.equal(gcc.status, 0, gcc.stderr);
      const normalise = (lines: readonly string[]) => lines.map((l) => l.replace(/[ \t]+/g, ' ').trim()).filter((l) => l.length > 0);
      assert.deepEqual(normalise(run(which).lines.map((l) => l.text)), normalise(gcc.stdout.split('\n')), which);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
