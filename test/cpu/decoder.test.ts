// The decoder on its own: the opcode maps built from the table are unambiguous, every row decodes
// back to itself from a canonical encoding, every row's op has a handler (user or system family),
// and bad input (garbage, prefix runs past 15 bytes, an instruction cut by an unmapped page, LOCK
// where it is not allowed, nonexistent segment and control registers) ends in a CpuFault, never in
// a JavaScript exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_BASE, createFlatCpu } from '../helpers/cpuFixture';
import { CodeFetcher } from '../../src/emu/cpu/codeFetch';
import { decodeInstruction } from '../../src/emu/cpu/decoder';
import { DECODER_CONFLICTS } from '../../src/emu/cpu/decoder/opcodeMaps';
import { CpuFault, EXC_GP, EXC_PF, EXC_UD } from '../../src/emu/cpu/faults';
import { handlerFor } from '../../src/emu/cpu/exec/handlerTable';
import { userHandlers } from '../../src/emu/cpu/exec/user/userHandlers';
import { systemHandlers } from '../../src/emu/cpu/exec/system/systemHandlers';
import type { Instruction } from '../../src/emu/cpu/instruction';
import type { InstructionForm } from '../../src/emu/isa/instructionForm';
import { INSTRUCTION_TABLE, describeOpcode } from '../../src/emu/isa/instructionTable';
import { OPERAND_KIND_INFO, isOperandSizeDependent, rmMode, usesModRM } from '../../src/emu/isa/operandKinds';
import { CR0_PG } from '../../src/emu/cpu/cpuState';
import { flushAllTranslations } from '../../src/emu/cpu/paging';
import { Random } from './native/randomSource';

function decodeBytes(bytes: readonly number[]): Instruction | CpuFault {
  const flat = createFlatCpu();
  flat.load(bytes);
  const fetcher = new CodeFetcher();
  try {
    fetcher.begin(flat.cpu, CODE_BASE);
    return decodeInstruction(flat.cpu, fetcher);
  } catch (caught) {
    if (caught instanceof CpuFault) return caught;
    throw caught;
  }
}

/** A canonical encoding of a row: 66 when 16-bit, opcode (+1 for +r), ModRM, zero immediates. */
function canonicalEncoding(row: InstructionForm): number[] {
  const bytes: number[] = [];
  if (row.addressSize === 16) bytes.push(0x67);
  if (row.operandSize === 16) bytes.push(0x66);
  const plusRegister = row.operands.some((kind) => kind[0] === 'Z');
  row.opcode.forEach((byte, n) => bytes.push(n === row.opcode.length - 1 && plusRegister ? byte + 1 : byte));
  if (row.modrm !== undefined) bytes.push(row.modrm);
  else if (usesModRM(row)) {
    const register = rmMode(row) === 'register' || row.operands.includes('Rd');
    bytes.push((register ? 0xc0 : 0x00) | ((row.extension ?? 0) << 3) | (register ? 1 : 3));
  }
  for (const kind of row.operands) {
    const info = OPERAND_KIND_INFO[kind];
    const width = info.width === 'v' ? 4 : info.width === 'pointer' ? 6 : typeof info.width === 'number' ? info.width / 8 : 0;
    if (info.location === 'immediate' || info.location === 'relative' || info.location === 'farPointer' || info.location === 'memoryOffset') {
      for (let i = 0; i < (info.location === 'memoryOffset' ? 4 : width); i++) bytes.push(0);
    }
  }
  return bytes;
}

test('the opcode maps built from the table have no ambiguous encodings', () => {
  assert.deepEqual(DECODER_CONFLICTS, []);
});

test('every row decodes back to itself from a canonical encoding', () => {
  for (const row of INSTRUCTION_TABLE) {
    if (row.prefix !== undefined) continue; // WAIT + the no-wait row: two instructions
    const bytes = canonicalEncoding(row);
    const decoded = decodeBytes(bytes);
    assert.ok(!(decoded instanceof CpuFault), `${row.mnemonic} ${describeOpcode(row)}: ${decoded instanceof CpuFault ? decoded.description : ''}`);
    assert.equal(decoded.form, row, `${row.mnemonic} ${describeOpcode(row)} [${bytes.map((b) => b.toString(16)).join(' ')}] decoded as ${decoded.form?.mnemonic}`);
    assert.equal(decoded.length, bytes.length, `${row.mnemonic} length`);
    if (isOperandSizeDependent(row) && row.operandSize === undefined) assert.ok(decoded.opsize32);
  }
});

test('every row of the table has a handler, and no op is claimed by both families', () => {
  const missing = [...new Set(INSTRUCTION_TABLE.filter((row) => handlerFor(row.op) === undefined).map((row) => row.op))];
  assert.deepEqual(missing, [], `ops without a handler: ${missing.join(', ')}`);
  const both = Object.keys(userHandlers).filter((op) => op in systemHandlers);
  assert.deepEqual(both, []);
});

test('an opcode without a row is #UD with a description', () => {
  for (const bytes of [[0x0f, 0x0a], [0x0f, 0x38, 0x00, 0xc0], [0xfe, 0xd0], [0xff, 0xff], [0x8d, 0xc0], [0xc4, 0xc0], [0x0f, 0xff]]) {
    const decoded = decodeBytes(bytes);
    assert.ok(decoded instanceof CpuFault && decoded.vector === EXC_UD, `${bytes.map((b) => b.toString(16)).join(' ')}`);
    assert.match(decoded.description, /not an instruction of this CPU/);
  }
});

test('LOCK is #UD on a register destination and on instructions that never take it', () => {
  const expectUd = [[0xf0, 0x01, 0xc0], [0xf0, 0x8b, 0x00], [0xf0, 0x90], [0xf0, 0x0f, 0xa3, 0x00], [0xf0, 0xdb, 0xe3]];
  for (const bytes of expectUd) {
    const decoded = decodeBytes(bytes);
    assert.ok(decoded instanceof CpuFault && decoded.vector === EXC_UD, bytes.map((b) => b.toString(16)).join(' '));
  }
  for (const bytes of [[0xf0, 0x01, 0x00], [0xf0, 0x87, 0x03], [0xf0, 0x0f, 0xc7, 0x0e], [0xf0, 0x0f, 0xab, 0x00], [0xf0, 0xfe, 0x00]]) {
    assert.ok(!(decodeBytes(bytes) instanceof CpuFault), bytes.map((b) => b.toString(16)).join(' '));
  }
});

test('segment and control register fields that name nothing are #UD', () => {
  for (const bytes of [[0x8e, 0xc8], [0x8e, 0xf0], [0x8c, 0xf8], [0x0f, 0x20, 0xc8], [0x0f, 0x22, 0xe8], [0x0f, 0x20, 0xf8]]) {
    const decoded = decodeBytes(bytes);
    assert.ok(decoded instanceof CpuFault && decoded.vector === EXC_UD, bytes.map((b) => b.toString(16)).join(' '));
  }
  const crMod = decodeBytes([0x0f, 0x20, 0x18]);
  assert.ok(!(crMod instanceof CpuFault) && crMod.mod === 3 && crMod.length === 3, 'MOV from CR ignores mod');
});

test('prefixes in any order and repetition; 15 bytes is the limit', () => {
  const fourteenPrefixes = [0x66, 0x67, 0xf3, 0x2e, 0x3e, 0x26, 0x64, 0x65, 0x36, 0x66, 0xf2, 0x66, 0x67, 0x3e];
  const ok = decodeBytes([...fourteenPrefixes, 0x90]);
  assert.ok(!(ok instanceof CpuFault) && ok.length === 15 && ok.segmentOverride === 3 && ok.repPrefix === 0xf2);
  const tooLong = decodeBytes([...fourteenPrefixes, 0x66, 0x90]);
  assert.ok(tooLong instanceof CpuFault && tooLong.vector === EXC_GP);
  const run = decodeBytes(new Array(16).fill(0x66));
  assert.ok(run instanceof CpuFault && run.vector === EXC_GP, 'a 16-byte run of prefixes is #GP');
});

test('an instruction cut by an unmapped page raises #PF for the next page', () => {
  // Identity-map the code page only: the page after it is not present. ADD EAX, imm32 at its last
  // three bytes needs three more.
  const flat = createFlatCpu();
  const { cpu, memory } = flat;
  const start = CODE_BASE + 0xffd;
  memory.writeBytes(start, Uint8Array.from([0x81, 0xc0, 0x01]));
  memory.write32(0x3000, 0x4003);
  memory.write32(0x4000 + ((CODE_BASE >>> 12) & 0x3ff) * 4, CODE_BASE | 0x3);
  cpu.cr3 = 0x3000;
  cpu.cr0 |= CR0_PG;
  flushAllTranslations(cpu);
  cpu.eip = start;
  cpu.setExceptionStops([EXC_PF]);
  const stop = cpu.step();
  assert.equal(stop.kind, 'exception');
  assert.equal(stop.kind === 'exception' && stop.vector, EXC_PF);
  assert.equal(cpu.cr2 >>> 0, CODE_BASE + 0x1000);
  assert.equal(cpu.eip, start, 'EIP stays on the instruction');
});

test('garbage never escapes as a JavaScript exception, decoding or executing', () => {
  const rng = new Random(0x9a5b);
  const fetcher = new CodeFetcher();
  const flat = createFlatCpu();
  for (let n = 0; n < 20_000; n++) {
    flat.memory.writeBytes(CODE_BASE, rng.bytes(16));
    try {
      fetcher.begin(flat.cpu, CODE_BASE);
      decodeInstruction(flat.cpu, fetcher);
    } catch (caught) {
      assert.ok(caught instanceof CpuFault, `decoding raised ${String(caught)}`);
    }
  }
  const runner = createFlatCpu();
  runner.cpu.setExceptionStops([...Array(32).keys()]);
  for (let n = 0; n < 3_000; n++) {
    runner.memory.writeBytes(CODE_BASE, rng.bytes(64));
    runner.cpu.eip = CODE_BASE;
    runner.cpu.pendingFault = undefined;
    runner.cpu.halted = false;
    for (let r = 0; r < 8; r++) runner.cpu.regs[r] = r === 4 ? 0x9f000 : rng.next() & 0xfffff;
    const stop = runner.cpu.run(8);
    // Faults stop here; a trap (POPF setting TF) with the empty IDT may even shut down: both fine.
    assert.notEqual(stop.kind, 'internalError', JSON.stringify(stop));
  }
});
