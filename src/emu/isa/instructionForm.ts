// The shape of one row of the x86 instruction table (instructionTable.ts), the single source from
// which the encoder, the emulator's decoder, the disassembler annotations, hover docs, completion,
// the grammar's mnemonic list and generated tests are all derived.
// Owns: operand kinds and form attributes. Must not know: how any consumer uses them.
// Models Intel SDM Vol. 2 Appendix A (opcode map notation) restricted to what the i386-P6 integer
// set and the x87 control instructions need.

/**
 * Operand kinds in Intel opcode-map notation. Width letters: b = 8, w = 16, d = 32, v = 16 or 32 by
 * operand size, p = far pointer (16:16 or 16:32 by operand size), s = 6-byte pseudo-descriptor,
 * q = 64 bits, a = a pair of v-sized words (BOUND).
 */
export type OperandKind =
  // ModRM.rm: general register or memory
  | 'Eb' | 'Ew' | 'Ed' | 'Ev'
  // ModRM.reg: general register
  | 'Gb' | 'Gw' | 'Gd' | 'Gv'
  // ModRM.rm with mod=3 only: general register (MOV to/from CR/DR; BSWAP-like register forms)
  | 'Rd'
  // ModRM.rm: a register of the operand size, or a 16-bit word in memory (Intel's Mw/Rv: SLDT, STR,
  // SMSW, MOV Ev,Sw / Sw,Ew, the selector source of LAR/LSL)
  | 'MwRv'
  // ModRM.rm with mod!=3 only: memory of the given size; 'M' = no size (LEA, INVLPG)
  | 'M' | 'Mb' | 'Mw' | 'Md' | 'Mq' | 'Mp' | 'Ms' | 'Ma'
  // ModRM.rm memory for x87 state images: 14/28-byte environment, 94/108-byte full state
  | 'Menv' | 'Mstate'
  // ModRM.reg: segment / control / debug / test register
  | 'Sw' | 'Cd' | 'Dd' | 'Td'
  // immediates; 'sIb' is an imm8 sign-extended to the operand size
  | 'Ib' | 'Iw' | 'Id' | 'Iv' | 'sIb'
  // relative branch displacement
  | 'Jb' | 'Jv'
  // direct far pointer ptr16:16 / ptr16:32 (JMP/CALL far immediate)
  | 'Ap'
  // memory offset without ModRM (MOV AL/eAX <-> moffs)
  | 'Ob' | 'Ov'
  // general register in the opcode's low three bits
  | 'Zb' | 'Zv' | 'Zd'
  // fixed registers
  | 'AL' | 'AX' | 'eAX' | 'CL' | 'DX'
  | 'ES' | 'CS' | 'SS' | 'DS' | 'FS' | 'GS'
  // x87 stack top and ST(i) in ModRM.rm
  | 'ST0' | 'STi'
  // the constant 1 (shift/rotate by one)
  | '1'
  // string operands: DS:eSI (segment overridable) and ES:eDI
  | 'Xb' | 'Xv' | 'Yb' | 'Yv';

export type CpuLevel = '386' | '486' | 'pentium' | 'p6' | '387';

export interface InstructionForm {
  /** Canonical lower-case name: Intel's mnemonic for the operation, e.g. 'add', 'movzx', 'jo',
   *  'cmovne', 'iret'. GNU as spellings (suffixes, AT&T names like 'cltd') are derived elsewhere. */
  readonly mnemonic: string;
  /** Opcode bytes including the 0x0F escape. For `Z*` operand forms the base value (low 3 bits 0). */
  readonly opcode: readonly number[];
  /** ModRM.reg opcode extension ("/digit"). */
  readonly extension?: number;
  /** A fixed complete ModRM byte (x87 `DB E3`, `0F 01 /x` register forms). */
  readonly modrm?: number;
  /** Intel order: destination first. */
  readonly operands: readonly OperandKind[];
  /** The form exists only at this operand size (e.g. IRET vs IRETD, PUSHA vs PUSHAD). */
  readonly operandSize?: 16 | 32;
  /** The form exists only at this address size (JCXZ vs JECXZ). */
  readonly addressSize?: 16 | 32;
  /** A mandatory prefix byte emitted before any other prefix (0x9B for the waiting x87 forms). */
  readonly prefix?: number;
  readonly cpu: CpuLevel;
  /** Semantic key for the emulator's handler table ('add', 'jcc', 'push_sreg', ...). */
  readonly op: string;
  /** The decoder accepts it but GNU as never emits it (aliases such as 82 /x, D0 /6, F6 /1). */
  readonly decodeOnly?: boolean;
  /** Accepts a LOCK prefix when the destination is memory. */
  readonly lockable?: boolean;
  /** String instruction that honours REP (and REPE/REPNE for cmps/scas). */
  readonly rep?: 'rep' | 'repcc';
  /** Condition code (0-15) for jcc/setcc/cmovcc rows, Intel's order: o no b nb z nz be nbe s ns p np l nl le nle. */
  readonly condition?: number;
  /** Privileged: #GP(0) unless CPL 0. */
  readonly privileged?: boolean;
  /** One line for hover and completion docs, written by us. */
  readonly summary: string;
}
