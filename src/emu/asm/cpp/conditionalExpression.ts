// #if / #elif controlling expressions (C11 §6.10.1; GCC's _cpp_parse_expr): an operator-precedence
// parser with explicit operand and operator stacks, so that nesting depth never becomes
// JavaScript recursion. Operands that are not evaluated (right of a false `&&`, a true `||`, the
// untaken arm of `?:`) are parsed but raise no errors, as C requires (`1 || 1/0` is fine).
// `defined X`, `defined(X)` and `__has_include(...)` are operators; other identifiers are 0.
// Owns: parsing and evaluating one expression. Must not know: where its tokens come from.
import type { DiagnosticSink } from '../diagnostics';
import { applyBinary, applyUnary, convertPair, isZero, truth } from './expressionArithmetic';
import { type PpValue, parseCharacterConstant, parseIntegerConstant } from './integerConstant';
import type { PpToken } from './token';

export interface ExpressionHost {
  /** The next macro-expanded token of the line (paddings skipped), `eof` at its end. */
  next(): PpToken;
  /** The next token with macro expansion suppressed (the operand of `defined`). */
  nextUnexpanded(): PpToken;
  isDefined(name: string): boolean;
  /** Reads the rest of `__has_include(...)`; undefined after reporting an error. */
  hasInclude(operator: PpToken): boolean | undefined;
  readonly diagnostics: DiagnosticSink;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  ',': 1, '?': 2, ':': 2, '||': 3, '&&': 4, '|': 5, '^': 6, '&': 7, '==': 8, '!=': 8,
  '<': 9, '>': 9, '<=': 9, '>=': 9, '<<': 10, '>>': 10, '+': 11, '-': 11, '*': 12, '/': 12, '%': 12,
};
const UNARY_PRECEDENCE = 13;
const UNARY_OPERATORS = new Set(['+', '-', '~', '!']);

interface PendingOperator {
  op: string;
  readonly precedence: number;
  readonly unary: boolean;
  readonly token: PpToken;
  /** This operator raised skipEvaluation and must lower it when reduced. */
  skipping: boolean;
}

class ExpressionError extends Error {}

/** Evaluates the expression after `#if`/`#elif`; false after any error (as GCC). */
export function evaluateCondition(host: ExpressionHost, directive: PpToken): boolean {
  try {
    return !isZero(new ConditionEvaluator(host, directive).evaluate());
  } catch (error) {
    if (error instanceof ExpressionError) return false;
    throw error;
  }
}

class ConditionEvaluator {
  private readonly values: PpValue[] = [];
  private readonly operators: PendingOperator[] = [];
  private skipEvaluation = 0;
  private readonly issues = {
    overflow: () => this.warnIfEvaluated('integer overflow in preprocessor expression'),
    divisionByZero: () => this.errorIfEvaluated(`division by zero in #${this.directive.text}`),
  };
  private current: PpToken;
  /** The operator being applied, where arithmetic problems are reported. */
  private applying: PpToken;

  constructor(
    private readonly host: ExpressionHost,
    private readonly directive: PpToken,
  ) {
    this.current = directive;
    this.applying = directive;
  }

  evaluate(): PpValue {
    let wantOperand = true;
    for (;;) {
      const token = (this.current = this.host.next());
      if (wantOperand) {
        if (token.kind === 'punctuator' && UNARY_OPERATORS.has(token.text)) this.pushOperator(token.text, UNARY_PRECEDENCE, true, token);
        else if (token.is('(')) this.pushOperator('(', 0, false, token);
        else {
          this.values.push(this.readOperand(token));
          wantOperand = false;
        }
        continue;
      }
      if (token.kind === 'eof') return this.finish(token);
      if (token.is(')')) this.closeParenthesis(token);
      else if (token.kind === 'punctuator' && BINARY_PRECEDENCE[token.text] !== undefined) {
        this.binaryOperator(token);
        wantOperand = true;
      } else if (token.kind === 'punctuator' && !token.is('(')) {
        this.fail(token, `token "${token.text}" is not valid in preprocessor expressions`);
      } else {
        this.fail(token, `missing binary operator before token "${token.text}"`);
      }
    }
  }

  private readOperand(token: PpToken): PpValue {
    switch (token.kind) {
      case 'number':
        return this.constant(token, parseIntegerConstant(token.text));
      case 'char':
      case 'wide-char':
        return this.constant(token, parseCharacterConstant(token.text));
      case 'name':
        return this.identifier(token);
      case 'eof':
      case 'punctuator':
        return this.missingOperand(token);
      default:
        return this.fail(token, `token "${token.text}" is not valid in preprocessor expressions`);
    }
  }

  private identifier(token: PpToken): PpValue {
    if (token.text === 'defined') return this.definedOperator();
    if (token.text === '__has_include' || token.text === '__has_include_next') {
      const found = this.host.hasInclude(token);
      if (found === undefined) throw new ExpressionError();
      return truth(found);
    }
    return truth(false);
  }

  private definedOperator(): PpValue {
    let token = this.host.nextUnexpanded();
    const parenthesized = token.is('(');
    if (parenthesized) token = this.host.nextUnexpanded();
    if (token.kind !== 'name') this.fail(token, 'operator "defined" requires an identifier');
    if (parenthesized) {
      const close = this.host.nextUnexpanded();
      if (!close.is(')')) this.fail(close, 'missing \')\' after "defined"');
    }
    return truth(this.host.isDefined(token.text));
  }

  private constant(token: PpToken, parsed: ReturnType<typeof parseIntegerConstant>): PpValue {
    for (const diagnostic of parsed.diagnostics) {
      if (diagnostic.severity === 'error') this.fail(token, diagnostic.message);
      this.host.diagnostics.warning(token.location, diagnostic.message, token.expansion);
    }
    return parsed.value!;
  }

  /** GCC's messages for an operator or the end where an operand belongs. */
  private missingOperand(token: PpToken): never {
    const top = this.operators[this.operators.length - 1];
    if (token.is(')') && top?.op === '(') this.fail(token, "missing expression between '(' and ')'");
    if (!top && this.values.length === 0 && token.kind === 'eof') this.fail(token, `#${this.directive.text} with no expression`);
    if (top && top.op !== '(') this.fail(token, `operator '${top.token.text}' has no right operand`);
    if (token.kind === 'eof' || token.is(')')) this.fail(token, `#${this.directive.text} with no expression`);
    if (BINARY_PRECEDENCE[token.text] !== undefined) this.fail(token, `operator '${token.text}' has no left operand`);
    return this.fail(token, `token "${token.text}" is not valid in preprocessor expressions`);
  }

  private binaryOperator(token: PpToken): void {
    const op = token.text;
    const precedence = BINARY_PRECEDENCE[op]!;
    if (op === ':') return this.colon(token);
    // `?` and `:` are right-associative; everything else reduces operators of equal precedence.
    this.reduceWhile((top) => top.precedence > precedence || (top.precedence === precedence && op !== '?' && top.op !== '?' && top.op !== ':'));
    const operator = this.pushOperator(op, precedence, false, token);
    const left = this.values[this.values.length - 1]!;
    if ((op === '&&' || op === '?') && isZero(left)) this.startSkipping(operator);
    else if (op === '||' && !isZero(left)) this.startSkipping(operator);
  }

  private colon(token: PpToken): void {
    this.reduceWhile((top) => top.op !== '?' && (top.precedence > 2 || top.op === ':'));
    const top = this.operators[this.operators.length - 1];
    if (!top || top.op !== '?') this.fail(token, "':' without preceding '?'");
    top.op = ':';
    if (top.skipping) {
      top.skipping = false;
      this.skipEvaluation--;
    } else this.startSkipping(top);
  }

  private closeParenthesis(token: PpToken): void {
    this.reduceWhile((top) => top.op !== '(');
    const open = this.operators.pop();
    if (!open) this.fail(token, "missing '(' in expression");
  }

  private finish(end: PpToken): PpValue {
    this.reduceWhile(() => true);
    const open = this.operators[this.operators.length - 1];
    if (open) this.fail(open.token, "missing ')' in expression");
    if (this.values.length !== 1) this.fail(end, `unbalanced stack in #${this.directive.text}`);
    return this.values[0]!;
  }

  /** Applies operators from the top while `condition` holds, stopping at `(`. */
  private reduceWhile(condition: (top: PendingOperator) => boolean): void {
    for (let top = this.operators[this.operators.length - 1]; top && top.op !== '(' && condition(top); top = this.operators[this.operators.length - 1]) {
      if (top.op === '?') this.fail(this.current, "'?' without following ':'");
      this.operators.pop();
      this.apply(top);
    }
  }

  private apply(operator: PendingOperator): void {
    this.applying = operator.token;
    if (operator.unary) {
      this.values.push(applyUnary(operator.op, this.values.pop()!, this.issues));
    } else if (operator.op === ':') {
      const otherwise = this.values.pop()!;
      const then = this.values.pop()!;
      const condition = this.values.pop()!;
      const [a, b] = convertPair(then, otherwise);
      this.values.push(isZero(condition) ? b : a);
    } else {
      const right = this.values.pop()!;
      const left = this.values.pop()!;
      this.values.push(applyBinary(operator.op, left, right, this.issues));
    }
    if (operator.skipping) this.skipEvaluation--;
  }

  private pushOperator(op: string, precedence: number, unary: boolean, token: PpToken): PendingOperator {
    const operator: PendingOperator = { op, precedence, unary, token, skipping: false };
    this.operators.push(operator);
    return operator;
  }

  private startSkipping(operator: PendingOperator): void {
    operator.skipping = true;
    this.skipEvaluation++;
  }

  private warnIfEvaluated(message: string): void {
    if (this.skipEvaluation === 0) this.host.diagnostics.warning(this.applying.location, message, this.applying.expansion);
  }

  private errorIfEvaluated(message: string): void {
    if (this.skipEvaluation === 0) this.fail(this.applying, message);
  }

  private fail(token: PpToken, message: string): never {
    this.host.diagnostics.error(token.location, message, token.expansion);
    throw new ExpressionError(message);
  }
}
