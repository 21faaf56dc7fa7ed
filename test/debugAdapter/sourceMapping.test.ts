// Breakpoint resolution over a line table: label lines move to the next code, a macro call line
// gets the first instruction of each expansion instance, and a prefix on its own line belongs to
// the instruction after it (a breakpoint on `movsl` after a lone `rep` goes on the rep).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineTable, type LineEntry } from '../../src/emu/asm/program';
import { resolveBreakpoint, displayLocation } from '../../src/debugAdapter/sourceMapping';

const at = (line: number) => ({ file: 'k.S', line, column: 1 });
function entry(address: number, size: number, line: number, extra: Partial<LineEntry> = {}): LineEntry {
  return { address, size, kind: 'instruction', location: at(line), expansion: [], text: '', ...extra };
}

test('a lone prefix line and the instruction after it are one instruction', () => {
  const table = new LineTable([entry(0x10, 5, 1), entry(0x15, 1, 2, { kind: 'prefix' }), entry(0x16, 1, 3), entry(0x17, 1, 4)]);
  assert.deepEqual(resolveBreakpoint(table, 'k.S', 3).addresses, [0x15], 'movsl after rep');
  assert.deepEqual(resolveBreakpoint(table, 'k.S', 2).addresses, [0x15], 'the rep line itself');
  assert.deepEqual(resolveBreakpoint(table, 'k.S', 4).addresses, [0x17]);
});

test('a macro call line: one breakpoint per expansion instance, shown at the call line', () => {
  const frame = (iteration: number) => [{ kind: 'gas-macro' as const, name: 'STUB', site: at(10), iteration }];
  const table = new LineTable([
    entry(0x100, 2, 3, { expansion: frame(0) }), entry(0x102, 5, 4, { expansion: frame(0) }),
    entry(0x107, 2, 3, { expansion: frame(1) }), entry(0x109, 5, 4, { expansion: frame(1) }),
  ]);
  assert.deepEqual(resolveBreakpoint(table, 'k.S', 10).addresses, [0x100, 0x107]);
  assert.equal(displayLocation(table.lookup(0x102)!).line, 10);
});

test('a line without code moves to the next line that has some', () => {
  const table = new LineTable([entry(0x10, 1, 5)]);
  assert.deepEqual(resolveBreakpoint(table, 'k.S', 2), { requestedLine: 2, line: 5, addresses: [0x10] });
});
