// 16550A: transmit to the sink, THRE interrupt rules, receive queue and RDI/timeout interrupts,
// FIFO trigger levels, DLAB divisor, LCR/SCR, loopback through MCR/MSR, LSR error clearing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IIR_NO_INT, IIR_RDI, IIR_THRI, IIR_TIMEOUT, Uart16550 } from '../../src/emu/machine/devices/uart16550';

function makeUart(): { uart: Uart16550; sent: number[]; irq: () => boolean } {
  const sent: number[] = [];
  let irq = false;
  const uart = new Uart16550(0x3f8, (b) => sent.push(b), (l) => (irq = l));
  return { uart, sent, irq: () => irq };
}

test('reset state reads as QEMU reports it after SeaBIOS', () => {
  const { uart } = makeUart();
  const regs = [1, 2, 3, 4, 5, 6, 7].map((o) => uart.readPort(0x3f8 + o, 1));
  assert.deepEqual(regs, [0x00, 0x01, 0x00, 0x08, 0x60, 0xb0, 0x00]);
});

test('THR writes go to the sink; LSR always shows the transmitter empty', () => {
  const { uart, sent } = makeUart();
  for (const c of 'hi') uart.writePort(0x3f8, 1, c.charCodeAt(0));
  assert.deepEqual(sent, [0x68, 0x69]);
  assert.equal(uart.readPort(0x3fd, 1) & 0x60, 0x60);
});

test('THRE interrupt: raised on enabling it, cleared by reading IIR, raised again by a write', () => {
  const { uart, irq } = makeUart();
  uart.writePort(0x3f9, 1, 0x02);
  assert.equal(irq(), true);
  assert.equal(uart.readPort(0x3fa, 1), IIR_THRI);
  assert.equal(irq(), false);
  assert.equal(uart.readPort(0x3fa, 1), IIR_NO_INT);
  uart.writePort(0x3f8, 1, 0x41);
  assert.equal(irq(), true);
  uart.writePort(0x3f9, 1, 0x00);
  assert.equal(irq(), false);
});

test('received bytes: DR in LSR, RDI interrupt, read in order', () => {
  const { uart, irq } = makeUart();
  uart.writePort(0x3f9, 1, 0x01);
  uart.enqueueInput([0x31, 0x32]);
  assert.equal(irq(), true);
  assert.equal(uart.readPort(0x3fa, 1), IIR_RDI);
  assert.equal(uart.readPort(0x3fd, 1) & 1, 1);
  assert.equal(uart.readPort(0x3f8, 1), 0x31);
  assert.equal(uart.readPort(0x3f8, 1), 0x32);
  assert.equal(uart.readPort(0x3fd, 1) & 1, 0);
  assert.equal(irq(), false);
});

test('RDI outranks THRE in IIR', () => {
  const { uart } = makeUart();
  uart.writePort(0x3f9, 1, 0x03);
  uart.enqueueInput([0x55]);
  assert.equal(uart.readPort(0x3fa, 1), IIR_RDI);
  uart.readPort(0x3f8, 1);
  assert.equal(uart.readPort(0x3fa, 1), IIR_THRI);
});

test('FIFO mode: IIR bits 6-7 set, trigger level 4, character timeout below it', () => {
  const { uart } = makeUart();
  uart.writePort(0x3fa, 1, 0x47); // enable, clear both, trigger 4
  uart.writePort(0x3f9, 1, 0x01);
  uart.enqueueInput([1, 2]);
  assert.equal(uart.readPort(0x3fa, 1), 0xc0 | IIR_TIMEOUT);
  uart.enqueueInput([3, 4]);
  assert.equal(uart.readPort(0x3fa, 1), 0xc0 | IIR_RDI);
  uart.enqueueInput(Array.from({ length: 20 }, (_, i) => i));
  assert.equal(uart.pendingInput, 24);
  for (let i = 0; i < 24; i++) uart.readPort(0x3f8, 1);
  assert.equal(uart.readPort(0x3fd, 1) & 1, 0);
});

test('DLAB exposes the divisor latch; LCR and SCR read back', () => {
  const { uart, sent } = makeUart();
  uart.writePort(0x3fb, 1, 0x83);
  uart.writePort(0x3f8, 1, 0x01);
  uart.writePort(0x3f9, 1, 0x00);
  assert.equal(uart.divisor, 1);
  assert.equal(uart.readPort(0x3f8, 1), 0x01);
  uart.writePort(0x3fb, 1, 0x03);
  assert.equal(uart.readPort(0x3fb, 1), 0x03);
  uart.writePort(0x3ff, 1, 0x5a);
  assert.equal(uart.readPort(0x3ff, 1), 0x5a);
  assert.deepEqual(sent, [], 'divisor writes are not transmitted');
});

test('loopback: transmitted bytes come back, MCR outputs appear in MSR with deltas', () => {
  const { uart, sent } = makeUart();
  uart.writePort(0x3fc, 1, 0x10);
  uart.readPort(0x3fe, 1); // clear deltas
  uart.writePort(0x3f8, 1, 0xa5);
  assert.deepEqual(sent, []);
  assert.equal(uart.readPort(0x3f8, 1), 0xa5);
  uart.writePort(0x3fc, 1, 0x1f);
  assert.equal(uart.readPort(0x3fe, 1), 0xf0 | 0x0b);
  assert.equal(uart.readPort(0x3fe, 1), 0xf0);
  uart.writePort(0x3fc, 1, 0x1b); // OUT1 falls: trailing edge of RI
  assert.equal(uart.readPort(0x3fe, 1) & 0x04, 0x04);
});

test('loopback overrun sets LSR.OE, which a read of LSR clears', () => {
  const { uart } = makeUart();
  uart.writePort(0x3fc, 1, 0x10);
  uart.writePort(0x3f8, 1, 1);
  uart.writePort(0x3f8, 1, 2);
  assert.equal(uart.readPort(0x3fd, 1) & 0x03, 0x03);
  assert.equal(uart.readPort(0x3fd, 1) & 0x02, 0);
});
