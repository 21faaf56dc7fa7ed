// Our decoder against iced-x86 (32-bit, i386-P6 options): structured encodings (every one- and
// two-byte opcode x prefix combinations x all 256 ModRM bytes, random SIB/displacement/immediate
// tails) and random byte strings. For encodings iced decodes as an instruction of the subset we
// implement, length, mnemonic and operands must agree; for encodings iced calls invalid, and for
// valid ones outside our subset (SSE, VEX, x87 arithmetic ...), our CPU must raise #UD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { createFlatCpu } from '../helpers/cpuFixture';
import { CodeFetcher } from '../../src/emu/cpu/codeFetch';
import { decodeInstruction } from '../../src/emu/cpu/decoder';
import { CpuFault, EXC_GP, EXC_UD } from '../../src/emu/cpu/faults';
import type { Instruction } from '../../src/emu/cpu/instruction';
import { INSTRUCTION_TABLE } from '../../src/emu/isa/instructionTable';
import { IcedReader, type DecodedView } from './decoder/icedView';
import { ourOperands } from './decoder/ourView';
import { Random } from './native/randomSource';

/** iced spells some of our mnemonics differently. */
const ICED_ALIASES: Readonly<Record<string, string>> = {
  pushaw: 'pusha', popaw: 'popa', pushfw: 'pushf', popfw: 'popf', iretw: 'iret', fwait: 'wait',
};

/** Our mnemonics, without the waiting x87 composites (iced decodes WAIT and the FN form apart). */
const SUBSET: ReadonlySet<string> = new Set(INSTRUCTION_TABLE.filter((row) => row.prefix === undefined).map((row) => row.mnemonic));

function icedMnemonic(mnemonic: string, code: string): string {
  // 0F 1F /1-/7 are our decode-only NOP rows; iced calls them reserved NOPs (with a second operand).
  if (code === 'Reservednop_rm32_r32_0F1F' || code === 'Reservednop_rm16_r16_0F1F') return 'nop';
  return ICED_ALIASES[mnemonic] ?? mnemonic;
}

/** SSE forms share mnemonics with string instructions (MOVSD, CMPSD): iced's Code tells them apart. */
const inSubset = (mnemonic: string, code: string) => SUBSET.has(icedMnemonic(mnemonic, code)) && !/_[xyz]?mm|^(VEX|EVEX|XOP|MVEX)_/.test(code);

const STRIDE = 16;
const BASE = 0x100000;

interface Tally {
  compared: number;
  agreedInvalid: number;
  tooLong: number;
  outsideSubsetUd: number;
  /** iced mnemonics we answer with #UD, by count (for the report: what a newer CPU would run). */
  outsideByMnemonic: Map<string, number>;
  mismatches: string[];
}

type Ours = { kind: 'decoded'; instruction: Instruction } | { kind: 'ud' } | { kind: 'tooLong' } | { kind: 'other'; what: string };

function decodeOurs(fetcher: CodeFetcher, cpu: ReturnType<typeof createFlatCpu>['cpu'], address: number): Ours {
  try {
    fetcher.begin(cpu, address);
    const instruction = decodeInstruction(cpu, fetcher);
    return instruction.form === null ? { kind: 'ud' } : { kind: 'decoded', instruction };
  } catch (caught) {
    if (!(caught instanceof CpuFault)) throw caught;
    if (caught.vector === EXC_UD) return { kind: 'ud' };
    if (caught.vector === EXC_GP && caught.description.includes('15 bytes')) return { kind: 'tooLong' };
    return { kind: 'other', what: `vector ${caught.vector}: ${caught.description}` };
  }
}

function hexBytes(bytes: Uint8Array, offset: number, length: number): string {
  return Array.from(bytes.subarray(offset, offset + length), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Set LGD_CROSSCHECK_DUMP=file to get every mismatch (the assertion shows the first 40). */
const dumpPath = process.env['LGD_CROSSCHECK_DUMP'];

function note(tally: Tally, bytes: Uint8Array, offset: number, what: string): void {
  const line = `[${hexBytes(bytes, offset, STRIDE)}] ${what}`;
  if (dumpPath) appendFileSync(dumpPath, `${line}\n`);
  if (tally.mismatches.length < 40) tally.mismatches.push(line);
  else tally.mismatches.length++;
}

function compareOne(tally: Tally, bytes: Uint8Array, offset: number, iced: DecodedView, ours: Ours): void {
  const describe = (o: Ours) => (o.kind === 'decoded' ? `${o.instruction.form!.mnemonic} len ${o.instruction.length}` : o.kind === 'other' ? o.what : o.kind);
  if (!iced.valid) {
    if (ours.kind === 'ud') tally.agreedInvalid++;
    else if (ours.kind === 'tooLong') tally.tooLong++;
    else note(tally, bytes, offset, `iced: invalid; ours: ${describe(ours)}`);
    return;
  }
  if (!inSubset(iced.mnemonic, iced.code)) {
    if (ours.kind === 'ud') {
      tally.outsideSubsetUd++;
      tally.outsideByMnemonic.set(iced.mnemonic, (tally.outsideByMnemonic.get(iced.mnemonic) ?? 0) + 1);
    }
    else note(tally, bytes, offset, `iced: ${iced.mnemonic} ${iced.code} (not ours); ours: ${describe(ours)}`);
    return;
  }
  if (ours.kind !== 'decoded') {
    note(tally, bytes, offset, `iced: ${iced.mnemonic} ${iced.operands.join(', ')} len ${iced.length}; ours: ${describe(ours)}`);
    return;
  }
  tally.compared++;
  const instruction = ours.instruction;
  const mnemonic = instruction.form!.mnemonic;
  const operands = mnemonic === 'xlatb' ? [] : ourOperands(instruction, BASE + offset);
  let icedOperands = mnemonic === 'xlatb' ? [] : iced.operands;
  if (iced.code.startsWith('Reservednop')) icedOperands = icedOperands.slice(0, 1);
  if (instruction.length !== iced.length || mnemonic !== icedMnemonic(iced.mnemonic, iced.code) || operands.join(', ') !== icedOperands.join(', ')) {
    note(tally, bytes, offset, `iced: ${iced.mnemonic} ${icedOperands.join(', ')} len ${iced.length}; ours: ${mnemonic} ${operands.join(', ')} len ${instruction.length}`);
  }
}

/** Checks `count` encodings laid out STRIDE bytes apart in `bytes`. */
function crossCheck(bytes: Uint8Array, tally: Tally): void {
  const { cpu, memory } = createFlatCpu({ memoryBytes: BASE + bytes.length + 0x1000 });
  memory.writeBytes(BASE, bytes);
  const reader = new IcedReader(bytes, BASE);
  const fetcher = new CodeFetcher();
  try {
    for (let offset = 0; offset < bytes.length; offset += STRIDE) {
      compareOne(tally, bytes, offset, reader.read(offset, inSubset), decodeOurs(fetcher, cpu, BASE + offset));
    }
  } finally {
    reader.free();
  }
}

const PREFIX_SETS: readonly (readonly number[])[] = [[], [0x66], [0x67], [0x66, 0x67], [0xf0], [0xf3], [0xf2], [0x2e, 0x65]];

/** Every opcode (one-byte and 0F xx) with each prefix set and every ModRM byte, random tails. */
function structuredChunks(rng: Random): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const prefixes of PREFIX_SETS) {
    const bytes = new Uint8Array(512 * 256 * STRIDE);
    let at = 0;
    for (let opcode = 0; opcode < 512; opcode++) {
      for (let modrm = 0; modrm < 256; modrm++, at += STRIDE) {
        const encoding = [...prefixes, ...(opcode >= 256 ? [0x0f, opcode & 0xff] : [opcode]), modrm];
        bytes.set(encoding, at);
        for (let i = encoding.length; i < STRIDE; i++) bytes[at + i] = rng.next() & 0xff;
      }
    }
    chunks.push(bytes);
  }
  return chunks;
}

/** Random strings, half of them starting with a run of random prefixes. */
function randomChunk(rng: Random, count: number): Uint8Array {
  const prefixes = [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x0f];
  const bytes = rng.bytes(count * STRIDE);
  for (let at = 0; at < bytes.length; at += STRIDE) {
    if (rng.chance(0.5)) for (let i = 0, n = rng.below(16); i < n; i++) bytes[at + i] = rng.pick(prefixes);
  }
  return bytes;
}

function newTally(): Tally {
  return { compared: 0, agreedInvalid: 0, tooLong: 0, outsideSubsetUd: 0, outsideByMnemonic: new Map(), mismatches: [] };
}

function report(tally: Tally): string {
  const outside = [...tally.outsideByMnemonic.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([m, n]) => `${m} ${n}`).join(', ');
  return `compared ${tally.compared} in-subset decodings, ${tally.agreedInvalid} invalid encodings raise #UD, ` +
    `${tally.outsideSubsetUd} valid-but-not-ours encodings raise #UD (most: ${outside}), ${tally.tooLong} over 15 bytes raise #GP, ` +
    `${tally.mismatches.length} mismatches`;
}

test('structured encodings: every opcode x prefixes x ModRM agrees with iced-x86', (t) => {
  const tally = newTally();
  for (const chunk of structuredChunks(new Random(0x1ced))) crossCheck(chunk, tally);
  t.diagnostic(`structured: ${report(tally)}`);
  assert.deepEqual(tally.mismatches, []);
  assert.ok(tally.compared > 300_000);
});

test('random byte strings agree with iced-x86', (t) => {
  const tally = newTally();
  const rng = new Random(0xbad5eed);
  for (let chunk = 0; chunk < 4; chunk++) crossCheck(randomChunk(rng, 50_000), tally);
  t.diagnostic(`random: ${report(tally)}`);
  assert.deepEqual(tally.mismatches, []);
});
