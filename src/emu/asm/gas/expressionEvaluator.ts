// Evaluates Expr trees with GNU as semantics: 64-bit two's complement arithmetic, comparisons
// yielding -1 (true) or 0, `&&`/`||` yielding 1/0, logical right shift, shift counts outside 0..63
// warned about and giving 0, division by zero reported. A value is a constant plus at most one added
// and one subtracted relocatable term (GAS's X_add_symbol/X_op_symbol); terms in the same region
// cancel into constants (label differences), which is how `sym - sym` becomes absolute.
// Must not know: where symbol values come from (an injected environment), sections' layout.
// Models GAS manual §6.1-§6.2 (empty, integer and relocatable expressions; arguments and operators).
import type { BinaryOperator, Expr } from '../expression';

/** A relocatable part of a value. */
export interface Term {
  /** The symbol a relocation would name (global, weak or undefined); null for local labels. */
  readonly symbol: string | null;
  /** Section the term lies in, null when undefined. */
  readonly section: string | null;
  /** Comparison key: two terms with the same non-null region differ by a known constant. */
  readonly region: string | null;
  /** Offset within the region. */
  readonly offset: bigint;
}

export interface Value {
  readonly constant: bigint;
  readonly add?: Term;
  readonly sub?: Term;
}

export interface EvaluationEnvironment {
  symbolValue(name: string): Value;
  /** `.`; the front end normally rewrites dots into position labels before evaluation. */
  dot(): Value;
  warn(message: string): void;
}

export class EvaluationError extends Error {}

export function constantValue(value: bigint): Value {
  return { constant: value };
}

export function isConstant(value: Value): boolean {
  return !value.add && !value.sub;
}

const wrap = (value: bigint) => BigInt.asIntN(64, value);

/**
 * Evaluates `expr`; throws EvaluationError for operands GAS cannot combine, and also when chains of
 * equated symbols are too deep for the stack (rather than crashing the assembler).
 */
export function evaluateExpr(expr: Expr, env: EvaluationEnvironment): Value {
  try {
    return evaluateNode(expr, env);
  } catch (error) {
    if (error instanceof RangeError) throw new EvaluationError('symbol definitions nested too deeply to evaluate');
    throw error;
  }
}

function evaluateNode(expr: Expr, env: EvaluationEnvironment): Value {
  switch (expr.kind) {
    case 'constant':
      return { constant: expr.value };
    case 'symbol':
      return env.symbolValue(expr.name);
    case 'dot':
      return env.dot();
    case 'unary':
      return evaluateUnary(expr.op, evaluateNode(expr.operand, env));
    case 'binary':
      return evaluateBinary(expr.op, evaluateNode(expr.left, env), evaluateNode(expr.right, env), env);
  }
}

function evaluateUnary(op: '-' | '~' | '!' | '+', value: Value): Value {
  if (op === '+') return value;
  if (op === '-' && !isConstant(value)) return normalize(-value.constant, [value.sub], [value.add]);
  if (!isConstant(value)) throw new EvaluationError(`invalid operand for unary '${op}': the value is not absolute`);
  const v = value.constant;
  if (op === '-') return constantValue(wrap(-v));
  if (op === '~') return constantValue(wrap(~v));
  return constantValue(v === 0n ? 1n : 0n);
}

function evaluateBinary(op: BinaryOperator, left: Value, right: Value, env: EvaluationEnvironment): Value {
  if (op === '+') return normalize(wrap(left.constant + right.constant), [left.add, right.add], [left.sub, right.sub]);
  if (op === '-') return normalize(wrap(left.constant - right.constant), [left.add, right.sub], [left.sub, right.add]);
  if (isComparison(op) && (!isConstant(left) || !isConstant(right))) {
    const difference = evaluateBinary('-', left, right, env);
    if (!isConstant(difference)) throw new EvaluationError(`invalid operands for '${op}': values in different sections cannot be compared`);
    return constantValue(compare(op, difference.constant, 0n));
  }
  if (!isConstant(left) || !isConstant(right)) throw new EvaluationError(`invalid operands for '${op}': both must be absolute values`);
  return constantValue(applyAbsolute(op, left.constant, right.constant, env));
}

function isComparison(op: BinaryOperator): boolean {
  return op === '==' || op === '!=' || op === '<>' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

function compare(op: BinaryOperator, a: bigint, b: bigint): bigint {
  const truth = op === '==' ? a === b : op === '!=' || op === '<>' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  return truth ? -1n : 0n;
}

function shiftCount(count: bigint, env: EvaluationEnvironment): bigint | undefined {
  if (count >= 0n && count < 64n) return count;
  env.warn(`shift count out of range (${count} is not between 0 and 63)`);
  return undefined;
}

function applyAbsolute(op: BinaryOperator, a: bigint, b: bigint, env: EvaluationEnvironment): bigint {
  switch (op) {
    case '*': return wrap(a * b);
    case '/':
      if (b === 0n) throw new EvaluationError('division by zero');
      return wrap(a / b);
    case '%':
      if (b === 0n) throw new EvaluationError('division by zero');
      return wrap(a % b);
    case '<<': {
      const count = shiftCount(b, env);
      return count === undefined ? 0n : wrap(a << count);
    }
    case '>>': {
      const count = shiftCount(b, env);
      return count === undefined ? 0n : wrap(BigInt.asUintN(64, a) >> count);
    }
    case '|': return wrap(a | b);
    case '&': return wrap(a & b);
    case '^': return wrap(a ^ b);
    case '!': return wrap(a | ~b);
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    default: return compare(op, a, b);
  }
}

function sameTerm(a: Term, b: Term): boolean {
  if (a.region !== null && a.region === b.region) return true;
  return a.symbol !== null && a.symbol === b.symbol && a.offset === b.offset && a.region === b.region;
}

/** Cancels added/subtracted terms pairwise where their difference is known. */
function normalize(constant: bigint, adds: (Term | undefined)[], subs: (Term | undefined)[]): Value {
  const plus = adds.filter((t): t is Term => t !== undefined);
  const minus = subs.filter((t): t is Term => t !== undefined);
  for (let i = plus.length - 1; i >= 0; i--) {
    const match = minus.findIndex((m) => sameTerm(plus[i]!, m));
    if (match < 0) continue;
    constant = wrap(constant + plus[i]!.offset - minus[match]!.offset);
    plus.splice(i, 1);
    minus.splice(match, 1);
  }
  if (plus.length > 1) throw new EvaluationError(`can't add two relocatable values (${describeTerm(plus[0]!)} and ${describeTerm(plus[1]!)})`);
  if (minus.length > 1) throw new EvaluationError(`can't subtract two relocatable values (${describeTerm(minus[0]!)} and ${describeTerm(minus[1]!)})`);
  const value: { constant: bigint; add?: Term; sub?: Term } = { constant };
  if (plus[0]) value.add = plus[0];
  if (minus[0]) value.sub = minus[0];
  return value;
}

export function describeTerm(term: Term): string {
  if (term.symbol !== null) return `\`${term.symbol}'`;
  return term.section === null ? 'an undefined symbol' : `a label in ${term.section}`;
}
