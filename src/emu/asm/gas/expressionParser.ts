// Parses a GNU as expression into the shared Expr tree, with GAS's operator precedence, which is
// not C's: `* / % << >>` bind tightest, then `| & ^ !` (or-not), then `+ -`, then the comparisons
// `== != <> < <= > >=`, then `&&`, then `||`; all left-associative. Numbers are decimal, 0x hex,
// 0b binary, leading-0 octal and 'c character constants; `Nf`/`Nb` name numeric local labels and
// are handed to a resolver so that only unique internal names leave this file. As after GAS's
// input scrubber, blanks between two operator characters do not count (`! !` is `!!`, exclusive or).
// Must not know: symbol values, sections. Models GAS manual §6 "Expressions" (§6.2.4 precedence).
import type { BinaryOperator, Expr, UnaryOperator } from '../expression';
import { isBlank, isDigit, isNameChar, type StatementCursor } from './statementCursor';
import { readCharacterConstant } from './stringLiterals';

export interface ExpressionHooks {
  /** Resolves `Nf` / `Nb` to the internal name of the numeric local label it refers to. */
  localLabel(label: string, direction: 'f' | 'b'): string;
}

export interface ExpressionError {
  readonly offset: number;
  readonly message: string;
}

export type ExpressionResult = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: ExpressionError };

const RANK: Readonly<Record<BinaryOperator, number>> = {
  '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5,
  '|': 4, '&': 4, '^': 4, '!': 4,
  '+': 3, '-': 3,
  '==': 2, '!=': 2, '<>': 2, '<': 2, '<=': 2, '>': 2, '>=': 2,
  '&&': 1,
  '||': 0,
};

const MAX_NESTING = 500;

const PAIRS: Readonly<Record<string, BinaryOperator>> = {
  '<<': '<<', '<=': '<=', '<>': '<>', '>>': '>>', '>=': '>=', '||': '||', '&&': '&&', '!=': '!=', '==': '==', '!!': '^',
};

const SMALL_CONSTANTS: Expr[] = Array.from({ length: 4096 }, (_, i) => ({ kind: 'constant', value: BigInt(i) }));

/** Shared nodes for small numbers (Expr trees are immutable). */
function smallConstant(value: number): Expr {
  return value < SMALL_CONSTANTS.length ? SMALL_CONSTANTS[value]! : { kind: 'constant', value: BigInt(value) };
}

class ExpressionSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Parses one expression at the cursor; stops before the first character that cannot continue it. */
export function parseExpression(cursor: StatementCursor, hooks: ExpressionHooks): ExpressionResult {
  const parser = new Parser(cursor, hooks);
  try {
    const expr = parser.binary(0);
    cursor.skipBlanks();
    return { ok: true, expr };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { ok: false, error: { offset: error.offset, message: error.message } };
    throw error;
  }
}

class Parser {
  private depth = 0;

  constructor(
    private readonly cursor: StatementCursor,
    private readonly hooks: ExpressionHooks,
  ) {}

  binary(minimumRank: number): Expr {
    let left = this.unary();
    for (;;) {
      this.cursor.skipBlanks();
      const operator = this.peekOperator();
      if (!operator || RANK[operator.op] < minimumRank) return left;
      const op = operator.op;
      this.cursor.pos += operator.length;
      this.enter();
      const right = this.binary(RANK[op] + 1);
      this.depth--;
      left = { kind: 'binary', op, left, right };
    }
  }

  /** Counts nesting (the caller decrements); a syntax error abandons the whole parse anyway. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new ExpressionSyntaxError(this.cursor.pos, 'expression nested too deeply');
  }

  /**
   * The operator at the cursor and how many characters it spans. GAS's input scrubber drops blanks
   * between two operator characters, so `1 < < 2` is `1 << 2` and `a ! !b` is `a !! b`, which GAS
   * reads as exclusive or.
   */
  private peekOperator(): { op: BinaryOperator; length: number } | undefined {
    const cursor = this.cursor;
    const c = cursor.peek();
    if (c === undefined) return undefined;
    if ('*/%^+-'.includes(c)) return { op: c as BinaryOperator, length: 1 };
    if (!'<>|&!='.includes(c)) return undefined;
    let after = 1;
    while (isBlank(cursor.peek(after))) after++;
    const pair = c + (cursor.peek(after) ?? '');
    const combined = PAIRS[pair];
    if (combined) return { op: combined, length: after + 1 };
    return c === '=' ? undefined : { op: c as BinaryOperator, length: 1 };
  }

  private unary(): Expr {
    this.cursor.skipBlanks();
    const c = this.cursor.peek();
    if (c === '-' || c === '~' || c === '!' || c === '+') {
      this.cursor.pos++;
      this.enter();
      const operand = this.unary();
      this.depth--;
      return { kind: 'unary', op: c as UnaryOperator, operand };
    }
    if (c === '(') {
      this.cursor.pos++;
      this.enter();
      const inner = this.binary(0);
      this.depth--;
      this.cursor.skipBlanks();
      if (!this.cursor.eat(')')) throw new ExpressionSyntaxError(this.cursor.pos, "missing ')'");
      return inner;
    }
    return this.operand();
  }

  private operand(): Expr {
    const cursor = this.cursor;
    const start = cursor.pos;
    const c = cursor.peek();
    if (c === undefined || c === ',' || c === ')') throw new ExpressionSyntaxError(start, 'missing operand');
    if (isDigit(c)) return this.number();
    if (c === "'") return this.character();
    if (c === '.' && !isNameChar(cursor.peek(1))) {
      cursor.pos++;
      return { kind: 'dot' };
    }
    const name = cursor.readName();
    if (name !== undefined) return { kind: 'symbol', name };
    throw new ExpressionSyntaxError(start, `bad expression: unexpected '${c}'`);
  }

  private character(): Expr {
    const cursor = this.cursor;
    const constant = readCharacterConstant(cursor.text, cursor.pos, cursor.end);
    if (!constant) throw new ExpressionSyntaxError(cursor.pos + 1, 'missing character after \'');
    cursor.pos = constant.next;
    return { kind: 'constant', value: BigInt(constant.value) };
  }

  private number(): Expr {
    const cursor = this.cursor;
    const start = cursor.pos;
    const text = cursor.text;
    const first = cursor.peek();
    const second = cursor.peek(1)?.toLowerCase();
    if (first === '0' && second === 'x') return this.radix(start, start + 2, 16, /[0-9a-fA-F]/);
    if (first === '0' && second === 'b' && /[01]/.test(cursor.peek(2) ?? '')) return this.radix(start, start + 2, 2, /[01]/);
    let end = start;
    while (end < cursor.end && isDigit(text[end])) end++;
    const suffix = end < cursor.end ? text[end] : undefined;
    const afterSuffix = end + 1 < cursor.end ? text[end + 1] : undefined;
    if ((suffix === 'b' || suffix === 'f') && !isNameChar(afterSuffix)) {
      cursor.pos = end + 1;
      return { kind: 'symbol', name: this.hooks.localLabel(text.slice(start, end), suffix) };
    }
    if (first === '0' && end > start + 1) return this.radix(start, start + 1, 8, /[0-7]/);
    cursor.pos = end;
    if (end < cursor.end && isNameChar(text[end])) throw new ExpressionSyntaxError(end, `junk '${text[end]}' after number`);
    if (end - start <= 9) return smallConstant(Number(text.slice(start, end)));
    return { kind: 'constant', value: this.checkWidth(start, BigInt(text.slice(start, end))) };
  }

  private radix(start: number, digitsStart: number, radix: number, digit: RegExp): Expr {
    const cursor = this.cursor;
    let end = digitsStart;
    while (end < cursor.end && digit.test(cursor.text[end]!)) end++;
    if (end === digitsStart && radix !== 8) throw new ExpressionSyntaxError(start, 'bad number: no digits after the radix prefix');
    if (end < cursor.end && isNameChar(cursor.text[end])) throw new ExpressionSyntaxError(end, `bad digit '${cursor.text[end]}' in base-${radix} number`);
    cursor.pos = end;
    let value = 0n;
    const base = BigInt(radix);
    for (let i = digitsStart; i < end; i++) value = value * base + BigInt(parseInt(cursor.text[i]!, radix));
    return { kind: 'constant', value: this.checkWidth(start, value) };
  }

  private checkWidth(start: number, value: bigint): bigint {
    if (value >= 1n << 64n) throw new ExpressionSyntaxError(start, 'integer constant does not fit in 64 bits');
    return BigInt.asIntN(64, value);
  }
}
