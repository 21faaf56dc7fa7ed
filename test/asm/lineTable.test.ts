// Acceptance: the line table follows cpp macros, GAS macros and .rept expansions. In switcher.S
// every one of the 256 IRQ stubs maps to the `.macro IRQ_STUB` body lines and, through
// addressesForLine, to the IRQ_STUBS (or direct IRQ_STUB) line that produced it; both
// SWITCH_TO_HOST sites map to the #define body and to their call line. Line numbers are found by
// searching the files at test time (their text is never copied here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleProgram } from '../../src/emu/asm/assemble';
import { nodeFileSystem } from '../../src/emu/asm/nodeFileSystem';
import { LineTable, type LineEntry, type Program } from '../../src/emu/asm/program';
import { lguestFiles, lguestSkipReason, readLguestFile } from '../helpers/sharedFiles';

const TEXT_BASE = 0xffc00000;
const DATA_BASE = 0x00200000;

function linesOf(which: keyof typeof lguestFiles): string[] {
  return readLguestFile(which).split('\n');
}

/** 1-based numbers of the lines matching `pattern`. */
function findLines(lines: readonly string[], pattern: RegExp): number[] {
  return lines.flatMap((text, index) => (pattern.test(text) ? [index + 1] : []));
}

function linkSwitcher(): Program {
  const program = assembleProgram([lguestFiles.switcher], nodeFileSystem, {
    placements: [{ section: '.text', address: TEXT_BASE }, { section: '.data', address: DATA_BASE }],
  });
  assert.deepEqual(program.diagnostics, []);
  return program;
}

/** Which source line invoked the stub for `vector`: an IRQ_STUBS range line or a direct IRQ_STUB line. */
function callLineFor(lines: readonly string[], vector: number): number {
  for (const line of findLines(lines, /^\s*IRQ_STUBS\s+\d+\s+\d+/)) {
    const [, first, last] = /IRQ_STUBS\s+(\d+)\s+(\d+)/.exec(lines[line - 1]!)!;
    if (vector >= Number(first) && vector <= Number(last)) return line;
  }
  const direct = findLines(lines, new RegExp(`^\\s*IRQ_STUB\\s+${vector}\\s`));
  assert.equal(direct.length, 1, `one direct IRQ_STUB line for vector ${vector}`);
  return direct[0]!;
}

test('each of the 256 IRQ stubs maps to the IRQ_STUB body and to the line that invoked it', { skip: lguestSkipReason }, () => {
  const program = linkSwitcher();
  const lines = linesOf('switcher');
  const file = lguestFiles.switcher;
  const macroStart = findLines(lines, /^\.macro\s+IRQ_STUB\s/)[0]!;
  const macroEnd = findLines(lines, /^\.endm/).find((l) => l > macroStart)!;
  const data = program.sections.find((s) => s.name === '.data')!;
  const table = new DataView(data.bytes.buffer, data.bytes.byteOffset);
  const directCalls = new Set<number>();
  for (let vector = 0; vector < 256; vector++) {
    const stub = table.getUint32(vector * 4, true);
    const entry = program.lineTable.lookup(stub);
    assert.ok(entry, `an entry at stub ${vector}`);
    assert.equal(entry.kind, 'instruction');
    assert.equal(entry.location.file, file);
    assert.ok(entry.location.line > macroStart && entry.location.line < macroEnd, `stub ${vector} starts inside the IRQ_STUB body (line ${entry.location.line})`);
    assert.equal(entry.expansion[0]?.kind, 'gas-macro');
    assert.equal(entry.expansion[0]?.name, 'IRQ_STUB');
    const callLine = callLineFor(lines, vector);
    assert.ok(program.lineTable.addressesForLine(file, callLine).includes(stub), `stub ${vector} is reached from line ${callLine}`);
    if (vector === 2 || vector === 128) {
      directCalls.add(callLine);
      assert.equal(entry.expansion.length, 1, 'a direct IRQ_STUB call has one frame');
    } else {
      const rept = entry.expansion.find((f) => f.kind === 'rept');
      assert.ok(rept, `stub ${vector} came through .rept`);
      assert.equal(entry.expansion[entry.expansion.length - 1]?.name, 'IRQ_STUBS');
    }
  }
  assert.equal(directCalls.size, 2);
});

test('the .rept line maps to every stub it produced, iterations numbered from 0', { skip: lguestSkipReason }, () => {
  const program = linkSwitcher();
  const lines = linesOf('switcher');
  const reptLine = findLines(lines, /^\s*\.rept\s/)[0]!;
  const addresses = program.lineTable.addressesForLine(lguestFiles.switcher, reptLine);
  const stubs = program.lineTable.entries.filter((e) => e.expansion.some((f) => f.kind === 'rept') && e.expansion[0]?.name === 'IRQ_STUB' && e.kind === 'instruction');
  assert.ok(addresses.length >= 254 * 2);
  for (const entry of stubs) assert.ok(addresses.includes(entry.address));
  const iterations = new Set(stubs.map((e) => e.expansion.find((f) => f.kind === 'rept')!.iteration));
  assert.ok(iterations.has(0) && iterations.has(126), 'iterations 0..126 of the 32..127 range');
});

test('both SWITCH_TO_HOST sites map to the #define body lines and to their call lines', { skip: lguestSkipReason }, () => {
  const program = linkSwitcher();
  const lines = linesOf('switcher');
  const file = lguestFiles.switcher;
  const defineLine = findLines(lines, /^#define\s+SWITCH_TO_HOST\b/)[0]!;
  let defineEnd = defineLine;
  while (lines[defineEnd - 1]!.trimEnd().endsWith('\\')) defineEnd++;
  const sites = findLines(lines, /^\s*SWITCH_TO_HOST\s*$/);
  assert.equal(sites.length, 2);
  const counts = sites.map((site) => {
    const addresses = program.lineTable.addressesForLine(file, site);
    for (const address of addresses) {
      const entry = program.lineTable.lookup(address)!;
      assert.ok(entry.location.line > defineLine && entry.location.line <= defineEnd, `line ${entry.location.line} is in the #define body`);
      assert.equal(entry.expansion[0]?.kind, 'cpp-macro');
      assert.equal(entry.expansion[0]?.name, 'SWITCH_TO_HOST');
      assert.equal(entry.expansion[0]?.site.line, site);
      assert.ok(program.lineTable.addressesForLine(file, entry.location.line).includes(address), 'the body line maps back to the address');
    }
    return addresses.length;
  });
  assert.ok(counts[0]! > 20);
  assert.equal(counts[0], counts[1]);
});

test('symbols carry the location of their definition', { skip: lguestSkipReason }, () => {
  const program = linkSwitcher();
  const lines = linesOf('switcher');
  for (const name of ['return_to_host', 'deliver_to_host', 'handle_nmi']) {
    const symbol = program.symbols.find((s) => s.name === name)!;
    assert.equal(symbol.location?.line, findLines(lines, new RegExp(`^${name}:`))[0]);
    assert.equal(program.lineTable.lookup(symbol.value)?.location.line !== undefined, true);
  }
  const irq = program.symbols.find((s) => s.name === 'irq')!;
  assert.equal(irq.value, 256);
  assert.equal(irq.location?.file, lguestFiles.switcher);
});

test('i386_head.S: LGUEST_PATCH instructions map to their invocation lines', { skip: lguestSkipReason }, () => {
  const program = assembleProgram([lguestFiles.guestHead], nodeFileSystem, { externalSymbols: { lguest_data: 0xc0400000, lguest_init: 0xc0100000, init_thread_union: 0xc0300000 } });
  assert.deepEqual(program.diagnostics, []);
  const lines = linesOf('guestHead');
  for (const name of ['cli', 'sti', 'popf', 'pushf']) {
    const callLine = findLines(lines, new RegExp(`^LGUEST_PATCH\\(${name},`))[0]!;
    const start = program.symbols.find((s) => s.name === `lgstart_${name}`)!.value;
    assert.deepEqual(program.lineTable.addressesForLine(lguestFiles.guestHead, callLine), [start]);
    assert.equal(program.lineTable.lookup(start)?.expansion[0]?.name, 'LGUEST_PATCH');
  }
  const data = new DataView(program.sections.find((s) => s.name === '.text')!.bytes.buffer);
  const cli = program.symbols.find((s) => s.name === 'lgstart_cli')!.value - program.sections.find((s) => s.name === '.text')!.address;
  assert.equal(data.getUint32(cli + 2, true), 0xc0400000, 'lguest_data resolved at link time');
});

test('LineTable: lookup prefers the entry with bytes, maps lines through expansions, relocates and merges', () => {
  const site = { file: 'a.S', line: 10, column: 1 };
  const entry = (address: number, size: number, line: number, kind: LineEntry['kind'] = 'instruction', expansion: LineEntry['expansion'] = []): LineEntry => ({ address, size, kind, location: { file: 'a.S', line, column: 1 }, expansion, text: '' });
  const table = new LineTable([
    entry(0x10, 2, 3, 'instruction', [{ kind: 'gas-macro', name: 'M', site }]),
    entry(0x10, 0, 2, 'padding'),
    entry(0x12, 3, 4),
    entry(0x15, 3, 5, 'padding'),
    entry(0x20, 1, 4),
  ]);
  assert.equal(table.lookup(0x11)?.location.line, 3);
  assert.equal(table.lookup(0x14)?.location.line, 4);
  assert.equal(table.lookup(0x19), undefined);
  assert.deepEqual(table.addressesForLine('a.S', 10), [0x10]);
  assert.deepEqual(table.addressesForLine('a.S', 4), [0x12, 0x20]);
  assert.deepEqual(table.addressesForLine('a.S', 5), []);
  assert.deepEqual(table.linesWithCode('a.S'), [3, 4, 10]);
  const moved = table.relocated(0x1000, { start: 0x10, end: 0x15 });
  assert.equal(moved.lookup(0x1011)?.location.line, 3);
  assert.equal(moved.lookup(0x20)?.location.line, 4);
  assert.equal(table.merged(moved).addressesForLine('a.S', 4).length, 3);
});
