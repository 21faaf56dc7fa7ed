// Remembers encodings of identical instruction statements within one assembly (the 256 IRQ stubs
// are a handful of distinct instructions). The encoder is a pure function of the parsed statement
// and the answers to its "is this a constant now?" questions, so an encoding is reused only when the
// statement text, the snapshotted operands and the code size are the same and every question the
// encoder asked the first time gets the same answer now.
// Must not know: encodings themselves.
import type { EncodeContext, EncodeResult, Encoder } from '../encoder/encoderContract';
import type { Expr } from '../expression';
import type { Operand, ParsedInstruction } from '../instructionSyntax';

interface CachedEncoding {
  readonly questions: readonly (readonly [Expr, bigint | undefined])[];
  readonly result: EncodeResult;
}

const MAX_ENTRIES = 4096;

function exprKey(expr: Expr | undefined): string {
  if (!expr) return '';
  switch (expr.kind) {
    case 'constant':
      return `#${expr.value}`;
    case 'symbol':
      return `@${expr.name}`;
    case 'dot':
      return '.';
    case 'unary':
      return `(${expr.op}${exprKey(expr.operand)})`;
    case 'binary':
      return `(${exprKey(expr.left)}${expr.op}${exprKey(expr.right)})`;
  }
}

function operandKey(operand: Operand): string {
  switch (operand.kind) {
    case 'register':
      return `r${operand.indirect ? '*' : ''}${operand.register}`;
    case 'immediate':
      return `i${exprKey(operand.value)}`;
    case 'memory':
      return `m${operand.indirect ? '*' : ''}${operand.segment ?? ''}:${exprKey(operand.displacement)}(${operand.base ?? ''},${operand.index ?? ''},${operand.scale})`;
  }
}

/** An encoder exception becomes a diagnostic at the statement instead of aborting the assembly. */
function encodeSafely(encoder: Encoder, instruction: ParsedInstruction, context: EncodeContext): EncodeResult {
  try {
    return encoder(instruction, context);
  } catch (error) {
    return { ok: false, message: `internal error in the instruction encoder: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export class EncodingCache {
  private readonly entries = new Map<string, CachedEncoding>();

  constructor(private readonly encoder: Encoder) {}

  encode(instruction: ParsedInstruction, context: EncodeContext): EncodeResult {
    const key = `${context.codeSize}\u0000${instruction.text}\u0000${instruction.prefixes.join(' ')}\u0000${instruction.operands.map(operandKey).join('\u0001')}`;
    const cached = this.entries.get(key);
    if (cached && cached.questions.every(([expr, answer]) => context.constantValue(expr) === answer)) return cached.result;
    const questions: [Expr, bigint | undefined][] = [];
    const recording: EncodeContext = {
      codeSize: context.codeSize,
      constantValue: (expr) => {
        const answer = context.constantValue(expr);
        questions.push([expr, answer]);
        return answer;
      },
    };
    const result = encodeSafely(this.encoder, instruction, recording);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { questions, result });
    return result;
  }
}
