// fw_cfg, isa-debug-exit, ports 0x80 and 0x92, and the virtual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FwCfg } from '../../src/emu/machine/devices/fwCfg';
import { debugExitStatus, IsaDebugExit } from '../../src/emu/machine/devices/isaDebugExit';
import { PostCodePort } from '../../src/emu/machine/devices/postCodePort';
import { SystemControlPortA } from '../../src/emu/machine/devices/systemControlPortA';
import { VirtualClock } from '../../src/emu/machine/virtualClock';

function readItem(cfg: FwCfg, key: number, length: number): number[] {
  cfg.writePort(0x510, 2, key);
  return Array.from({ length }, () => cfg.readPort(0x511, 1));
}

test('fw_cfg: signature, ID, CPU counts, RAM size, unknown items read zero', () => {
  const cfg = new FwCfg({ ramBytes: 128 << 20 });
  assert.equal(String.fromCharCode(...readItem(cfg, 0, 4)), 'QEMU');
  assert.deepEqual(readItem(cfg, 1, 4), [1, 0, 0, 0]);
  assert.deepEqual(readItem(cfg, 5, 2), [1, 0]);
  assert.deepEqual(readItem(cfg, 0x0f, 2), [1, 0]);
  assert.deepEqual(readItem(cfg, 3, 8), [0, 0, 0, 8, 0, 0, 0, 0]);
  assert.deepEqual(readItem(cfg, 0x1234, 3), [0, 0, 0]);
  assert.deepEqual(readItem(cfg, 0, 6).slice(4), [0, 0], 'reads past the end return 0');
});

test('fw_cfg: the file directory is big-endian and its selectors read the files', () => {
  const cfg = new FwCfg({ ramBytes: 1 << 20, files: new Map([['etc/test', Uint8Array.of(7, 8, 9)]]) });
  const dir = readItem(cfg, 0x19, 4 + 64);
  assert.deepEqual(dir.slice(0, 4), [0, 0, 0, 1]);
  assert.deepEqual(dir.slice(4, 10), [0, 0, 0, 3, 0, 0x20]);
  assert.equal(String.fromCharCode(...dir.slice(12, 20)), 'etc/test');
  assert.deepEqual(readItem(cfg, 0x20, 3), [7, 8, 9]);
});

test('isa-debug-exit reports (v << 1) | 1', () => {
  const seen: number[] = [];
  const device = new IsaDebugExit((status) => seen.push(status));
  device.writePort(0xf4, 1, 0x31);
  device.writePort(0xf4, 4, 0x10);
  assert.deepEqual(seen, [99, 33]);
  assert.equal(debugExitStatus(0x7f), 255);
});

test('port 0x80 keeps the last POST code; port 0x92 keeps A20 and resets on bit 0', () => {
  const post = new PostCodePort();
  post.writePort(0x80, 1, 0x1234);
  assert.equal(post.lastCode, 0x34);
  assert.equal(post.readPort(0x80, 1), 0xff);
  let resets = 0;
  const portA = new SystemControlPortA(() => resets++);
  assert.equal(portA.readPort(0x92, 1), 0x02);
  portA.writePort(0x92, 1, 0x00);
  assert.equal(portA.readPort(0x92, 1), 0x00);
  portA.writePort(0x92, 1, 0x03);
  assert.equal(resets, 1);
});

test('deterministic clock: instructions times ns, skipping ahead while halted, monotonic', () => {
  let count = 0;
  const clock = new VirtualClock({ nsPerInstruction: 4 });
  clock.attachInstructionCounter(() => count);
  count = 10;
  assert.equal(clock.now(), 40);
  clock.skipTo(1000);
  assert.equal(clock.now(), 1000);
  count = 11;
  assert.equal(clock.now(), 1004);
  assert.equal(clock.instructionsUntil(1010), 2);
  assert.equal(clock.instructionsUntil(Infinity), Infinity);
  count = 0; // a counter reset never moves time backwards
  assert.equal(clock.now(), 1004);
});

test('realtime clock follows the injected wall clock and cannot skip', () => {
  let wall = 5_000;
  const clock = new VirtualClock({ mode: 'realtime', wallClockNs: () => wall });
  assert.equal(clock.now(), 0);
  wall = 7_000;
  assert.equal(clock.now(), 2_000);
  clock.skipTo(1e9);
  assert.equal(clock.now(), 2_000);
});
