// Turns the parser's AT&T operands into checked, classified operands for form matching: registers
// looked up, memory addressing validated (base/index legality, address size), constants evaluated.
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

type Evaluate = (expr: Expr) => bigint | undefined;

function lookUpRegister(name: string): RegisterInfo | undefined {
  return registerInfo(name.startsWith('%') ? name.slice(1) : name);
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
  if (!base && !index) return undefined;
  const classes = new Set([base?.class, index?.class].filter((c) => c !== undefined));
  if (classes.size !== 1) return 'invalid';
  if (classes.has('gpr32')) return index?.name === 'esp' ? 'invalid' : 32;
  if (classes.has('gpr16')) return isValid16BitAddress(base, index, scale) ? 16 : 'invalid';
  return 'invalid';
}

function classifyMemory(memory: MemoryOperand, operandIndex: number, evaluate: Evaluate): ClassifiedMemory | { message: string; operandIndex: number } {
  const names = [memory.segment, memory.base, memory.index].filter((n): n is string => n !== undefined);
  for (const name of names) {
    if (!lookUpRegister(name)) return { message: `bad register name \`${registerText(name)}'`, operandIndex };
  }
  const segment = memory.segment ? lookUpRegister(memory.segment) : undefined;
  if (segment && segment.class !== 'segment') return { message: `\`${registerText(memory.segment!)}' is not a valid segment register`, operandIndex };
  const base = memory.base ? lookUpRegister(memory.base) : undefined;
  const index = memory.index ? lookUpRegister(memory.index) : undefined;
  // `(%dx)` is the I/O port operand of in/out/ins/outs, not an address.
  const isPort = base?.name === 'dx' && !index && !memory.displacement && !segment;
  const addressSize = isPort ? undefined : addressSizeOf(base, index, memory.scale);
  if (addressSize === 'invalid') return { message: `\`${baseIndexText(memory)}' is not a valid base/index expression`, operandIndex };
  return {
    kind: 'memory',
    operand: memory,
    ...(segment ? { segment } : {}),
    ...(base ? { base } : {}),
    ...(index ? { index } : {}),
    ...(addressSize ? { addressSize } : {}),
    displacementConstant: memory.displacement ? evaluate(memory.displacement) : 0n,
    indirect: memory.indirect,
  };
}

function classifyOne(operand: Operand, operandIndex: number, evaluate: Evaluate): ClassifiedOperand | { message: string; operandIndex: number } {
  switch (operand.kind) {
    case 'register': {
      const register = lookUpRegister(operand.register);
      if (!register) return { message: `bad register name \`${registerText(operand.register)}'`, operandIndex };
      return { kind: 'register', register, indirect: operand.indirect };
    }
    case 'immediate':
      return { kind: 'immediate', value: operand.value, constant: evaluate(operand.value) };
    case 'memory':
      return classifyMemory(operand, operandIndex, evaluate);
  }
}

/** Classifies every operand (AT&T order kept), stopping at the first invalid one. */
export function classifyOperands(operands: readonly Operand[], evaluate: Evaluate): ClassificationResult {
  const classified: ClassifiedOperand[] = [];
  for (let i = 0; i < operands.length; i++) {
    const result = classifyOne(operands[i]!, i, evaluate);
    if ('message' in result) return { ok: false, message: result.message, operandIndex: result.operandIndex };
    classified.push(result);
  }
  return { ok: true, operands: classified };
}

/** True for a memory operand that is only a displacement (a direct branch target or an absolute address). */
export function isBareDisplacement(operand: ClassifiedOperand): operand is ClassifiedMemory {
  return operand.kind === 'memory' && !operand.base && !operand.index;
}
