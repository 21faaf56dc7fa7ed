// Lazy flags: the record of an operation yields the same EFLAGS as eager computation would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlatCpu } from '../helpers/cpuFixture';
import {
  EFLAGS_AF, EFLAGS_CF, EFLAGS_OF, EFLAGS_PF, EFLAGS_SF, EFLAGS_ZF, ARITHMETIC_FLAGS, LAZY_ADC, LAZY_ADD, LAZY_SBB, LAZY_SUB,
  getEflags, setLazy, setFlagsEager, testCondition,
} from '../../src/emu/cpu/eflags';

const { cpu } = createFlatCpu();

function flagsAfter(op: number, size: 1 | 2 | 4, a: number, b: number, result: number, carry = 0): number {
  cpu.lazyCarry = carry;
  setLazy(cpu, op, size, a, b, result, ARITHMETIC_FLAGS);
  return getEflags(cpu) & ARITHMETIC_FLAGS;
}

test('add: carry, overflow, zero, parity, adjust', () => {
  assert.equal(flagsAfter(LAZY_ADD, 1, 0xff, 0x01, 0x100), EFLAGS_CF | EFLAGS_ZF | EFLAGS_PF | EFLAGS_AF);
  assert.equal(flagsAfter(LAZY_ADD, 1, 0x7f, 0x01, 0x80), EFLAGS_OF | EFLAGS_SF | EFLAGS_AF);
  assert.equal(flagsAfter(LAZY_ADD, 4, -1, 1, 0), EFLAGS_CF | EFLAGS_ZF | EFLAGS_PF | EFLAGS_AF);
  assert.equal(flagsAfter(LAZY_ADD, 4, 0x7fffffff, 1, 0x80000000 | 0), EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF);
});

test('sub and compare', () => {
  assert.equal(flagsAfter(LAZY_SUB, 4, 1, 2, -1), EFLAGS_CF | EFLAGS_SF | EFLAGS_PF | EFLAGS_AF);
  assert.equal(flagsAfter(LAZY_SUB, 2, 0x8000, 1, 0x7fff), EFLAGS_OF | EFLAGS_PF | EFLAGS_AF);
  assert.equal(flagsAfter(LAZY_SUB, 4, 5, 5, 0), EFLAGS_ZF | EFLAGS_PF);
});

test('adc/sbb use the carry-in', () => {
  assert.equal(flagsAfter(LAZY_ADC, 1, 0xff, 0xff, 0x1ff, 1) & EFLAGS_CF, EFLAGS_CF);
  assert.equal(flagsAfter(LAZY_ADC, 1, 0x00, 0xff, 0x100, 1) & EFLAGS_CF, EFLAGS_CF);
  assert.equal(flagsAfter(LAZY_SBB, 1, 0x00, 0xff, -0x100, 1) & EFLAGS_CF, EFLAGS_CF);
  assert.equal(flagsAfter(LAZY_SBB, 1, 0x05, 0x04, 0, 1) & (EFLAGS_CF | EFLAGS_ZF), EFLAGS_ZF);
});

test('a record that leaves CF alone keeps the previous CF (inc after add)', () => {
  setLazy(cpu, LAZY_ADD, 4, -1, 1, 0, ARITHMETIC_FLAGS);
  setLazy(cpu, LAZY_ADD, 4, 1, 1, 2, ARITHMETIC_FLAGS & ~EFLAGS_CF);
  assert.equal(getEflags(cpu) & (EFLAGS_CF | EFLAGS_ZF), EFLAGS_CF);
});

test('eager writes and conditions', () => {
  setFlagsEager(cpu, ARITHMETIC_FLAGS, EFLAGS_SF);
  assert.equal(testCondition(cpu, 0xc), true, 'l: SF != OF');
  assert.equal(testCondition(cpu, 0xd), false);
  assert.equal(testCondition(cpu, 0xe), true, 'le');
  setFlagsEager(cpu, ARITHMETIC_FLAGS, EFLAGS_CF | EFLAGS_ZF);
  assert.equal(testCondition(cpu, 0x6), true, 'be');
  assert.equal(testCondition(cpu, 0x7), false, 'a');
});
