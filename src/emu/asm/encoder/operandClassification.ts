// Turns the parser's AT&T operands into checked, classified operands for form matching: registers
// looked up (remembered per name as written), memory addressing validated (base/index legality,
// address size), the constants the caller evaluated attached.
// Owns: GNU as's operand-level errors (bad register names, invalid base/index expressions).
// Must not know: instruction forms or encodings. Models Intel SDM Vol. 2 §2.1.5 (32-bit and 16-bit
// ModRM addressing forms) as GNU as 2.40 accepts them in AT&T syntax.
import type { Expr } from '../expression';
import type { MemoryOperand, Operand } from '../instructionSyntax';
import { registerInfo, type RegisterInfo } from '../../isa/registers';

export interface ClassifiedRegister {
  readonly kind: 'register';
  readonly register: RegisterInfo;
  readonly indirect: boolean;
}

export interface ClassifiedImmediate {
  readonly kind: 'immediate';
  readonly value: Expr;
  /** The value when it is a constant now (GNU as decides sizes on it), else undefined. */
  readonly constant: bigint | undefined;
}

export interface ClassifiedMemory {
  readonly kind: 'memory';
  readonly operand: MemoryOperand;
  readonly segment?: RegisterInfo;
  readonly base?: RegisterInfo;
  readonly index?: RegisterInfo;
  /** 16 or 32 from the registers used; undefined for a bare displacement (decided by the code size). */
  readonly addressSize?: 16 | 32;
  readonly displacementConstant: bigint | undefined;
  readonly indirect: boolean;
}

export type ClassifiedOperand = ClassifiedRegister | ClassifiedImmediate | ClassifiedMemory;

export type ClassificationResult =
  | { readonly ok: true; readonly operands: readonly ClassifiedOperand[] }
  | { readonly ok: false; readonly message: string; readonly operandIndex: number };

/** Per operand: an immediate's constant value, a memory operand's constant displacement (0 when
 *  absent); undefined when symbolic (evaluated once by the caller, statementShape.ts). */
type Constants = readonly (bigint | undefined)[];

const REGISTER_CACHE_LIMIT = 1024;
const registersByWrittenName = new Map<string, RegisterInfo | null>();

/** A register by its name as written (with or without `%`, any case); remembered per spelling. */
export function lookUpRegister(name: string): RegisterInfo | undefined {
  let register = registersByWrittenName.get(name);
  if (register === undefined) {
    if (registersByWrittenName.size >= REGISTER_CACHE_LIMIT) registersByWrittenName.clear();
    register = registerInfo(name.startsWith('%') ? name.slice(1) : name) ?? null;
    registersByWrittenName.set(name, register);
  }
  return register ?? undefined;
}

const registerText = (name: string) => (name.startsWith('%') ? name : `%${name}`);

/** `(%base,%index,scale)` as GNU as quotes it in messages. */
export function baseIndexText(memory: MemoryOperand): string {
  const base = memory.base ? registerText(memory.base) : '';
  const index = memory.index ? `,${registerText(memory.index)}` : '';
  const scale = memory.index && memory.scale !== 1 ? `,${memory.scale}` : '';
  return `(${base}${index}${scale})`;
}

const VALID_16BIT_PAIRS: ReadonlySet<string> = new Set(['bx+si', 'bx+di', 'bp+si', 'bp+di']);
const VALID_16BIT_SINGLES: ReadonlySet<string> = new Set(['bx', 'bp', 'si', 'di']);

function isValid16BitAddress(base: RegisterInfo | undefined, index: RegisterInfo | undefined, scale: number): boolean {
  if (scale !== 1) return false;
  if (base && index) return VALID_16BIT_PAIRS.has(`${base.name}+${index.name}`);
  if (base) return VALID_16BIT_SINGLES.has(base.name);
  return false;
}

/** The address size the base/index registers imply, or undefined when they cannot form an address. */
function addressSizeOf(base: RegisterInfo | undefined, index: RegisterInfo | undefined, scale: number): 16 | 32 | 'invalid' | undefined {
  const either = base ?? index;
  if (!either) return undefined;
  if (base && index && base.class !== index.class) return 'invalid';
  if (either.class === 'gpr32') return index?.name === 'esp' ? 'invalid' : 32;
  if (either.class === 'gpr16') return isValid16BitAddress(base, index, scale) ? 16 : 'invalid';
  return 'invalid';
}

const isUnknown = (name: string | undefined) => name !== undefined && !lookUpRegister(name);

/** The first of segment, base and index that is written but names no register. */
function unknownRegisterName(memory: MemoryOperand): string | undefined {
  if (isUnknown(memory.segment)) return memory.segment;
  if (isUnknown(memory.base)) return memory.base;
  return isUnknown(memory.index) ? memory.index : undefined;
}

function classifyMemory(memory: MemoryOperand, operandIndex: number, constants: Constants): ClassifiedMemory | { message: string; operandIndex: number } {
  const segment = memory.segment !== undefined ? lookUpRegister(memory.segment) : undefined;
  const base = memory.base !== undefined ? lookUpRegister(memory.base) : undefined;
  const index = memory.index !== undefined ? lookUpRegister(memory.index) : undefined;
  const unknown = unknownRegisterName(memory);
  if (unknown !== undefined) return { message: `bad register name \`${registerText(unknown)}'`, operandIndex };
  if (segment && segment.class !== 'segment') return { message: `\`${registerText(memory.segment!)}' is not a valid segment register`, operandIndex };
  // `(%dx)` is the I/O port operand of in/out/ins/outs, not an address.
  const isPort = base?.name === 'dx' && !index && !memory.displacement && !segment;
  const addressSize = isPort ? undefined : addressSizeOf(base, index, memory.scale);
  if (addressSize === 'invalid') return { message: `\`${baseIndexText(memory)}' is not a valid base/index expression`, operandIndex };
  return { kind: 'memory', operand: memory, segment, base, index, addressSize, displacementConstant: constants[operandIndex], indirect: memory.indirect };
}

function classifyOne(operand: Operand, operandIndex: number, constants: Constants): ClassifiedOperand | { message: string; operandIndex: number } {
  switch (operand.kind) {
    case 'register': {
      const register = lookUpRegister(operand.register);
      if (!register) return { message: `bad register name \`${registerText(operand.register)}'`, operandIndex };
      return { kind: 'register', register, indirect: operand.indirect };
    }
    case 'immediate':
      return { kind: 'immediate', value: operand.value, constant: constants[operandIndex] };
    case 'memory':
      return classifyMemory(operand, operandIndex, constants);
  }
}

/** Classifies every operand (AT&T order kept), stopping at the first invalid one. */
export function classifyOperands(operands: readonly Operand[], constants: Constants): ClassificationResult {
  const classified: ClassifiedOperand[] = [];
  for (let i = 0; i < operands.length; i++) {
    const result = classifyOne(operands[i]!, i, constants);
    if ('message' in result) return { ok: false, message: result.message, operandIndex: result.operandIndex };
    classified.push(result);
  }
  return { ok: true, operands: classified };
}

/** True for a memory operand that is only a displacement (a direct branch target or an absolute address). */
export function isBareDisplacement(operand: ClassifiedOperand): operand is ClassifiedMemory {
  return operand.kind === 'memory' && !operand.base && !operand.index;
}
