// 8259A pair: initialisation words, masks, edge/level inputs, priorities and rotation, EOI kinds,
// auto-EOI, cascade, spurious IRQ7/15, poll mode, special mask mode, ELCR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pic8259Pair } from '../../src/emu/machine/devices/pic8259';

function makePic(): { pic: Pic8259Pair; output: () => boolean } {
  let level = false;
  const pic = new Pic8259Pair((l) => (level = l));
  const init = (cmd: number, data: number, base: number, icw3: number, icw4: number): void => {
    pic.writePort(cmd, 1, 0x11);
    pic.writePort(data, 1, base);
    pic.writePort(data, 1, icw3);
    pic.writePort(data, 1, icw4);
    pic.writePort(data, 1, 0x00);
  };
  init(0x20, 0x21, 0x20, 0x04, 0x01);
  init(0xa0, 0xa1, 0x28, 0x02, 0x01);
  return { pic, output: () => level };
}

const readIrr = (pic: Pic8259Pair, cmd = 0x20): number => (pic.writePort(cmd, 1, 0x0a), pic.readPort(cmd, 1));
const readIsr = (pic: Pic8259Pair, cmd = 0x20): number => (pic.writePort(cmd, 1, 0x0b), pic.readPort(cmd, 1));

test('ICW1-ICW4 set the vector base; OCW1 is the IMR on the data port', () => {
  const { pic } = makePic();
  pic.writePort(0x21, 1, 0xfa);
  assert.equal(pic.readPort(0x21, 1), 0xfa);
  pic.writePort(0x21, 1, 0x00);
  pic.setIrq(1, true);
  assert.equal(pic.acknowledge(), 0x21);
});

test('an edge input latches IRR, INTA moves it to ISR, a non-specific EOI clears ISR', () => {
  const { pic, output } = makePic();
  pic.pulseIrq(3);
  assert.equal(output(), true);
  assert.equal(readIrr(pic), 0x08);
  assert.equal(pic.acknowledge(), 0x23);
  assert.equal(readIrr(pic), 0);
  assert.equal(readIsr(pic), 0x08);
  assert.equal(output(), false);
  pic.writePort(0x20, 1, 0x20);
  assert.equal(readIsr(pic), 0);
});

test('a masked request stays in IRR and is delivered once unmasked', () => {
  const { pic, output } = makePic();
  pic.writePort(0x21, 1, 0x01);
  pic.pulseIrq(0);
  assert.equal(output(), false);
  assert.equal(readIrr(pic), 0x01);
  pic.writePort(0x21, 1, 0x00);
  assert.equal(output(), true);
  assert.equal(pic.acknowledge(), 0x20);
});

test('fully nested priority: a lower-priority request waits for EOI of a higher one', () => {
  const { pic, output } = makePic();
  pic.pulseIrq(1);
  assert.equal(pic.acknowledge(), 0x21);
  pic.pulseIrq(5);
  assert.equal(output(), false, 'IRQ5 is blocked while IRQ1 is in service');
  pic.pulseIrq(0);
  assert.equal(output(), true, 'IRQ0 nests inside IRQ1');
  assert.equal(pic.acknowledge(), 0x20);
  pic.writePort(0x20, 1, 0x20); // EOI for IRQ0 (highest in service)
  assert.equal(readIsr(pic), 0x02);
  pic.writePort(0x20, 1, 0x20);
  assert.equal(pic.acknowledge(), 0x25);
});

test('specific EOI clears the named level; rotate on specific EOI makes it lowest priority', () => {
  const { pic } = makePic();
  pic.pulseIrq(2 + 1);
  pic.acknowledge();
  pic.pulseIrq(6);
  pic.writePort(0x20, 1, 0x63); // specific EOI level 3
  assert.equal(readIsr(pic), 0);
  assert.equal(pic.acknowledge(), 0x26);
  pic.writePort(0x20, 1, 0xe6); // rotate on specific EOI, level 6: IRQ7 now highest
  pic.pulseIrq(0);
  pic.pulseIrq(7);
  assert.equal(pic.acknowledge(), 0x27);
});

test('set priority (OCW2 0xC0|n) makes n the lowest', () => {
  const { pic } = makePic();
  pic.writePort(0x20, 1, 0xc4); // IRQ4 lowest, IRQ5 highest
  pic.pulseIrq(3);
  pic.pulseIrq(5);
  assert.equal(pic.acknowledge(), 0x25);
});

test('auto-EOI leaves ISR clear', () => {
  const { pic } = makePic();
  pic.writePort(0x20, 1, 0x11);
  pic.writePort(0x21, 1, 0x40);
  pic.writePort(0x21, 1, 0x04);
  pic.writePort(0x21, 1, 0x03); // 8086 + AEOI
  pic.pulseIrq(4);
  assert.equal(pic.acknowledge(), 0x44);
  assert.equal(readIsr(pic), 0);
});

test('level-triggered inputs (ELCR) follow the line; IRR clears when the line drops', () => {
  const { pic, output } = makePic();
  pic.writePort(0x4d1, 1, 0xff);
  assert.equal(pic.readPort(0x4d1, 1), 0xde, 'IRQ8 and IRQ13 cannot be level-triggered');
  pic.setIrq(10, true);
  assert.equal(output(), true);
  assert.equal(readIrr(pic, 0xa0), 0x04);
  pic.setIrq(10, false);
  assert.equal(readIrr(pic, 0xa0), 0);
  // The cascade input on master IRQ2 is edge-triggered and stays latched (QEMU's i8259 too):
  // the acknowledge finds nothing on the slave and yields its spurious vector.
  assert.equal(pic.acknowledge(), 0x2f);
  pic.writePort(0x20, 1, 0x20);
  assert.equal(output(), false);
  pic.writePort(0x4d0, 1, 0xff);
  assert.equal(pic.readPort(0x4d0, 1), 0xf8, 'IRQ0-2 cannot be level-triggered');
});

test('cascade: a slave request arrives through master IRQ2 with the slave vector', () => {
  const { pic, output } = makePic();
  pic.pulseIrq(12);
  assert.equal(output(), true);
  assert.equal(pic.acknowledge(), 0x2c);
  assert.equal(readIsr(pic), 0x04);
  assert.equal(readIsr(pic, 0xa0), 0x10);
  pic.writePort(0xa0, 1, 0x20);
  pic.writePort(0x20, 1, 0x20);
  assert.equal(readIsr(pic), 0);
  assert.equal(readIsr(pic, 0xa0), 0);
});

test('spurious interrupts: INTA with nothing pending gives IRQ7 (master) or IRQ15 (slave), ISR untouched', () => {
  const { pic } = makePic();
  assert.equal(pic.acknowledge(), 0x27);
  assert.equal(readIsr(pic), 0);
  // The slave request vanishes (level input dropped) between the master's and the slave's INTA.
  pic.writePort(0x4d1, 1, 0x04);
  pic.setIrq(10, true);
  pic.slave.irr = 0;
  assert.equal(pic.acknowledge(), 0x2f);
  assert.equal(readIsr(pic, 0xa0), 0);
});

test('poll mode: OCW3 with P set makes the next read an acknowledge returning 0x80|level', () => {
  const { pic } = makePic();
  pic.pulseIrq(6);
  pic.writePort(0x20, 1, 0x0c);
  assert.equal(pic.readPort(0x20, 1), 0x86);
  assert.equal(readIsr(pic), 0x40);
  pic.writePort(0x20, 1, 0x0c);
  assert.equal(pic.readPort(0x20, 1), 0x46 & 0, 'nothing else pending: 0');
});

test('special mask mode lets a lower-priority request through while a masked level is in service', () => {
  const { pic, output } = makePic();
  pic.pulseIrq(2 + 1);
  pic.acknowledge(); // IRQ3 in service
  pic.writePort(0x21, 1, 0x08); // mask IRQ3
  pic.writePort(0x20, 1, 0x68); // OCW3: set special mask mode
  pic.pulseIrq(5);
  assert.equal(output(), true);
  assert.equal(pic.acknowledge(), 0x25);
});

test('re-initialisation clears IMR and ISR and needs a fresh edge', () => {
  const { pic } = makePic();
  pic.writePort(0x21, 1, 0xff);
  pic.setIrq(4, true);
  pic.writePort(0x20, 1, 0x11);
  assert.equal(pic.readPort(0x21, 1), 0);
  pic.writePort(0x21, 1, 0x08);
  pic.writePort(0x21, 1, 0x04);
  pic.writePort(0x21, 1, 0x01);
  assert.equal(readIrr(pic), 0, 'the edge latched before ICW1 is forgotten');
});

test('the firmware state matches what SeaBIOS leaves (measured under QEMU)', () => {
  const pic = new Pic8259Pair(() => {});
  pic.programAsFirmwareLeavesIt();
  assert.equal(pic.readPort(0x21, 1), 0xb8);
  assert.equal(pic.readPort(0xa1, 1), 0x8e);
  assert.equal(pic.readPort(0x4d0, 1), 0x00);
  assert.equal(pic.readPort(0x4d1, 1), 0x0c);
  pic.pulseIrq(0);
  assert.equal(pic.acknowledge(), 0x08);
  pic.writePort(0x20, 1, 0x20);
  pic.pulseIrq(8);
  assert.equal(pic.acknowledge(), 0x70);
});
