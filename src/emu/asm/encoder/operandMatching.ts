// Decides whether classified AT&T operands fit one table row at one operand size, operand by
// operand, the way GNU as matches its templates: register classes and widths, register-or-memory,
// immediate field sizes, branch targets, string and port operands.
// Owns: the per-operand compatibility rules and the failure categories that become GNU as's
// messages. Must not know: how rows are enumerated or chosen, or how bytes are laid out.
// Models Intel SDM Vol. 2 Appendix A.2 operand codes, with GNU as 2.40's AT&T operand conventions.
import type { InstructionForm, OperandKind } from '../../isa/instructionForm';
import { OPERAND_KIND_INFO, type OperandKindInfo } from '../../isa/operandKinds';
import type { ClassifiedMemory, ClassifiedOperand } from './operandClassification';
import { IMM1, IMM16, IMM32, IMM32S, IMM8, IMM8S, SYMBOLIC_IMMEDIATE_TYPES, constantImmediateTypes } from './immediateTypes';

/** An operand with its position in the statement (AT&T order), for messages. */
export interface PlacedOperand {
  readonly operand: ClassifiedOperand;
  readonly index: number;
}

export interface MatchContext {
  /** Size asked for by the suffix or spelled into the mnemonic (operand-size meaning only). */
  readonly suffixSize?: 8 | 16 | 32;
  readonly suffixLetter?: string;
  /** Size GNU as uses to type immediates (suffix, else last register, else default). */
  readonly guessSize: 8 | 16 | 32;
  /** Mask from the guess size applied to symbolic immediates at each AT&T index, or 0. */
  readonly symbolicMasks: readonly number[];
  /** jmp/call/ljmp/lcall: `*` operands and registers/memory as indirect targets are allowed. */
  readonly indirectBranch: boolean;
  /** jmp/call: a bare unstarred expression is a direct target, not a memory operand. */
  readonly bareIsDirectTarget: boolean;
}

export type MatchFailure =
  | { readonly kind: 'type'; readonly operandIndex?: number }
  | { readonly kind: 'size'; readonly operandIndex?: number }
  | { readonly kind: 'suffixRegister'; readonly operandIndex: number; readonly register: string };

/** One slot of a matched row: the operand written for it, or undefined when implicit/omitted. */
export type Slot = PlacedOperand | undefined;

const OK = undefined;

/** The operand's width at operand size `size` ('v' resolved). */
export function widthAt(info: OperandKindInfo, size: 16 | 32 | undefined): number | undefined {
  if (info.width === 'v') return size ?? 32;
  return typeof info.width === 'number' ? info.width : undefined;
}

/**
 * A register of the wrong width. GNU as names the register only where the operand takes several
 * widths (Mw/Rv: `movw %eax,%ds`); elsewhere a suffix makes it a type mismatch, no suffix a size one.
 */
function registerWidthFailure(placed: PlacedOperand, context: MatchContext, flexible: boolean, primary: boolean): MatchFailure {
  if (context.suffixSize === undefined || !primary || placed.operand.kind !== 'register') return { kind: 'size', operandIndex: placed.index };
  if (!flexible) return { kind: 'type', operandIndex: placed.index };
  return { kind: 'suffixRegister', operandIndex: placed.index, register: placed.operand.register.name };
}

interface RegisterRules {
  /** Accept a 16-bit register where 32 bits are asked for (LAR/LSL's selector source). */
  readonly laxWord?: boolean;
  /** The operand takes registers of several widths (Mw/Rv). */
  readonly flexible?: boolean;
  readonly primary?: boolean;
}

function matchGprRegister(placed: PlacedOperand, width: number | undefined, context: MatchContext, rules: RegisterRules = {}): MatchFailure | undefined {
  const operand = placed.operand;
  if (operand.kind !== 'register') return { kind: 'type', operandIndex: placed.index };
  const cls = operand.register.class;
  if (cls !== 'gpr8' && cls !== 'gpr16' && cls !== 'gpr32') return { kind: 'type', operandIndex: placed.index };
  if (operand.indirect && !context.indirectBranch) return { kind: 'type', operandIndex: placed.index };
  if (operand.register.bits === width) return OK;
  if (rules.laxWord && width === 32 && operand.register.bits === 16) return OK;
  return registerWidthFailure(placed, context, rules.flexible ?? false, rules.primary ?? true);
}

function matchMemory(memory: ClassifiedMemory, placed: PlacedOperand, context: MatchContext): MatchFailure | undefined {
  if (memory.indirect && !context.indirectBranch) return { kind: 'type', operandIndex: placed.index };
  // For jmp/call a bare, unstarred expression is a direct target, not a memory operand.
  if (context.bareIsDirectTarget && !memory.indirect && !memory.base && !memory.index) return { kind: 'type', operandIndex: placed.index };
  return OK;
}

interface SlotRole {
  readonly form: InstructionForm;
  readonly size: 16 | 32 | undefined;
  /** True for the operand whose width the suffix names. */
  readonly primary: boolean;
}

function matchRm(kind: OperandKind, placed: PlacedOperand, role: SlotRole, context: MatchContext): MatchFailure | undefined {
  const info = OPERAND_KIND_INFO[kind];
  const operand = placed.operand;
  if (operand.kind === 'memory') {
    if (info.rm === 'register') return { kind: 'type', operandIndex: placed.index };
    if (kind === 'MwRv' && role.primary && role.size !== 16) return { kind: 'type', operandIndex: placed.index };
    return matchMemory(operand, placed, context);
  }
  if (info.rm === 'memory') return { kind: 'type', operandIndex: placed.index };
  return matchGprRegister(placed, widthAt(info, role.size), context, { laxWord: kind === 'MwRv' && !role.primary, flexible: kind === 'MwRv', primary: role.primary });
}

function matchReg(kind: OperandKind, placed: PlacedOperand, role: SlotRole, context: MatchContext): MatchFailure | undefined {
  const info = OPERAND_KIND_INFO[kind];
  if (info.registerClass === 'gpr') return matchGprRegister(placed, widthAt(info, role.size), context, { primary: role.primary });
  const operand = placed.operand;
  if (operand.kind !== 'register' || operand.indirect) return { kind: 'type', operandIndex: placed.index };
  return operand.register.class === info.registerClass ? OK : { kind: 'type', operandIndex: placed.index };
}

/** The immediate types a kind accepts at an operand size. */
function requiredImmediateTypes(kind: OperandKind, size: 16 | 32 | undefined): number {
  switch (kind) {
    case 'Ib': return IMM8;
    case 'sIb': return IMM8S;
    case 'Iw': return IMM16;
    case 'Id': return IMM32 | IMM32S;
    case 'Iv': return size === 16 ? IMM16 : IMM32 | IMM32S;
    case '1': return IMM1;
    default: return 0;
  }
}

/** The immediate type set GNU as gives an operand (constant or symbolic). */
export function immediateTypesOf(placed: PlacedOperand, context: MatchContext): number {
  const operand = placed.operand;
  if (operand.kind !== 'immediate') return 0;
  if (operand.constant !== undefined) return constantImmediateTypes(operand.constant, context.guessSize).types;
  const mask = context.symbolicMasks[placed.index] ?? 0;
  return mask !== 0 ? SYMBOLIC_IMMEDIATE_TYPES & mask : SYMBOLIC_IMMEDIATE_TYPES;
}

function matchImmediate(kind: OperandKind, placed: PlacedOperand, role: SlotRole, context: MatchContext): MatchFailure | undefined {
  if (placed.operand.kind !== 'immediate') return { kind: 'type', operandIndex: placed.index };
  const accepted = immediateTypesOf(placed, context) & requiredImmediateTypes(kind, role.size);
  if (accepted !== 0) return OK;
  // GNU as calls a too-wide immediate a size mismatch when it is the only operand, else a type one.
  return { kind: role.form.operands.length === 1 ? 'size' : 'type', operandIndex: placed.index };
}

function isPlainBareMemory(operand: ClassifiedOperand): operand is ClassifiedMemory {
  return operand.kind === 'memory' && !operand.base && !operand.index && !operand.indirect;
}

function matchImplicit(kind: OperandKind, placed: PlacedOperand, role: SlotRole, context: MatchContext): MatchFailure | undefined {
  const info = OPERAND_KIND_INFO[kind];
  const operand = placed.operand;
  if (kind === '1') return matchImmediate(kind, placed, role, context);
  if (kind === 'DX' && operand.kind === 'memory') {
    const dxOnly = operand.base?.name === 'dx' && !operand.index && operand.displacementConstant === 0n && !operand.operand.displacement;
    return dxOnly && !operand.segment ? OK : { kind: 'type', operandIndex: placed.index };
  }
  if (operand.kind !== 'register' || operand.indirect) return { kind: 'type', operandIndex: placed.index };
  if (info.registerClass === 'segment') return operand.register.name === info.fixedRegister ? OK : { kind: 'type', operandIndex: placed.index };
  const wanted = kind === 'eAX' ? (role.size === 16 ? 'ax' : 'eax') : info.fixedRegister;
  if (operand.register.name === wanted) return OK;
  const isAccumulator = operand.register.class.startsWith('gpr') && operand.register.number === 0;
  const sameFamily = isAccumulator && (kind === 'AL' || kind === 'AX' || kind === 'eAX');
  return sameFamily ? registerWidthFailure(placed, context, false, role.primary) : { kind: 'type', operandIndex: placed.index };
}

function matchString(kind: OperandKind, placed: PlacedOperand): MatchFailure | undefined {
  const operand = placed.operand;
  if (operand.kind !== 'memory' || operand.indirect || !operand.base || operand.index) return { kind: 'type', operandIndex: placed.index };
  if (operand.operand.displacement !== undefined && operand.displacementConstant !== 0n) return { kind: 'type', operandIndex: placed.index };
  return kind === 'Xb' || kind === 'Xv' || kind === 'Yb' || kind === 'Yv' ? OK : { kind: 'type', operandIndex: placed.index };
}

/** Does the operand written for one slot fit its kind? */
export function matchSlot(kind: OperandKind, placed: PlacedOperand, role: SlotRole, context: MatchContext): MatchFailure | undefined {
  const info = OPERAND_KIND_INFO[kind];
  switch (info.location) {
    case 'rm': return matchRm(kind, placed, role, context);
    case 'reg': return matchReg(kind, placed, role, context);
    case 'opcodeRegister': return matchGprRegister(placed, widthAt(info, role.size), context);
    case 'immediate': return matchImmediate(kind, placed, role, context);
    case 'relative': return isPlainBareMemory(placed.operand) ? OK : { kind: 'type', operandIndex: placed.index };
    case 'memoryOffset': return isPlainBareMemory(placed.operand) && !context.indirectBranch ? OK : { kind: 'type', operandIndex: placed.index };
    case 'implicit': return matchImplicit(kind, placed, role, context);
    case 'string': return matchString(kind, placed);
    case 'farPointer': return { kind: 'type', operandIndex: placed.index };
  }
}

/** Index of the operand whose width a size suffix names (the first sized register/memory operand). */
export function primaryOperandIndex(form: InstructionForm): number {
  return form.operands.findIndex((kind) => {
    const info = OPERAND_KIND_INFO[kind];
    if (info.location === 'immediate' || info.location === 'relative' || info.location === 'farPointer') return false;
    if (info.registerClass !== undefined && info.registerClass !== 'gpr') return false;
    return info.width !== 0 && kind !== '1' && kind !== 'DX' && kind !== 'CL' && kind !== 'AX';
  });
}

