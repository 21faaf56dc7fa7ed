// Native cases for every row whose operands are ModRM, register-in-opcode, accumulator, immediate
// or moffs operands: the ALU, unary, shift, multiply/divide, bit, move, exchange, conditional,
// BCD and flag instructions. Operand values are random with edge values; counts and divisors get
// the values where the rules change (0, 1, width, width+1, 31, 32 ...; valid and #DE divisions).
// Must not know: the emulator. Models the operand encodings of Intel SDM Vol. 2 Appendix A.
import type { InstructionForm, OperandKind } from '../../../src/emu/isa/instructionForm';
import { OPERAND_KIND_INFO, isOperandSizeDependent, usesModRM } from '../../../src/emu/isa/operandKinds';
import { undefinedFlags, undefinedResult } from '../../../src/emu/cpu/undefinedFlags';
import { BUFFER_BASE, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';
import { CaseBuilder, REG_EAX, REG_ECX, REG_EDX } from './caseBuilder';

const COUNTS = [0, 1, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 255];
const SHIFT_OPS = new Set(['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd']);

/** The ops this module generates cases for. */
export const OPERAND_CASE_OPS: ReadonlySet<string> = new Set([
  'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test', 'inc', 'dec', 'neg', 'not',
  'mul', 'imul', 'div', 'idiv', ...SHIFT_OPS, 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr',
  'mov', 'movzx', 'movsx', 'xchg', 'bswap', 'xadd', 'cmpxchg', 'cmpxchg8b', 'cmovcc', 'setcc',
  'cbw', 'cwd', 'lahf', 'sahf', 'salc', 'clc', 'stc', 'cmc', 'cld', 'std', 'daa', 'das', 'aaa', 'aas', 'aam', 'aad', 'nop',
]);

function widthOf(kind: OperandKind, op32: boolean): number {
  const width = OPERAND_KIND_INFO[kind].width;
  return width === 8 ? 1 : width === 16 ? 2 : width === 32 ? 4 : width === 'v' ? (op32 ? 4 : 2) : width === 64 ? 8 : 0;
}

/** Data width of the row at this operand size (first sized non-immediate operand). */
function dataWidth(row: InstructionForm, op32: boolean): number {
  for (const kind of row.operands) {
    const info = OPERAND_KIND_INFO[kind];
    if (info.location === 'immediate' || kind === 'CL' || kind === '1') continue;
    const width = widthOf(kind, op32);
    if (width !== 0) return width;
  }
  return op32 ? 4 : 2;
}

interface Encoding {
  readonly builder: CaseBuilder;
  readonly width: number;
  /** ModRM fields as emitted (rm = -1 for memory), register-in-opcode number, memory offset. */
  readonly reg: number;
  readonly rm: number;
  readonly target: number;
  count: number;
}

function immediateBytes(kind: OperandKind, op32: boolean): number {
  switch (kind) {
    case 'Ib': case 'sIb': return 1;
    case 'Iw': return 2;
    case 'Id': return 4;
    case 'Iv': return op32 ? 4 : 2;
    default: return 0;
  }
}

function immediateValue(row: InstructionForm, kind: OperandKind, rng: Random): number {
  if (SHIFT_OPS.has(row.op) && kind === 'Ib') return rng.chance(0.7) ? rng.pick(COUNTS) : rng.next();
  if ((row.op === 'bt' || row.op === 'bts' || row.op === 'btr' || row.op === 'btc') && kind === 'Ib') return rng.next() & 0xff;
  if (row.op === 'aam') return rng.chance(0.05) ? 0 : rng.chance(0.5) ? 10 : rng.next();
  return rng.value(4);
}

/** Emits prefix, opcode, ModRM/memory, moffs and immediates. */
function encode(row: InstructionForm, rng: Random, op32: boolean, memory: boolean, lock: boolean): Encoding {
  const builder = new CaseBuilder(rng);
  if (!memory && rng.chance(0.2) && !row.operands.includes('Zv')) builder.unpinStack();
  if (lock) builder.emit(0xf0);
  if (isOperandSizeDependent(row) && !op32) builder.emit(0x66);
  const plusRegister = row.operands.some((kind) => kind[0] === 'Z');
  const opcodeRegister = plusRegister ? rng.below(8) : 0;
  row.opcode.forEach((byte, n) => builder.emit(n === row.opcode.length - 1 ? byte + opcodeRegister : byte));
  const target = 16 + rng.below(128);
  let reg = plusRegister ? opcodeRegister : 0;
  let rm = plusRegister ? opcodeRegister : 0;
  if (usesModRM(row)) {
    const bitOffsetInReg = (row.op === 'bt' || row.op === 'bts' || row.op === 'btr' || row.op === 'btc') && row.operands[1] === 'Gv';
    reg = row.extension ?? (bitOffsetInReg && memory ? rng.pick([0, 1, 2, 3, 5, 6, 7]) : rng.below(8));
    if (memory) {
      builder.memoryModrm(reg, target, bitOffsetInReg ? 1 << reg : 0);
      rm = -1;
    } else {
      rm = rng.below(8);
      builder.registerModrm(reg, rm);
    }
  }
  if (row.operands.includes('Ob') || row.operands.includes('Ov')) builder.emitImmediate(BUFFER_BASE + target, 4);
  for (const kind of row.operands) {
    const bytes = immediateBytes(kind, op32);
    if (bytes !== 0) builder.emitImmediate(immediateValue(row, kind, rng), bytes);
  }
  const width = dataWidth(row, op32);
  if (memory && rng.chance(0.5)) builder.setMemory(target, rng.value(4), Math.min(width, 4));
  return { builder, width, reg, rm, target, count: 1 };
}

/** Reads a register operand of `width` from the builder's state (rm or reg number). */
function registerValue(builder: CaseBuilder, n: number, width: number): number {
  if (width === 1) return (builder.regs[n & 3]! >> ((n & 4) << 1)) & 0xff;
  return width === 2 ? builder.regs[n]! & 0xffff : builder.regs[n]!;
}

function setCount(encoding: Encoding, row: InstructionForm): void {
  const builder = encoding.builder;
  const fromCl = row.operands.includes('CL');
  if (fromCl && builder.rng.chance(0.8)) {
    builder.setRegister(REG_ECX, (builder.regs[REG_ECX]! & ~0xff) | builder.rng.pick(COUNTS));
  }
  const code = builder.code;
  const immediate = row.operands.includes('Ib') ? code[code.length - 1]! : 1;
  encoding.count = (fromCl ? builder.regs[REG_ECX]! & 0xff : immediate) & 31;
}

/** Most divisions valid (divisor nonzero, quotient in range), a few left to raise #DE. */
function shapeDivision(encoding: Encoding, signed: boolean): void {
  const { builder, width } = encoding;
  const rng = builder.rng;
  if (!rng.chance(0.85)) return;
  const bits = width * 8;
  let divisor = rng.value(width) & (width === 4 ? -1 : (1 << bits) - 1);
  if (divisor === 0 || (signed && ((divisor << (32 - bits)) >> (32 - bits)) === -1)) divisor = 3 + rng.below(100);
  if (encoding.rm >= 0) {
    const aliases = width === 1 ? [0, 4] : [REG_EAX, REG_EDX];
    if (aliases.includes(encoding.rm) || !builder.setRegister(encoding.rm & (width === 1 ? 3 : 7), 0)) return;
    if (width === 1) {
      const n = encoding.rm;
      builder.regs[n & 3] = (builder.regs[n & 3]! & ~(0xff << ((n & 4) << 1))) | (divisor << ((n & 4) << 1));
    } else builder.regs[encoding.rm] = width === 2 ? (builder.regs[encoding.rm]! & ~0xffff) | divisor : divisor;
  } else builder.setMemory(encoding.target, divisor, width);
  const low = registerValue(builder, REG_EAX, width === 1 ? 1 : width);
  const unsignedDivisor = width === 4 ? divisor >>> 0 : divisor;
  const high = signed ? (((low << (32 - bits)) >> (32 - bits)) < 0 ? -1 : 0) : Math.floor((rng.next() >>> 0) / 0x100000000 * unsignedDivisor);
  if (width === 1) builder.setRegister(REG_EAX, (builder.regs[REG_EAX]! & ~0xff00) | ((high & 0xff) << 8));
  else if (width === 2) builder.setRegister(REG_EDX, (builder.regs[REG_EDX]! & ~0xffff) | (high & 0xffff));
  else builder.setRegister(REG_EDX, high);
}

/** CMPXCHG/CMPXCHG8B: make the comparison succeed half the time. */
function shapeCompareExchange(encoding: Encoding, row: InstructionForm): void {
  const { builder } = encoding;
  if (!builder.rng.chance(0.5)) return;
  if (row.op === 'cmpxchg8b') {
    builder.setRegister(REG_EAX, builder.memoryAt(encoding.target, 4));
    builder.setRegister(REG_EDX, builder.memoryAt(encoding.target + 4, 4));
    return;
  }
  const value = encoding.rm >= 0 ? registerValue(builder, encoding.rm, encoding.width) : builder.memoryAt(encoding.target, encoding.width);
  const mask = encoding.width === 4 ? 0 : encoding.width === 2 ? ~0xffff : ~0xff;
  builder.setRegister(REG_EAX, (builder.regs[REG_EAX]! & mask) | (value & ~mask));
}

/** Register bit offsets into memory stay within ±32 bytes of the operand. */
function shapeBitOffset(encoding: Encoding, row: InstructionForm): void {
  if (encoding.rm >= 0 || row.operands[1] !== 'Gv') return;
  const rng = encoding.builder.rng;
  encoding.builder.setRegister(encoding.reg, rng.below(512) - 256 + (encoding.width === 2 ? (rng.next() & 0xffff0000) : 0));
}

function label(row: InstructionForm, op32: boolean, memory: boolean): string {
  return `${row.mnemonic} ${row.operands.join(',')} ${op32 ? 'o32' : 'o16'} ${memory ? 'mem' : 'reg'} [${row.opcode.map((b) => b.toString(16)).join(' ')}${row.extension !== undefined ? ` /${row.extension}` : ''}]`;
}

/** One random case of `row` with the given operand size and register/memory form. */
export function operandCase(row: InstructionForm, rng: Random, op32: boolean, memory: boolean): NativeCase {
  for (;;) {
    const built = tryOperandCase(row, rng, op32, memory);
    if (built) return built;
  }
}

/** Undefined results (SHLD/SHRD past the width) are drawn again rather than compared. */
function tryOperandCase(row: InstructionForm, rng: Random, op32: boolean, memory: boolean): NativeCase | undefined {
  const lock = row.lockable === true && memory && rng.chance(0.3);
  const encoding = encode(row, rng, op32, memory, lock);
  if (SHIFT_OPS.has(row.op)) setCount(encoding, row);
  if (row.op === 'div' || row.op === 'idiv') shapeDivision(encoding, row.op === 'idiv');
  if (row.op === 'cmpxchg' || row.op === 'cmpxchg8b') shapeCompareExchange(encoding, row);
  if (row.op.startsWith('bt')) shapeBitOffset(encoding, row);
  const bits = (encoding.width * 8) as 8 | 16 | 32;
  const op = row.op === 'shl' && row.mnemonic === 'sal' ? 'sal' : row.op;
  if (undefinedResult(op, bits, encoding.count)) return undefined;
  return encoding.builder.build(label(row, op32, memory), op, undefinedFlags(op, bits, encoding.count));
}

/** Register/memory choices a row allows. */
export function memoryChoices(row: InstructionForm): boolean[] {
  if (!usesModRM(row)) return [row.operands.includes('Ob') || row.operands.includes('Ov')];
  const rmKind = row.operands.find((kind) => OPERAND_KIND_INFO[kind].location === 'rm');
  if (rmKind === undefined) return [false];
  const rm = OPERAND_KIND_INFO[rmKind].rm;
  return rm === 'memory' ? [true] : rm === 'register' ? [false] : [false, true];
}

