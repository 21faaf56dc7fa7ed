// Decides whether classified AT&T operands fit one table row at one operand size, operand by
// operand, the way GNU as matches its templates: register classes and widths, register-or-memory,
// immediate field sizes, branch targets, string and port operands; and, for a quick pre-check, the
// coarse class of a written operand and the classes each kind can take (never narrower than the rules).
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
  /** The immediate type set of each AT&T operand (0 for non-immediates), from the two above. */
  readonly immediateTypes: readonly number[];
  /** operandClassOf each AT&T operand. */
  readonly operandClasses: readonly number[];
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

/** matchSlot's verdicts: the operand fits, or the kind of MatchFailure it causes (at its index). */
export const FITS = 0;
const TYPE = 1;
const SIZE = 2;
const SUFFIX_REGISTER = 3;
export type MatchVerdict = typeof FITS | typeof TYPE | typeof SIZE | typeof SUFFIX_REGISTER;

/** The MatchFailure a verdict other than FITS stands for. */
export function failureOf(verdict: MatchVerdict, placed: PlacedOperand): MatchFailure {
  if (verdict === SUFFIX_REGISTER && placed.operand.kind === 'register') return { kind: 'suffixRegister', operandIndex: placed.index, register: placed.operand.register.name };
  return { kind: verdict === SIZE ? 'size' : 'type', operandIndex: placed.index };
}

/** The operand's width at operand size `size` ('v' resolved). */
export function widthAt(info: OperandKindInfo, size: 16 | 32 | undefined): number | undefined {
  if (info.width === 'v') return size ?? 32;
  return typeof info.width === 'number' ? info.width : undefined;
}

/**
 * A register of the wrong width. GNU as names the register only where the operand takes several
 * widths (Mw/Rv: `movw %eax,%ds`); elsewhere a suffix makes it a type mismatch, no suffix a size one.
 */
function registerWidthFailure(placed: PlacedOperand, context: MatchContext, flexible: boolean, primary: boolean): MatchVerdict {
  if (context.suffixSize === undefined || !primary || placed.operand.kind !== 'register') return SIZE;
  return flexible ? SUFFIX_REGISTER : TYPE;
}

/** `laxWord`: accept a 16-bit register where 32 bits are asked for (LAR/LSL's selector source);
 *  `flexible`: the operand takes registers of several widths (Mw/Rv). */
function matchGprRegister(placed: PlacedOperand, width: number | undefined, context: MatchContext, primary: boolean, laxWord = false, flexible = false): MatchVerdict {
  const operand = placed.operand;
  if (operand.kind !== 'register') return TYPE;
  const cls = operand.register.class;
  if (cls !== 'gpr8' && cls !== 'gpr16' && cls !== 'gpr32') return TYPE;
  if (operand.indirect && !context.indirectBranch) return TYPE;
  if (operand.register.bits === width) return FITS;
  if (laxWord && width === 32 && operand.register.bits === 16) return FITS;
  return registerWidthFailure(placed, context, flexible, primary);
}

function matchMemory(memory: ClassifiedMemory, context: MatchContext): MatchVerdict {
  if (memory.indirect && !context.indirectBranch) return TYPE;
  // For jmp/call a bare, unstarred expression is a direct target, not a memory operand.
  if (context.bareIsDirectTarget && !memory.indirect && !memory.base && !memory.index) return TYPE;
  return FITS;
}

function matchRm(kind: OperandKind, info: OperandKindInfo, placed: PlacedOperand, size: 16 | 32 | undefined, primary: boolean, context: MatchContext): MatchVerdict {
  const operand = placed.operand;
  if (operand.kind === 'memory') {
    if (info.rm === 'register') return TYPE;
    if (kind === 'MwRv' && primary && size !== 16) return TYPE;
    return matchMemory(operand, context);
  }
  if (info.rm === 'memory') return TYPE;
  const mwRv = kind === 'MwRv';
  return matchGprRegister(placed, widthAt(info, size), context, primary, mwRv && !primary, mwRv);
}

function matchReg(info: OperandKindInfo, placed: PlacedOperand, size: 16 | 32 | undefined, primary: boolean, context: MatchContext): MatchVerdict {
  if (info.registerClass === 'gpr') return matchGprRegister(placed, widthAt(info, size), context, primary);
  const operand = placed.operand;
  if (operand.kind !== 'register' || operand.indirect) return TYPE;
  return operand.register.class === info.registerClass ? FITS : TYPE;
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

/** The immediate type set GNU as gives an operand (constant or symbolic) at the guess size. */
export function immediateTypesFor(operand: ClassifiedOperand, symbolicMask: number, guessSize: 8 | 16 | 32): number {
  if (operand.kind !== 'immediate') return 0;
  if (operand.constant !== undefined) return constantImmediateTypes(operand.constant, guessSize);
  return symbolicMask !== 0 ? SYMBOLIC_IMMEDIATE_TYPES & symbolicMask : SYMBOLIC_IMMEDIATE_TYPES;
}

/** The immediate type set of a placed operand in this statement. */
export function immediateTypesOf(placed: PlacedOperand, context: MatchContext): number {
  return context.immediateTypes[placed.index] ?? 0;
}

function matchImmediate(kind: OperandKind, placed: PlacedOperand, size: 16 | 32 | undefined, operandCount: number, context: MatchContext): MatchVerdict {
  if (placed.operand.kind !== 'immediate') return TYPE;
  const accepted = immediateTypesOf(placed, context) & requiredImmediateTypes(kind, size);
  if (accepted !== 0) return FITS;
  // GNU as calls a too-wide immediate a size mismatch when it is the only operand, else a type one.
  return operandCount === 1 ? SIZE : TYPE;
}

function isPlainBareMemory(operand: ClassifiedOperand): operand is ClassifiedMemory {
  return operand.kind === 'memory' && !operand.base && !operand.index && !operand.indirect;
}

function matchImplicit(kind: OperandKind, info: OperandKindInfo, placed: PlacedOperand, size: 16 | 32 | undefined, primary: boolean, operandCount: number, context: MatchContext): MatchVerdict {
  const operand = placed.operand;
  if (kind === '1') return matchImmediate(kind, placed, size, operandCount, context);
  if (kind === 'DX' && operand.kind === 'memory') {
    const dxOnly = operand.base?.name === 'dx' && !operand.index && operand.displacementConstant === 0n && !operand.operand.displacement;
    return dxOnly && !operand.segment ? FITS : TYPE;
  }
  if (operand.kind !== 'register' || operand.indirect) return TYPE;
  if (info.registerClass === 'segment') return operand.register.name === info.fixedRegister ? FITS : TYPE;
  const wanted = kind === 'eAX' ? (size === 16 ? 'ax' : 'eax') : info.fixedRegister;
  if (operand.register.name === wanted) return FITS;
  const isAccumulator = operand.register.class.startsWith('gpr') && operand.register.number === 0;
  const sameFamily = isAccumulator && (kind === 'AL' || kind === 'AX' || kind === 'eAX');
  return sameFamily ? registerWidthFailure(placed, context, false, primary) : TYPE;
}

function matchString(kind: OperandKind, placed: PlacedOperand): MatchVerdict {
  const operand = placed.operand;
  if (operand.kind !== 'memory' || operand.indirect || !operand.base || operand.index) return TYPE;
  if (operand.operand.displacement !== undefined && operand.displacementConstant !== 0n) return TYPE;
  return kind === 'Xb' || kind === 'Xv' || kind === 'Yb' || kind === 'Yv' ? FITS : TYPE;
}

/**
 * Does the operand written for one slot of a row (its `operands`) fit its kind at operand size
 * `size`? `primary`: the slot is the operand whose width the suffix names.
 */
export function matchSlot(operands: readonly OperandKind[], slot: number, placed: PlacedOperand, size: 16 | 32 | undefined, primary: boolean, context: MatchContext): MatchVerdict {
  const kind = operands[slot]!;
  const info = OPERAND_KIND_INFO[kind];
  switch (info.location) {
    case 'rm': return matchRm(kind, info, placed, size, primary, context);
    case 'reg': return matchReg(info, placed, size, primary, context);
    case 'opcodeRegister': return matchGprRegister(placed, widthAt(info, size), context, true);
    case 'immediate': return matchImmediate(kind, placed, size, operands.length, context);
    case 'relative': return isPlainBareMemory(placed.operand) ? FITS : TYPE;
    case 'memoryOffset': return isPlainBareMemory(placed.operand) && !context.indirectBranch ? FITS : TYPE;
    case 'implicit': return matchImplicit(kind, info, placed, size, primary, operands.length, context);
    case 'string': return matchString(kind, placed);
    case 'farPointer': return TYPE;
  }
}

/** Coarse operand classes, one bit each: what kind of operand was written, for a quick pre-check. */
const CLASS_GPR8 = 1;
const CLASS_GPR16 = 2;
const CLASS_GPR32 = 4;
const CLASS_MEMORY = 8;
const CLASS_IMMEDIATE = 16;
const CLASS_OTHER_REGISTER: Readonly<Record<string, number>> = { segment: 32, control: 64, debug: 128, test: 256, x87: 512 };
const CLASS_GPR = CLASS_GPR8 | CLASS_GPR16 | CLASS_GPR32;
const CLASS_ANY_REGISTER = 1023 & ~CLASS_MEMORY & ~CLASS_IMMEDIATE;

export const isImmediateClass = (classBits: number) => classBits === CLASS_IMMEDIATE;

/** The class bit of a written operand. */
export function operandClassOf(operand: ClassifiedOperand): number {
  if (operand.kind === 'memory') return CLASS_MEMORY;
  if (operand.kind === 'immediate') return CLASS_IMMEDIATE;
  const cls = operand.register.class;
  if (cls === 'gpr8') return CLASS_GPR8;
  if (cls === 'gpr16') return CLASS_GPR16;
  return cls === 'gpr32' ? CLASS_GPR32 : CLASS_OTHER_REGISTER[cls]!;
}

/** General registers of the kind's width(s): 'v' takes 16 or 32 (MwRv's lax 16 included). */
function gprClassesOf(info: OperandKindInfo): number {
  if (info.width === 8) return CLASS_GPR8;
  if (info.width === 16) return CLASS_GPR16;
  if (info.width === 32) return CLASS_GPR32;
  return info.width === 'v' ? CLASS_GPR16 | CLASS_GPR32 : CLASS_GPR;
}

/**
 * The operand classes matchSlot can accept for a kind (at any size): a superset, so an operand
 * outside it certainly does not fit and matchSlot need not be asked.
 */
export function acceptedClasses(kind: OperandKind): number {
  const info = OPERAND_KIND_INFO[kind];
  switch (info.location) {
    case 'rm': return (info.rm !== 'memory' ? gprClassesOf(info) : 0) | (info.rm !== 'register' ? CLASS_MEMORY : 0);
    case 'reg': return info.registerClass === 'gpr' ? gprClassesOf(info) : CLASS_OTHER_REGISTER[info.registerClass!]!;
    case 'opcodeRegister': return gprClassesOf(info);
    case 'immediate': return CLASS_IMMEDIATE;
    case 'relative': case 'memoryOffset': case 'string': return CLASS_MEMORY;
    case 'implicit':
      if (kind === '1') return CLASS_IMMEDIATE;
      return kind === 'DX' ? CLASS_MEMORY | CLASS_ANY_REGISTER : CLASS_ANY_REGISTER;
    case 'farPointer': return 0;
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

