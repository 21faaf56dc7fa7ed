// What the decoder needs to know about one table row at one operand/address size, worked out once
// at load time: which immediates follow the ModRM bytes and how wide they are, the data width, the
// handler, the LOCK and segment-register rules. Owns: the translation of operand kinds into a
// decoding plan. Must not know: the opcode maps (opcodeMaps.ts) or what handlers do.
// Models Intel SDM Vol. 2 Appendix A.2 (operand codes) and §2.1.1 (LOCK legality).
import type { InstructionForm, OperandKind } from '../../isa/instructionForm';
import { OPERAND_KIND_INFO } from '../../isa/operandKinds';
import { describeOpcode } from '../../isa/instructionTable';
import type { Handler } from '../instruction';
import { invalidOpcode } from '../faults';
import { handlerFor } from '../exec/handlerTable';

/** Immediate kinds, in encoding order after the ModRM/SIB/displacement bytes. */
export const IMM_NONE = 0;
export const IMM_U8 = 1;
export const IMM_S8 = 2;
export const IMM_U16 = 3;
export const IMM_S16 = 4;
export const IMM_32 = 5;

/** Register-field rules: a segment register must be ES..GS (not CS as a destination); a control
 *  register must be CR0, CR2, CR3 or CR4 (CR1 and CR5-CR7 do not exist: #UD). */
export const SREG_NONE = 0;
export const SREG_SOURCE = 1;
export const SREG_DESTINATION = 2;
export const CONTROL_REGISTER = 3;

export interface DecodeTarget {
  /** The row, or null for an x87 escape this CPU does not implement. */
  readonly row: InstructionForm | null;
  readonly handler: Handler;
  readonly width: number;
  readonly imm1: number;
  readonly imm2: number;
  /** Bytes of a moffs address (Ob/Ov), else 0. */
  readonly moffs: number;
  /** SREG_* / CONTROL_REGISTER: what the ModRM.reg field may name. */
  readonly registerField: number;
  /** The shift-by-one forms (D0-D3 /x with the operand '1'): imm is 1. */
  readonly implicitOne: boolean;
  /** Rd operands: the CPU ignores mod and always names a register (MOV CR/DR/TR). */
  readonly rmRegisterOnly: boolean;
  readonly registerInOpcode: boolean;
  readonly lockable: boolean;
  readonly variant: number;
}

const WIDTH_SKIPPED: ReadonlySet<OperandKind> = new Set<OperandKind>(['Ib', 'Iw', 'Id', 'Iv', 'sIb', 'Jb', 'Jv', 'Ap', '1', 'CL', 'DX']);

function kindWidth(kind: OperandKind, op32: boolean): number {
  const width = OPERAND_KIND_INFO[kind].width;
  if (width === 8) return 1;
  if (width === 16) return 2;
  if (width === 32) return 4;
  if (width === 'v') return op32 ? 4 : 2;
  return 0;
}

function dataWidth(row: InstructionForm, op32: boolean): number {
  for (const kind of row.operands) {
    if (WIDTH_SKIPPED.has(kind) && !(kind === 'DX' && row.operands.length === 1)) continue;
    const width = kindWidth(kind, op32);
    if (width !== 0) return width;
  }
  return op32 ? 4 : 2;
}

function immediateKinds(row: InstructionForm, op32: boolean): number[] {
  const kinds: number[] = [];
  for (const kind of row.operands) {
    switch (kind) {
      case 'Ib': kinds.push(IMM_U8); break;
      case 'sIb': case 'Jb': kinds.push(IMM_S8); break;
      case 'Iw': kinds.push(IMM_U16); break;
      case 'Id': kinds.push(IMM_32); break;
      case 'Iv': kinds.push(op32 ? IMM_32 : IMM_U16); break;
      case 'Jv': kinds.push(op32 ? IMM_32 : IMM_S16); break;
      case 'Ap': kinds.push(op32 ? IMM_32 : IMM_U16, IMM_U16); break;
      default: break;
    }
  }
  return kinds;
}

function registerFieldRule(row: InstructionForm): number {
  if (row.operands.includes('Cd')) return CONTROL_REGISTER;
  const index = row.operands.indexOf('Sw');
  if (index < 0) return SREG_NONE;
  return index === 0 ? SREG_DESTINATION : SREG_SOURCE;
}

/** A handler for a row whose op has no handler yet: decodes, then #UD when executed. */
function notImplemented(row: InstructionForm): Handler {
  const message = `${row.mnemonic} (${describeOpcode(row)}, op '${row.op}') is decoded but not implemented by this CPU yet`;
  return () => {
    throw invalidOpcode(message);
  };
}

export function buildTarget(row: InstructionForm, op32: boolean, addr32: boolean): DecodeTarget {
  const immediates = immediateKinds(row, op32);
  return {
    row,
    handler: handlerFor(row.op) ?? notImplemented(row),
    width: dataWidth(row, op32),
    imm1: immediates[0] ?? IMM_NONE,
    imm2: immediates[1] ?? IMM_NONE,
    moffs: row.operands.some((kind) => kind === 'Ob' || kind === 'Ov') ? (addr32 ? 4 : 2) : 0,
    implicitOne: row.operands.includes('1'),
    rmRegisterOnly: row.operands.includes('Rd'),
    registerInOpcode: row.operands.some((kind) => OPERAND_KIND_INFO[kind].location === 'opcodeRegister' && kind !== 'STi'),
    lockable: row.lockable === true,
    registerField: registerFieldRule(row),
    variant: row.condition ?? 0,
  };
}

/** The target of an x87 escape (D8-DF) with no row: decoded by its ModRM, #NM/#UD when executed. */
export function buildX87Target(handler: Handler): DecodeTarget {
  return {
    row: null, handler, width: 0, imm1: IMM_NONE, imm2: IMM_NONE, moffs: 0, implicitOne: false,
    rmRegisterOnly: false, registerInOpcode: false, lockable: false, registerField: SREG_NONE, variant: 0,
  };
}
