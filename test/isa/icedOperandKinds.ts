// What iced-x86 calls each of our operand kinds (its OpCodeOperandKind names), at an operand size,
// and the few places where the two descriptions legitimately differ.
import type { InstructionForm, OperandKind } from '../../src/emu/isa/instructionForm';

const WORD_SELECTOR_OPS: ReadonlySet<string> = new Set(['arpl', 'lldt', 'ltr', 'verr', 'verw', 'lmsw']);

const bySize = (size: 16 | 32 | undefined, sixteen: string, thirtyTwo: string) => (size === 16 ? sixteen : thirtyTwo);

/** iced-x86's OpCodeOperandKind name for our kind at operand size `size`. */
export function icedOperandKind(kind: OperandKind, size: 16 | 32 | undefined): string {
  switch (kind) {
    case 'Eb': return 'r8_or_mem';
    case 'Ew': return 'r16_or_mem';
    case 'Ed': return 'r32_or_mem';
    case 'Ev': case 'MwRv': return bySize(size, 'r16_or_mem', 'r32_or_mem');
    case 'Gb': return 'r8_reg';
    case 'Gw': return 'r16_reg';
    case 'Gd': return 'r32_reg';
    case 'Gv': return bySize(size, 'r16_reg', 'r32_reg');
    case 'Rd': return 'r32_rm';
    case 'M': case 'Mb': case 'Mw': case 'Md': case 'Mq': case 'Mp': case 'Ms': case 'Ma': case 'Menv': case 'Mstate': return 'mem';
    case 'Sw': return 'seg_reg';
    case 'Cd': return 'cr_reg';
    case 'Dd': return 'dr_reg';
    case 'Td': return 'tr_reg';
    case 'Ib': return 'imm8';
    case 'Iw': return 'imm16';
    case 'Id': return 'imm32';
    case 'Iv': return bySize(size, 'imm16', 'imm32');
    case 'sIb': return bySize(size, 'imm8sex16', 'imm8sex32');
    case 'Jb': return bySize(size, 'br16_1', 'br32_1');
    case 'Jv': return bySize(size, 'br16_2', 'br32_4');
    case 'Ap': return bySize(size, 'farbr2_2', 'farbr4_2');
    case 'Ob': case 'Ov': return 'mem_offs';
    case 'Zb': return 'r8_opcode';
    case 'Zv': return bySize(size, 'r16_opcode', 'r32_opcode');
    case 'Zd': return 'r32_opcode';
    case 'AL': return 'al';
    case 'AX': return 'ax';
    case 'eAX': return bySize(size, 'ax', 'eax');
    case 'CL': return 'cl';
    case 'DX': return 'dx';
    case 'ES': case 'CS': case 'SS': case 'DS': case 'FS': case 'GS': return kind.toLowerCase();
    case 'ST0': return 'st0';
    case 'STi': return 'sti_opcode';
    case '1': return 'imm8_const_1';
    case 'Xb': case 'Xv': return 'seg_rSI';
    case 'Yb': case 'Yv': return 'es_rDI';
  }
}

/**
 * The mnemonic and operand kinds iced-x86 should report for a row, where the two descriptions
 * differ on purpose:
 * - the WAIT-prefixed x87 forms decode as WAIT followed by the no-wait form (FINIT = WAIT; FNINIT);
 * - 0F 1F /1../7 are iced's "reserved NOP" (it shows ModRM.reg as a register operand);
 * - XLAT's memory operand is implicit in our row (AT&T may write it, the encoding has no field);
 * - ARPL, LLDT, LTR, VERR, VERW and LMSW read a 16-bit selector/word whatever the operand size; iced
 *   names their 32-bit-mode register form r32 (the CPU uses its low word), we say Ew/Gw.
 */
export function expectedIcedView(row: InstructionForm, size: 16 | 32 | undefined): { mnemonic: string; kinds: string[] } {
  const kinds = row.operands.map((kind) => icedOperandKind(kind, size));
  if (row.prefix === 0x9b) return { mnemonic: `fn${row.mnemonic.slice(1)}`, kinds };
  if (row.op === 'nop' && row.decodeOnly) return { mnemonic: 'reservednop', kinds: [...kinds, bySize(size, 'r16_reg', 'r32_reg')] };
  if (row.op === 'xlat') return { mnemonic: row.mnemonic, kinds: ['seg_rBX_al'] };
  if (WORD_SELECTOR_OPS.has(row.op)) return { mnemonic: row.mnemonic, kinds: kinds.map((k) => k.replace('r16', 'r32')) };
  return { mnemonic: row.mnemonic, kinds };
}
