// The x87 control subset: #NM from CR0.EM/TS on every ESC instruction and from MP+TS on WAIT,
// #MF from WAIT and the waiting loads when an unmasked exception is pending (CR0.NE), FNSAVE/FRSTOR
// and FNSTENV/FLDENV images (stack order, recomputed tags, reserved bits), and #UD for the x87
// arithmetic this CPU does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInstructionCase, type InstructionCase } from './instructionCase';
import { CR0_EM, CR0_MP, CR0_NE, CR0_TS } from '../../src/emu/cpu/cpuState';
import { EXC_MF, EXC_NM, EXC_UD } from '../../src/emu/cpu/faults';

const withCr0 = (bits: number): InstructionCase['setup'] => (flat) => {
  flat.cpu.cr0 |= bits;
};

const CASES: InstructionCase[] = [
  { name: 'fninit with CR0.TS is #NM', bytes: [0xdb, 0xe3], setup: withCr0(CR0_TS), after: { fault: EXC_NM } },
  { name: 'fnstsw with CR0.EM is #NM', bytes: [0xdf, 0xe0], setup: withCr0(CR0_EM), after: { fault: EXC_NM } },
  { name: 'wait with TS alone runs', bytes: [0x9b], setup: withCr0(CR0_TS), after: { eip: 0x10001 } },
  { name: 'wait with MP and TS is #NM', bytes: [0x9b], setup: withCr0(CR0_TS | CR0_MP), after: { fault: EXC_NM } },
  { name: 'x87 arithmetic (fld1) is #UD', bytes: [0xd9, 0xe8], after: { fault: EXC_UD } },
  { name: 'x87 arithmetic with CR0.EM is #NM first', bytes: [0xd8, 0xc1], setup: withCr0(CR0_EM), after: { fault: EXC_NM } },
  { name: 'fninit; fnstsw ax; fnstcw', bytes: [0xdb, 0xe3, 0xdf, 0xe0, 0xd9, 0x3d, 0x00, 0x20, 0x00, 0x00], steps: 3,
    before: { regs: { eax: 0xffffffff } }, after: { regs: { eax: 0xffff0000 }, memory: { 0x2000: [0x7f, 0x03] } } },
  { name: 'fldcw keeps bit 6 set and bits 7, 13-15 clear', bytes: [0xd9, 0x2d, 0x00, 0x20, 0x00, 0x00, 0xd9, 0x3d, 0x02, 0x20, 0x00, 0x00], steps: 2,
    before: { memory: { 0x2000: [0xbf, 0xff] } }, after: { memory: { 0x2002: [0x7f, 0x1f] } } },
  { name: 'fnstenv (32-bit) after fninit', bytes: [0xdb, 0xe3, 0xd9, 0x35, 0x00, 0x20, 0x00, 0x00], steps: 2,
    after: { memory: { 0x2000: [0x7f, 0x03, 0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] } } },
];

test('x87 control instructions', async (t) => {
  for (const testCase of CASES) await t.test(testCase.name, () => void runInstructionCase(testCase));
});

test('FRSTOR then FNSAVE round-trips the image, stack order and tags recomputed', () => {
  const image = new Array<number>(108).fill(0);
  const put16 = (at: number, value: number) => { image[at] = value & 0xff; image[at + 1] = value >> 8; };
  put16(0, 0x037f);
  put16(4, 0x3000); // TOP = 6
  put16(8, 0x0fff); // R6, R7 non-empty (tags claim "valid"), others empty
  // ST(0) = R6: +1.0 (exponent 3FFF, integer bit); ST(1) = R7: zero.
  image[28 + 7] = 0x80;
  image[28 + 8] = 0xff;
  image[28 + 9] = 0x3f;
  const flat = runInstructionCase({
    name: 'frstor; fnsave', steps: 2,
    bytes: [0xdd, 0x25, 0x00, 0x30, 0x00, 0x00, 0xdd, 0x35, 0x00, 0x40, 0x00, 0x00],
    before: { memory: { 0x3000: image } },
    after: {},
  });
  const saved = Array.from(flat.memory.ram.subarray(0x4000, 0x4000 + 108));
  assert.equal(saved[8]! | (saved[9]! << 8), 0x4fff, 'tags: R6 valid (00), R7 zero (01), R0-R5 empty');
  assert.deepEqual(saved.slice(28, 38), image.slice(28, 38), 'ST(0) first');
  assert.equal(flat.cpu.fpu.controlWord, 0x037f, 'FNSAVE reinitialises');
  assert.equal(flat.cpu.fpu.tagWord, 0xffff);
});

test('a pending unmasked exception: #MF from WAIT and FLDCW with CR0.NE, none from FNSTSW', () => {
  const setup = (flat: Parameters<NonNullable<InstructionCase['setup']>>[0]) => {
    flat.cpu.cr0 |= CR0_NE;
    flat.cpu.fpu.controlWord = 0x037e; // IE unmasked
    flat.cpu.fpu.statusWord = 0x0081; // IE pending, ES
  };
  runInstructionCase({ name: 'wait', bytes: [0x9b], setup, after: { fault: EXC_MF } });
  runInstructionCase({ name: 'fldcw', bytes: [0xd9, 0x2d, 0x00, 0x20, 0x00, 0x00], setup, after: { fault: EXC_MF } });
  runInstructionCase({ name: 'fnstsw ax', bytes: [0xdf, 0xe0], setup, after: { regs: { ax: 0x0081 } } });
  runInstructionCase({ name: 'fnclex; wait', bytes: [0xdb, 0xe2, 0x9b], steps: 2, setup, after: { eip: 0x10003 } });
});
