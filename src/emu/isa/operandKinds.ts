// What each OperandKind of the instruction table means structurally: where its bits live (ModRM.rm,
// ModRM.reg, the opcode's low bits, an immediate, a relative displacement ...), how wide it is and
// which register class it names. Encoder, decoder and disassembler read operands through this one map.
// Must not know: any consumer. Models Intel SDM Vol. 2 Appendix A.2 (operand codes).
import type { InstructionForm, OperandKind } from './instructionForm';

export type OperandLocation =
  | 'rm' // ModRM.rm (register or memory, see `rm`)
  | 'reg' // ModRM.reg
  | 'opcodeRegister' // low three bits of the last opcode byte
  | 'immediate'
  | 'relative' // branch displacement
  | 'farPointer' // ptr16:16 / ptr16:32
  | 'memoryOffset' // moffs without ModRM
  | 'implicit' // a fixed register or the constant 1, not encoded
  | 'string'; // DS:eSI or ES:eDI, not encoded

/** Width in bits, or a width that depends on the operand size ('v'), or a structured memory size. */
export type OperandWidth = 0 | 8 | 16 | 32 | 64 | 'v' | 'pointer' | 'descriptor' | 'boundPair' | 'environment' | 'state';

export type OperandRegisterClass = 'gpr' | 'segment' | 'control' | 'debug' | 'test' | 'x87';

export interface OperandKindInfo {
  readonly location: OperandLocation;
  readonly width: OperandWidth;
  /** For 'rm': what mod may select. */
  readonly rm?: 'registerOrMemory' | 'register' | 'memory';
  /** For register-carrying kinds. */
  readonly registerClass?: OperandRegisterClass;
  /** For implicit registers: the register's name at 32-bit operand size (eAX -> 'eax'). */
  readonly fixedRegister?: string;
  /** The memory width when it differs from the register width (MwRv: 16). */
  readonly memoryWidth?: 16;
  /** Immediates only: sign-extended to the operand size. */
  readonly signExtended?: boolean;
}

const gprRm = (width: OperandWidth): OperandKindInfo => ({ location: 'rm', width, rm: 'registerOrMemory', registerClass: 'gpr' });
const memory = (width: OperandWidth): OperandKindInfo => ({ location: 'rm', width, rm: 'memory' });
const gprReg = (width: OperandWidth): OperandKindInfo => ({ location: 'reg', width, registerClass: 'gpr' });
const opcodeReg = (width: OperandWidth): OperandKindInfo => ({ location: 'opcodeRegister', width, registerClass: 'gpr' });
const fixedGpr = (width: OperandWidth, fixedRegister: string): OperandKindInfo => ({ location: 'implicit', width, registerClass: 'gpr', fixedRegister });
const fixedSegment = (fixedRegister: string): OperandKindInfo => ({ location: 'implicit', width: 16, registerClass: 'segment', fixedRegister });

export const OPERAND_KIND_INFO: Readonly<Record<OperandKind, OperandKindInfo>> = {
  Eb: gprRm(8), Ew: gprRm(16), Ed: gprRm(32), Ev: gprRm('v'),
  Gb: gprReg(8), Gw: gprReg(16), Gd: gprReg(32), Gv: gprReg('v'),
  Rd: { location: 'rm', width: 32, rm: 'register', registerClass: 'gpr' },
  MwRv: { location: 'rm', width: 'v', rm: 'registerOrMemory', registerClass: 'gpr', memoryWidth: 16 },
  M: memory(0), Mb: memory(8), Mw: memory(16), Md: memory(32), Mq: memory(64),
  Mp: memory('pointer'), Ms: memory('descriptor'), Ma: memory('boundPair'),
  Menv: memory('environment'), Mstate: memory('state'),
  Sw: { location: 'reg', width: 16, registerClass: 'segment' },
  Cd: { location: 'reg', width: 32, registerClass: 'control' },
  Dd: { location: 'reg', width: 32, registerClass: 'debug' },
  Td: { location: 'reg', width: 32, registerClass: 'test' },
  Ib: { location: 'immediate', width: 8 },
  Iw: { location: 'immediate', width: 16 },
  Id: { location: 'immediate', width: 32 },
  Iv: { location: 'immediate', width: 'v' },
  sIb: { location: 'immediate', width: 8, signExtended: true },
  Jb: { location: 'relative', width: 8 },
  Jv: { location: 'relative', width: 'v' },
  Ap: { location: 'farPointer', width: 'pointer' },
  Ob: { location: 'memoryOffset', width: 8 },
  Ov: { location: 'memoryOffset', width: 'v' },
  Zb: opcodeReg(8), Zv: opcodeReg('v'), Zd: opcodeReg(32),
  AL: fixedGpr(8, 'al'), AX: fixedGpr(16, 'ax'), eAX: fixedGpr('v', 'eax'), CL: fixedGpr(8, 'cl'), DX: fixedGpr(16, 'dx'),
  ES: fixedSegment('es'), CS: fixedSegment('cs'), SS: fixedSegment('ss'),
  DS: fixedSegment('ds'), FS: fixedSegment('fs'), GS: fixedSegment('gs'),
  ST0: { location: 'implicit', width: 0, registerClass: 'x87', fixedRegister: 'st' },
  STi: { location: 'opcodeRegister', width: 0, registerClass: 'x87' },
  '1': { location: 'implicit', width: 8 },
  Xb: { location: 'string', width: 8 }, Xv: { location: 'string', width: 'v' },
  Yb: { location: 'string', width: 8 }, Yv: { location: 'string', width: 'v' },
};

/** Ops whose behaviour follows the operand-size attribute although no operand kind says 'v'. */
const IMPLICITLY_SIZED_OPS: ReadonlySet<string> = new Set([
  'push_sreg', 'pop_sreg', 'ret', 'retf', 'enter', 'leave', 'lgdt', 'lidt', 'sgdt', 'sidt',
]);

const SIZE_DEPENDENT_WIDTHS: ReadonlySet<OperandWidth> = new Set<OperandWidth>(['v', 'pointer', 'environment', 'state', 'boundPair']);

/** True when the 0x66 prefix changes what this row does (so 16- and 32-bit variants exist). */
export function isOperandSizeDependent(row: InstructionForm): boolean {
  if (row.operandSize !== undefined) return true;
  if (IMPLICITLY_SIZED_OPS.has(row.op)) return true;
  // A sign-extended imm8 is widened to the operand size (PUSH 6A pushes 2 or 4 bytes).
  return row.operands.some((kind) => SIZE_DEPENDENT_WIDTHS.has(OPERAND_KIND_INFO[kind].width) || OPERAND_KIND_INFO[kind].signExtended);
}

/** True when the row has a ModRM byte. */
export function usesModRM(row: InstructionForm): boolean {
  if (row.extension !== undefined || row.modrm !== undefined) return true;
  return row.operands.some((kind) => {
    const location = OPERAND_KIND_INFO[kind].location;
    return location === 'rm' || location === 'reg';
  });
}

/** What ModRM.mod may select for this row: only registers (mod=3), only memory, or either. */
export function rmMode(row: InstructionForm): 'register' | 'memory' | 'either' | undefined {
  if (row.modrm !== undefined) return 'register';
  const rmKind = row.operands.find((kind) => OPERAND_KIND_INFO[kind].location === 'rm');
  if (rmKind === undefined) return usesModRM(row) ? 'either' : undefined;
  const rm = OPERAND_KIND_INFO[rmKind].rm;
  return rm === 'register' ? 'register' : rm === 'memory' ? 'memory' : 'either';
}
