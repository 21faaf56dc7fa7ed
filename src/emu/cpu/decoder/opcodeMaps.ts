// The one-byte and 0F opcode maps, built from the instruction table when the module loads (no
// hand-kept copy): for every opcode a slot that says whether a ModRM byte follows and which decoding
// target each (ModRM.reg, register/memory, operand size, address size) selects, plus the fixed-ModRM
// forms (x87 DB E3 ...). Owns: row precedence (an exact opcode beats a +r row: 90 is NOP, not XCHG)
// and the record of table conflicts. Must not know: prefixes, ModRM arithmetic, handler internals.
// Models Intel SDM Vol. 2 Appendix A (one- and two-byte opcode maps, groups by ModRM.reg).
import type { InstructionForm } from '../../isa/instructionForm';
import { INSTRUCTION_TABLE, describeOpcode } from '../../isa/instructionTable';
import { rmMode, usesModRM } from '../../isa/operandKinds';
import { x87Unimplemented } from '../exec/user/x87Handlers';
import { buildTarget, buildX87Target, type DecodeTarget } from './decodeTargets';

/** Index into OpcodeSlot.targets for ModRM slots: (reg << 3) | (memory << 2) | (op32 << 1) | addr32. */
export function targetIndex(reg: number, memory: boolean, op32: boolean, addr32: boolean): number {
  return (reg << 3) | (memory ? 4 : 0) | (op32 ? 2 : 0) | (addr32 ? 1 : 0);
}

export class OpcodeSlot {
  /** 64 entries for ModRM slots (targetIndex), 4 for the others ((op32 << 1) | addr32). */
  readonly targets: (DecodeTarget | undefined)[];
  /** Rows selected by a complete ModRM byte: fixed[modrm][(op32 << 1) | addr32]. */
  fixed: (DecodeTarget | undefined)[][] | undefined;
  /** Precedence of the row in each target entry (2 = exact opcode, 1 = +r row). */
  readonly precedence: Uint8Array;

  constructor(readonly hasModrm: boolean) {
    this.targets = new Array<DecodeTarget | undefined>(hasModrm ? 64 : 4).fill(undefined);
    this.precedence = new Uint8Array(hasModrm ? 64 : 4);
  }
}

/** Slots by opcode: 0x00-0xFF one-byte, 0x100 | b for 0F b. */
export const OPCODE_SLOTS: (OpcodeSlot | undefined)[] = new Array<OpcodeSlot | undefined>(512).fill(undefined);

/** Ambiguities found while building (two rows for one encoding): a test asserts there are none. */
export const DECODER_CONFLICTS: string[] = [];

const BOTH = [false, true] as const;

function sizesOf(constraint: 16 | 32 | undefined): readonly boolean[] {
  return constraint === undefined ? BOTH : [constraint === 32];
}

function place(slot: OpcodeSlot, index: number, target: DecodeTarget, precedence: number, row: InstructionForm): void {
  const existing = slot.precedence[index]!;
  if (existing > precedence) return;
  if (existing === precedence) {
    const other = slot.targets[index]!.row!;
    DECODER_CONFLICTS.push(`${describeOpcode(row)} ${row.mnemonic} collides with ${describeOpcode(other)} ${other.mnemonic} (entry ${index})`);
    return;
  }
  slot.targets[index] = target;
  slot.precedence[index] = precedence;
}

function placeFixed(slot: OpcodeSlot, row: InstructionForm, targets: (op32: boolean, addr32: boolean) => DecodeTarget): void {
  slot.fixed ??= [];
  const entry = (slot.fixed[row.modrm!] ??= new Array<DecodeTarget | undefined>(4).fill(undefined));
  for (const op32 of sizesOf(row.operandSize)) {
    for (const addr32 of sizesOf(row.addressSize)) {
      const index = (op32 ? 2 : 0) | (addr32 ? 1 : 0);
      if (entry[index]) DECODER_CONFLICTS.push(`${describeOpcode(row)} ${row.mnemonic} collides with ${entry[index]!.row!.mnemonic}`);
      else entry[index] = targets(op32, addr32);
    }
  }
}

function memoryChoices(row: InstructionForm): readonly boolean[] {
  if (row.operands.includes('Rd')) return BOTH; // mod is ignored
  const mode = rmMode(row);
  return mode === 'register' ? [false] : mode === 'memory' ? [true] : BOTH;
}

function addRow(slot: OpcodeSlot, row: InstructionForm, precedence: number, targets: (op32: boolean, addr32: boolean) => DecodeTarget): void {
  if (row.modrm !== undefined) {
    placeFixed(slot, row, targets);
    return;
  }
  for (const op32 of sizesOf(row.operandSize)) {
    for (const addr32 of sizesOf(row.addressSize)) {
      const target = targets(op32, addr32);
      if (!slot.hasModrm) {
        place(slot, (op32 ? 2 : 0) | (addr32 ? 1 : 0), target, precedence, row);
        continue;
      }
      const regs = row.extension !== undefined ? [row.extension] : [0, 1, 2, 3, 4, 5, 6, 7];
      for (const reg of regs) for (const memory of memoryChoices(row)) place(slot, targetIndex(reg, memory, op32, addr32), target, precedence, row);
    }
  }
}

function slotKeys(row: InstructionForm): number[] {
  const last = row.opcode[row.opcode.length - 1]!;
  const key = row.opcode.length === 1 ? last : 0x100 | last;
  const plusRegister = row.operands.some((kind) => kind === 'Zb' || kind === 'Zv' || kind === 'Zd');
  return plusRegister ? [0, 1, 2, 3, 4, 5, 6, 7].map((r) => key + r) : [key];
}

function memoizedTargets(row: InstructionForm): (op32: boolean, addr32: boolean) => DecodeTarget {
  const cache: (DecodeTarget | undefined)[] = [undefined, undefined, undefined, undefined];
  return (op32, addr32) => (cache[(op32 ? 2 : 0) | (addr32 ? 1 : 0)] ??= buildTarget(row, op32, addr32));
}

function buildMaps(): void {
  for (const row of INSTRUCTION_TABLE) {
    // The waiting x87 forms are WAIT followed by the no-wait row: two instructions to the CPU.
    if (row.prefix !== undefined) continue;
    if (row.opcode.length > 2 || (row.opcode.length === 2 && row.opcode[0] !== 0x0f)) {
      DECODER_CONFLICTS.push(`${describeOpcode(row)} ${row.mnemonic}: only one-byte and 0F opcodes are decoded`);
      continue;
    }
    const modrm = usesModRM(row);
    const targets = memoizedTargets(row);
    const precedence = row.operands.some((kind) => kind === 'Zb' || kind === 'Zv' || kind === 'Zd') ? 1 : 2;
    for (const key of slotKeys(row)) {
      const slot = (OPCODE_SLOTS[key] ??= new OpcodeSlot(modrm));
      if (slot.hasModrm !== modrm) {
        DECODER_CONFLICTS.push(`${describeOpcode(row)} ${row.mnemonic}: ModRM use differs from other rows of the opcode`);
        continue;
      }
      addRow(slot, row, precedence, targets);
    }
  }
  // x87 escapes: every ModRM form decodes; those without a row raise #NM/#UD when executed.
  const x87 = buildX87Target(x87Unimplemented);
  for (let escape = 0xd8; escape <= 0xdf; escape++) {
    const slot = (OPCODE_SLOTS[escape] ??= new OpcodeSlot(true));
    for (let index = 0; index < 64; index++) slot.targets[index] ??= x87;
  }
}

buildMaps();
