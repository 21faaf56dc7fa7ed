// 8254: modes 0-5, counter reads with lobyte/hibyte/lo-hi access, latch and read-back, BCD,
// channel 0 -> IRQ0 edges and next-event times, channel 2's gate and output through port 0x61.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pit8254, pitTicksAt, pitTimeOfTick, PIT_HZ } from '../../src/emu/machine/devices/pit8254';
import { SystemControlPortB } from '../../src/emu/machine/devices/systemControlPortB';
import { ManualClock } from './manualClock';

function makePit(): { pit: Pit8254; clock: ManualClock; irqs: () => number; at: (ticks: number) => void } {
  const clock = new ManualClock();
  let irqs = 0;
  const pit = new Pit8254(clock, () => irqs++);
  const at = (ticks: number): void => {
    clock.time = pitTimeOfTick(ticks);
    if (pit.nextEventTime() <= clock.time) pit.advanceTo(clock.time);
  };
  return { pit, clock, irqs: () => irqs, at };
}

function program(pit: Pit8254, channel: number, mode: number, count: number, access = 3): void {
  pit.writePort(0x43, 1, (channel << 6) | (access << 4) | (mode << 1));
  if (access & 1) pit.writePort(0x40 + channel, 1, count & 0xff);
  if (access & 2) pit.writePort(0x40 + channel, 1, count >> 8);
}

function readCount(pit: Pit8254, channel: number): number {
  return pit.readPort(0x40 + channel, 1) | (pit.readPort(0x40 + channel, 1) << 8);
}

test('tick conversion round-trips and is exact', () => {
  assert.equal(pitTicksAt(1e9), PIT_HZ);
  for (const ticks of [0, 1, 2, 1193, 65536, PIT_HZ * 3600 + 17]) {
    assert.equal(pitTicksAt(pitTimeOfTick(ticks)), ticks);
    assert.equal(pitTicksAt(pitTimeOfTick(ticks) - 1), ticks - 1 < 0 ? -1 : ticks - 1);
  }
});

test('mode 0: counts down, output rises once at terminal count, one IRQ0', () => {
  const { pit, irqs, at } = makePit();
  program(pit, 0, 0, 100);
  at(40);
  assert.equal(readCount(pit, 0), 60);
  assert.equal(pit.nextEventTime(), pitTimeOfTick(100));
  at(99);
  assert.equal(irqs(), 0);
  at(100);
  assert.equal(irqs(), 1);
  at(5000);
  assert.equal(irqs(), 1);
  assert.equal(pit.nextEventTime(), Infinity);
});

test('mode 2: periodic IRQ0 every N ticks; missed periods collapse into one edge', () => {
  const { pit, irqs, at } = makePit();
  program(pit, 0, 2, 1000);
  at(999);
  assert.equal(irqs(), 0);
  assert.equal(readCount(pit, 0), 1);
  at(1000);
  assert.equal(irqs(), 1);
  at(2000);
  assert.equal(irqs(), 2);
  at(9500);
  assert.equal(irqs(), 3);
  assert.equal(pit.nextEventTime(), pitTimeOfTick(10000));
});

test('mode 3: square wave counts by two, output high for the first half', () => {
  const { pit } = makePit();
  program(pit, 2, 3, 100);
  const channel = pit.channels[2]!;
  channel.setGate(true, 0);
  channel.startTick = 0;
  assert.equal(channel.counterAt(10), 80);
  assert.equal(channel.outputAt(49), true);
  assert.equal(channel.outputAt(50), false);
  assert.equal(channel.outputAt(100), true);
});

test('mode 4: output low for one tick at terminal count; IRQ0 on the following rise', () => {
  const { pit, irqs, at } = makePit();
  program(pit, 0, 4, 50);
  assert.equal(pit.channels[0]!.outputAt(pitTicksAt(0) + 50), false);
  at(50);
  assert.equal(irqs(), 0);
  at(51);
  assert.equal(irqs(), 1);
});

test('modes 1 and 5 wait for a gate trigger (channel 2 through port 0x61)', () => {
  const { pit, clock, at } = makePit();
  const portB = new SystemControlPortB(pit, clock);
  program(pit, 2, 1, 30);
  at(10);
  assert.equal(portB.readPort(0x61, 1) & 0x20, 0x20, 'output high before the trigger');
  portB.writePort(0x61, 1, 0x01);
  at(20);
  assert.equal(portB.readPort(0x61, 1) & 0x21, 0x01, 'gate set, output low while counting');
  at(41);
  assert.equal(portB.readPort(0x61, 1) & 0x20, 0x20, 'output high at terminal count');
  program(pit, 2, 5, 30);
  portB.writePort(0x61, 1, 0x00);
  portB.writePort(0x61, 1, 0x01);
  at(71);
  assert.equal(pit.channels[2]!.outputAt(pitTicksAt(clock.time)), false);
});

test('gate low stops mode 2 with the output high; the rising edge reloads', () => {
  const { pit, clock, at } = makePit();
  const portB = new SystemControlPortB(pit, clock);
  portB.writePort(0x61, 1, 0x01);
  program(pit, 2, 2, 10);
  portB.writePort(0x61, 1, 0x00);
  at(9);
  assert.equal(portB.readPort(0x61, 1) & 0x20, 0x20);
  portB.writePort(0x61, 1, 0x01);
  at(13);
  assert.equal(readCount(pit, 2), 6);
});

test('lobyte-only and hibyte-only access modes', () => {
  const { pit, at } = makePit();
  program(pit, 0, 0, 0x80, 1);
  at(0x10);
  assert.equal(pit.readPort(0x40, 1), 0x70);
  program(pit, 0, 0, 0x1200, 2);
  at(0x10 + 0x100);
  assert.equal(pit.readPort(0x40, 1), 0x11);
});

test('counter latch freezes the value until both bytes are read', () => {
  const { pit, at } = makePit();
  program(pit, 0, 2, 5000);
  at(100);
  pit.writePort(0x43, 1, 0x00); // latch channel 0
  at(300);
  assert.equal(readCount(pit, 0), 4900);
  assert.equal(readCount(pit, 0), 4700);
});

test('read-back returns status then count for the selected channels', () => {
  const { pit, at } = makePit();
  program(pit, 0, 2, 1000);
  program(pit, 2, 0, 200);
  at(50);
  pit.writePort(0x43, 1, 0xc2 | 0x08); // latch status and count of channels 0 and 2
  assert.equal(pit.readPort(0x40, 1), 0x80 | 0x34);
  assert.equal(readCount(pit, 0), 950);
  assert.equal(pit.readPort(0x42, 1), 0x30, 'mode 0 before terminal count: output low');
  assert.equal(readCount(pit, 2), 150);
  pit.writePort(0x43, 1, 0xe2); // status only
  assert.equal(pit.readPort(0x40, 1), 0xb4);
});

test('BCD counting: 0x1000 BCD is 1000 ticks and reads back in BCD', () => {
  const { pit, irqs, at } = makePit();
  pit.writePort(0x43, 1, 0x31); // channel 0, lo/hi, mode 0, BCD
  pit.writePort(0x40, 1, 0x00);
  pit.writePort(0x40, 1, 0x10);
  at(1);
  assert.equal(readCount(pit, 0), 0x0999);
  at(1000);
  assert.equal(irqs(), 1);
});

test('firmware state: channel 0 in mode 2 with count 65536 (18.2 Hz)', () => {
  const { pit, at, irqs } = makePit();
  pit.programAsFirmwareLeavesIt();
  pit.writePort(0x43, 1, 0xe2);
  assert.equal(pit.readPort(0x40, 1) & 0x3f, 0x34);
  at(65536);
  assert.equal(irqs(), 1);
});
