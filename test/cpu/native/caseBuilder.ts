// Builds one native test case: random register and flag values, a random data buffer, and the
// instruction bytes with ModRM/SIB/displacement forms whose memory operand lands at a chosen
// offset of the buffer (the base/index registers are set to make it so and are then "pinned").
// Must not know: which instruction is being tested (the families in caseFamilies*.ts decide).
// Models Intel SDM Vol. 2A Tables 2-2 and 2-3 (32-bit ModRM and SIB forms).
import { BUFFER_BASE, BUFFER_BYTES, STACK_TOP_OFFSET, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';

export { REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI, REG_EDI } from '../../../src/emu/isa/registers';
import { REG_EBP, REG_ESP } from '../../../src/emu/isa/registers';

const ARITHMETIC = 0x8d5;
const DF = 0x400;

export class CaseBuilder {
  readonly regs = new Int32Array(8);
  readonly memory: Uint8Array;
  readonly code: number[] = [];
  eflags: number;
  /** Bit n set: register n holds an address and must keep its value. */
  pinned = 0;

  constructor(readonly rng: Random, options: { directionFlag?: boolean } = {}) {
    for (let r = 0; r < 8; r++) this.regs[r] = rng.value(rng.pick([1, 2, 4]));
    this.regs[REG_ESP] = BUFFER_BASE + STACK_TOP_OFFSET;
    this.pinned = 1 << REG_ESP;
    this.memory = rng.bytes(BUFFER_BYTES);
    this.eflags = 0x2 | (rng.next() & ARITHMETIC) | (options.directionFlag && rng.chance(0.5) ? DF : 0);
  }

  emit(...bytes: number[]): void {
    for (const byte of bytes) this.code.push(byte & 0xff);
  }

  emitImmediate(value: number, bytes: number): void {
    for (let i = 0; i < bytes; i++) this.code.push((value >>> (8 * i)) & 0xff);
  }

  /** Sets a register unless it is pinned (returns false then). */
  setRegister(reg: number, value: number): boolean {
    if (this.pinned & (1 << reg)) return false;
    this.regs[reg] = value;
    return true;
  }

  /** Frees ESP for use as an ordinary operand (cases that do not touch the stack). */
  unpinStack(): void {
    this.pinned &= ~(1 << REG_ESP);
  }

  setMemory(offset: number, value: number, bytes: number): void {
    for (let i = 0; i < bytes; i++) this.memory[offset + i] = (value >>> (8 * i)) & 0xff;
  }

  memoryAt(offset: number, bytes: number): number {
    let value = 0;
    for (let i = bytes - 1; i >= 0; i--) value = (value << 8) | this.memory[offset + i]!;
    return value;
  }

  /** A free (unpinned) register other than those in `avoid` (bit mask), or -1. */
  private freeRegister(avoid: number): number {
    const candidates: number[] = [];
    for (let r = 0; r < 8; r++) if (!((this.pinned | avoid) & (1 << r))) candidates.push(r);
    return candidates.length === 0 ? -1 : this.rng.pick(candidates);
  }

  private pin(reg: number, value: number): void {
    this.regs[reg] = value;
    this.pinned |= 1 << reg;
  }

  /**
   * Emits ModRM (+SIB, displacement) for a memory operand at buffer offset `target`, with `reg` in
   * the reg field. Picks one of the 32-bit addressing forms at random.
   */
  memoryModrm(reg: number, target: number, avoid = 0): void {
    const pinnedBefore = this.pinned;
    this.pinned |= avoid;
    this.encodeMemory(reg, target);
    this.pinned = (this.pinned & ~avoid) | (pinnedBefore & avoid);
  }

  private encodeMemory(reg: number, target: number): void {
    const rng = this.rng;
    const address = BUFFER_BASE + target;
    const form = rng.below(6);
    const espFree = !(this.pinned & (1 << REG_ESP));
    const base = this.freeRegister((1 << REG_ESP) | (form === 0 || form === 1 ? 1 << REG_EBP : 0));
    if (form === 0 || base < 0) {
      this.emit(((reg & 7) << 3) | 5);
      this.emitImmediate(address, 4);
      return;
    }
    if (form === 1) {
      this.pin(base, address);
      this.emit(((reg & 7) << 3) | base);
      return;
    }
    if (form === 2 || form === 3) {
      const disp = form === 2 ? rng.below(64) - 32 : rng.pick([0x1000, -0x1000, 0x12345, -4, 0x100000]);
      this.pin(base, address - disp);
      this.emit(((form === 2 ? 1 : 2) << 6) | ((reg & 7) << 3) | base);
      this.emitImmediate(disp, form === 2 ? 1 : 4);
      return;
    }
    const index = this.freeRegister((1 << REG_ESP) | (1 << base));
    const scale = rng.below(4);
    const count = rng.below(5);
    if (form === 4 && index >= 0) {
      const sibBase = espFree && rng.chance(0.3) ? REG_ESP : base;
      const disp = rng.below(32) - 16;
      this.pin(index, count);
      this.pin(sibBase, address - disp - (count << scale));
      this.emit((1 << 6) | ((reg & 7) << 3) | 4, (scale << 6) | (index << 3) | sibBase);
      this.emitImmediate(disp, 1);
      return;
    }
    if (index >= 0) {
      this.pin(index, count);
      this.emit(((reg & 7) << 3) | 4, (scale << 6) | (index << 3) | 5);
      this.emitImmediate(address - (count << scale), 4);
      return;
    }
    this.pin(base, address);
    this.emit(((reg & 7) << 3) | base);
  }

  registerModrm(reg: number, rm: number): void {
    this.emit(0xc0 | ((reg & 7) << 3) | (rm & 7));
  }

  build(name: string, op: string, undefinedFlags = 0, undefinedRegisters = 0): NativeCase {
    return { name, op, code: this.code, regs: this.regs, eflags: this.eflags, memory: this.memory, undefinedFlags, undefinedRegisters };
  }
}
