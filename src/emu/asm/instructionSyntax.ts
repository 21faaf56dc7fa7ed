// A parsed AT&T instruction statement: what the front end hands to the encoder.
// Owns: operand shapes in AT&T order (source first, destination last), exactly as written.
// Must not know: encodings (the encoder), symbol values (the front end's evaluator).
import type { Expr } from './expression';
import type { ExpansionChain, SourceLocation } from './sourceLocation';
import type { RegisterName } from '../isa/registers';

export interface RegisterOperand {
  readonly kind: 'register';
  readonly register: RegisterName;
  /** Written with a leading `*` (indirect jmp/call target). */
  readonly indirect: boolean;
}

export interface ImmediateOperand {
  readonly kind: 'immediate';
  readonly value: Expr;
}

/**
 * `seg:disp(base,index,scale)`; any part may be missing. A bare expression such as `foo` or
 * `lguest_data+4` is a memory operand with only a displacement: for jmp/call it is the direct
 * branch target unless `indirect` is set.
 */
export interface MemoryOperand {
  readonly kind: 'memory';
  readonly segment?: RegisterName;
  readonly displacement?: Expr;
  readonly base?: RegisterName;
  readonly index?: RegisterName;
  readonly scale: 1 | 2 | 4 | 8;
  readonly indirect: boolean;
}

export type Operand = RegisterOperand | ImmediateOperand | MemoryOperand;

export interface ParsedInstruction {
  /** Lower-case mnemonic as written, including any size suffix (`movl`, `movzwl`, `ljmp`). */
  readonly mnemonic: string;
  /** Prefix mnemonics written before it on the same statement (`rep`, `lock`, `data16`, `cs`...). */
  readonly prefixes: readonly string[];
  readonly operands: readonly Operand[];
  readonly location: SourceLocation;
  readonly expansion: ExpansionChain;
  /** Source text of the statement after expansion, for listings and messages. */
  readonly text: string;
}
