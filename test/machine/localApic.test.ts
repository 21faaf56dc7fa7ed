// Local APIC: register reset/firmware values, write masks as QEMU keeps them, TPR/PPR, IRR/ISR/EOI,
// self-IPIs (fixed, NMI, INIT ignored), timer one-shot/periodic/divide, ESR, LINT0/LINT1, the MSR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalApic } from '../../src/emu/machine/devices/localApic';
import { ManualClock } from './manualClock';

function makeApic(): { apic: LocalApic; clock: ManualClock; nmis: () => number; changes: () => number } {
  const clock = new ManualClock();
  let nmis = 0;
  let changes = 0;
  const apic = new LocalApic(clock, { interruptStateChanged: () => changes++, raiseNmi: () => nmis++ });
  apic.programAsFirmwareLeavesIt();
  return { apic, clock, nmis: () => nmis, changes: () => changes };
}

const read = (apic: LocalApic, offset: number): number => apic.readMmio(offset, 4);
const write = (apic: LocalApic, offset: number, value: number): void => apic.writeMmio(offset, 4, value);

test('registers after SeaBIOS, as measured under QEMU', () => {
  const { apic } = makeApic();
  const values = [0x20, 0x30, 0x80, 0xa0, 0xd0, 0xe0, 0xf0, 0x320, 0x350, 0x360, 0x370, 0x380, 0x390, 0x3e0].map((o) => read(apic, o));
  assert.deepEqual(values, [0, 0x00050014, 0, 0, 0, 0xffffffff, 0x1ff, 0x10000, 0x8700, 0x8400, 0x10000, 0, 0, 0]);
  assert.equal(apic.readMsr(0x1b), 0xfee00900n);
  assert.equal(apic.readMsr(0x10), undefined);
});

test('write masks follow QEMU: ID, LDR, DFR, TPR, divide; LVTs keep all bits; narrow writes dropped', () => {
  const { apic } = makeApic();
  for (const o of [0x20, 0xd0, 0xe0, 0x80, 0x3e0, 0x320]) write(apic, o, 0xffffffff);
  assert.deepEqual([0x20, 0xd0, 0xe0, 0x80, 0x3e0, 0x320].map((o) => read(apic, o)), [0xff000000, 0xff000000, 0xffffffff, 0xff, 0x0b, 0xffffffff]);
  apic.writeMmio(0x80, 1, 0x12);
  assert.equal(read(apic, 0x80), 0xff);
  assert.equal(apic.readMmio(0x31, 1), 0x00, 'byte read inside the version register');
  assert.equal(apic.readMmio(0x30, 2), 0x0014);
});

test('self-IPI (fixed) sets IRR; INTA moves it to ISR; EOI clears the highest ISR bit', () => {
  const { apic } = makeApic();
  write(apic, 0x300, 0x00040041); // shorthand self, fixed, vector 0x41
  assert.equal(read(apic, 0x200 + 0x20), 1 << 1);
  assert.equal(apic.deliverableVector(), 0x41);
  assert.equal(apic.acknowledge(), 0x41);
  assert.equal(read(apic, 0x100 + 0x20), 1 << 1);
  assert.equal(read(apic, 0xa0), 0x40, 'PPR follows the in-service class');
  write(apic, 0xb0, 0);
  assert.equal(read(apic, 0x100 + 0x20), 0);
  assert.equal(apic.acknowledge(), 0xff, 'nothing pending: the spurious vector');
});

test('TPR holds back interrupts of its priority class or lower', () => {
  const { apic } = makeApic();
  write(apic, 0x80, 0x50);
  write(apic, 0x300, 0x00040055);
  assert.equal(apic.deliverableVector(), -1);
  write(apic, 0x300, 0x00040061);
  assert.equal(apic.deliverableVector(), 0x61);
  write(apic, 0x80, 0x00);
  assert.equal(apic.deliverableVector(), 0x61, 'highest first');
});

test('physical and logical destinations; all-excluding-self reaches nobody', () => {
  const { apic } = makeApic();
  write(apic, 0x310, 0x00000000);
  write(apic, 0x300, 0x00000030); // physical ID 0
  write(apic, 0x310, 0x05000000);
  write(apic, 0x300, 0x00000031); // physical ID 5: not us
  write(apic, 0xd0, 0x02000000);
  write(apic, 0x310, 0x02000000);
  write(apic, 0x300, 0x00000832); // logical flat, bit 1: us
  write(apic, 0x300, 0x000c0033); // all excluding self
  assert.equal(read(apic, 0x210) & 0x000f0000, 0x00050000);
});

test('NMI delivery to self and through LINT1; INIT and SIPI are accepted and ignored', () => {
  const { apic, nmis } = makeApic();
  write(apic, 0x300, 0x00044400);
  assert.equal(nmis(), 1);
  apic.pulseLint1();
  assert.equal(nmis(), 2);
  write(apic, 0x360, 0x10400);
  apic.pulseLint1();
  assert.equal(nmis(), 2, 'masked LINT1');
  write(apic, 0x300, 0x00044500);
  write(apic, 0x300, 0x00044608);
  assert.equal(apic.deliverableVector(), -1);
  assert.equal(read(apic, 0x300) & 0x1000, 0, 'delivery status idle');
});

test('LINT0 as ExtINT passes the 8259; masked or fixed does not; APIC off passes', () => {
  const { apic } = makeApic();
  assert.equal(apic.passesExtInt(), true);
  write(apic, 0x350, 0x18700);
  assert.equal(apic.passesExtInt(), false);
  write(apic, 0x350, 0x00000045);
  assert.equal(apic.passesExtInt(), false);
  apic.setLint0(true);
  assert.equal(apic.deliverableVector(), 0x45, 'LINT0 in fixed mode delivers its vector');
  apic.writeMsr(0x1b, 0xfee00100n);
  assert.equal(apic.passesExtInt(), true);
  assert.equal(apic.deliverableVector(), -1);
});

test('software-disabled (SVR bit 8 clear): nothing delivered, LVT not masked (as QEMU)', () => {
  const { apic } = makeApic();
  write(apic, 0xf0, 0xff);
  assert.equal(read(apic, 0x350), 0x8700);
  write(apic, 0x300, 0x00040041);
  assert.equal(apic.deliverableVector(), -1);
  write(apic, 0xf0, 0x1ff);
  assert.equal(apic.deliverableVector(), 0x41);
});

test('timer one-shot: counts down at 1 GHz / divider, fires after N+1 ticks, once', () => {
  const { apic, clock } = makeApic();
  write(apic, 0x3e0, 0x3); // divide by 16
  write(apic, 0x320, 0x30);
  write(apic, 0x380, 100);
  clock.time = 16 * 40;
  assert.equal(read(apic, 0x390), 60);
  assert.equal(apic.nextEventTime(), 16 * 101);
  clock.time = 16 * 101;
  apic.advanceTo(clock.time);
  assert.equal(apic.deliverableVector(), 0x30);
  assert.equal(read(apic, 0x390), 0);
  assert.equal(apic.nextEventTime(), Infinity);
});

test('timer periodic: reloads every N+1 ticks; masked timer counts but does not interrupt', () => {
  const { apic, clock } = makeApic();
  write(apic, 0x3e0, 0xb); // divide by 1
  write(apic, 0x320, 0x20031);
  write(apic, 0x380, 999);
  clock.time = 1000;
  apic.advanceTo(clock.time);
  assert.equal(apic.acknowledge(), 0x31);
  write(apic, 0xb0, 0);
  assert.equal(apic.nextEventTime(), 2000);
  write(apic, 0x320, 0x30031);
  clock.time = 2000;
  apic.advanceTo(clock.time);
  assert.equal(apic.deliverableVector(), -1);
  assert.equal(read(apic, 0x390), 999 - 0);
});

test('ESR: an illegal vector sets the send bit, latched by a write', () => {
  const { apic } = makeApic();
  write(apic, 0x300, 0x00040005);
  assert.equal(read(apic, 0x280), 0);
  write(apic, 0x280, 0);
  assert.equal(read(apic, 0x280), 0x20);
  write(apic, 0x280, 0);
  assert.equal(read(apic, 0x280), 0);
});
