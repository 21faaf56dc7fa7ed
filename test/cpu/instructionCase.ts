// Runs table-driven instruction cases {bytes, state before, state after} on a flat CPU: registers
// by name (eax..edi, the 16- and 8-bit names too), EFLAGS bits, EIP, memory bytes, and the fault
// (vector) the instruction raises, if any. Shared by the per-instruction test files.
// Must not know: which instructions are tested.
import assert from 'node:assert/strict';
import { CODE_BASE, createFlatCpu, type FlatCpu } from '../helpers/cpuFixture';
import { getEflags, setEflags } from '../../src/emu/cpu/eflags';
import { GPR32_NAMES } from '../../src/emu/isa/registers';

export interface CpuStateSpec {
  readonly regs?: Readonly<Record<string, number>>;
  /** EFLAGS bits to set (before) or the expected value of the bits in flagsMask (after). */
  readonly flags?: number;
  readonly flagsMask?: number;
  readonly eip?: number;
  /** address -> bytes */
  readonly memory?: Readonly<Record<number, readonly number[]>>;
  /** The exception the instruction raises (EIP then stays on it). */
  readonly fault?: number;
}

export interface InstructionCase {
  readonly name: string;
  readonly bytes: readonly number[];
  readonly before?: CpuStateSpec;
  readonly after: CpuStateSpec;
  /** Instructions to run (default 1). */
  readonly steps?: number;
  /** Prepare the machine further (paging, segments, CR0). */
  readonly setup?: (flat: FlatCpu) => void;
}

const REG8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];

function readRegister(flat: FlatCpu, name: string): number {
  const regs = flat.cpu.regs;
  let n = GPR32_NAMES.indexOf(name);
  if (n >= 0) return regs[n]! >>> 0;
  n = REG16.indexOf(name);
  if (n >= 0) return regs[n]! & 0xffff;
  n = REG8.indexOf(name);
  if (n >= 0) return (regs[n & 3]! >> ((n & 4) << 1)) & 0xff;
  throw new Error(`unknown register ${name}`);
}

function writeRegister(flat: FlatCpu, name: string, value: number): void {
  const n = GPR32_NAMES.indexOf(name);
  if (n < 0) throw new Error(`set registers by their 32-bit names (${name})`);
  flat.cpu.regs[n] = value;
}

/** Builds the CPU, applies `before`, runs, and checks `after`. */
export function runInstructionCase(testCase: InstructionCase): FlatCpu {
  const flat = createFlatCpu();
  flat.cpu.setExceptionStops([...Array(32).keys()]);
  testCase.setup?.(flat);
  flat.load(testCase.bytes);
  const before = testCase.before ?? {};
  for (const [name, value] of Object.entries(before.regs ?? {})) writeRegister(flat, name, value);
  setEflags(flat.cpu, 0x2 | (before.flags ?? 0));
  for (const [address, bytes] of Object.entries(before.memory ?? {})) flat.memory.writeBytes(Number(address), Uint8Array.from(bytes));
  let vector = -1;
  for (let step = 0; step < (testCase.steps ?? 1); step++) {
    const stop = flat.cpu.step();
    if (stop.kind === 'exception') {
      vector = stop.vector;
      break;
    }
    assert.equal(stop.kind, 'step', `${testCase.name}: stopped with ${JSON.stringify(stop)}`);
  }
  checkAfter(testCase, flat, vector);
  return flat;
}

function checkAfter(testCase: InstructionCase, flat: FlatCpu, vector: number): void {
  const after = testCase.after;
  const name = testCase.name;
  assert.equal(vector, after.fault ?? -1, `${name}: exception vector`);
  for (const [register, value] of Object.entries(after.regs ?? {})) {
    assert.equal(readRegister(flat, register).toString(16), (value >>> 0).toString(16), `${name}: ${register}`);
  }
  if (after.flags !== undefined) {
    const mask = after.flagsMask ?? 0x8d5;
    assert.equal((getEflags(flat.cpu) & mask).toString(16), (after.flags & mask).toString(16), `${name}: eflags & 0x${mask.toString(16)}`);
  }
  if (after.eip !== undefined) assert.equal(flat.cpu.eip.toString(16), after.eip.toString(16), `${name}: eip`);
  if (after.fault !== undefined && after.eip === undefined) assert.equal(flat.cpu.eip, CODE_BASE, `${name}: EIP stays on the faulting instruction`);
  for (const [address, bytes] of Object.entries(after.memory ?? {})) {
    const actual = Array.from(flat.memory.ram.subarray(Number(address), Number(address) + bytes.length));
    assert.deepEqual(actual, [...bytes], `${name}: memory at 0x${Number(address).toString(16)}`);
  }
}
