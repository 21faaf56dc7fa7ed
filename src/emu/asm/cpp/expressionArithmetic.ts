// The arithmetic of #if (C11 §6.10.1p4, §6.5; GCC's libcpp/expr.cc num_* helpers): 64-bit intmax_t
// and uintmax_t with the usual arithmetic conversions, signed overflow reported (and wrapped),
// shifts by negative counts shifting the other way, division by zero reported only when the
// operand is evaluated. Owns: applying one operator to values. Must not know: tokens or parsing.
import type { PpValue } from './integerConstant';

export interface ArithmeticIssues {
  /** Called for problems in evaluated operands only. */
  overflow(): void;
  divisionByZero(): void;
}

const TRUE: PpValue = { value: 1n, unsigned: false };
const FALSE: PpValue = { value: 0n, unsigned: false };

export function truth(condition: boolean): PpValue {
  return condition ? TRUE : FALSE;
}

export function isZero(value: PpValue): boolean {
  return value.value === 0n;
}

/** Converts to unsigned when either operand is unsigned (C11 §6.3.1.8 for intmax types). */
export function convertPair(a: PpValue, b: PpValue): [PpValue, PpValue] {
  if (a.unsigned === b.unsigned) return [a, b];
  return [toUnsigned(a), toUnsigned(b)];
}

export function toUnsigned(a: PpValue): PpValue {
  return a.unsigned ? a : { value: BigInt.asUintN(64, a.value), unsigned: true };
}

function wrap(value: bigint, unsigned: boolean, issues: ArithmeticIssues): PpValue {
  if (unsigned) return { value: BigInt.asUintN(64, value), unsigned };
  const wrapped = BigInt.asIntN(64, value);
  if (wrapped !== value) issues.overflow();
  return { value: wrapped, unsigned };
}

export function applyUnary(op: string, a: PpValue, issues: ArithmeticIssues): PpValue {
  switch (op) {
    case '+':
      return a;
    case '-':
      return wrap(-a.value, a.unsigned, issues);
    case '~':
      return a.unsigned ? { value: BigInt.asUintN(64, ~a.value), unsigned: true } : { value: ~a.value, unsigned: false };
    default:
      return truth(isZero(a));
  }
}

export function applyBinary(op: string, left: PpValue, right: PpValue, issues: ArithmeticIssues): PpValue {
  if (op === '<<' || op === '>>') return shift(op, left, right, issues);
  if (op === ',') return right;
  if (op === '&&') return truth(!isZero(left) && !isZero(right));
  if (op === '||') return truth(!isZero(left) || !isZero(right));
  const [a, b] = convertPair(left, right);
  const unsigned = a.unsigned;
  switch (op) {
    case '+': return wrap(a.value + b.value, unsigned, issues);
    case '-': return wrap(a.value - b.value, unsigned, issues);
    case '*': return wrap(a.value * b.value, unsigned, issues);
    case '/':
    case '%': return divide(op, a, b, issues);
    case '<': return truth(a.value < b.value);
    case '>': return truth(a.value > b.value);
    case '<=': return truth(a.value <= b.value);
    case '>=': return truth(a.value >= b.value);
    case '==': return truth(a.value === b.value);
    case '!=': return truth(a.value !== b.value);
    case '&': return { value: a.value & b.value, unsigned };
    case '^': return { value: a.value ^ b.value, unsigned };
    default: return { value: a.value | b.value, unsigned };
  }
}

function divide(op: string, a: PpValue, b: PpValue, issues: ArithmeticIssues): PpValue {
  if (b.value === 0n) {
    issues.divisionByZero();
    return { value: 0n, unsigned: a.unsigned };
  }
  if (op === '%') return { value: a.value % b.value, unsigned: a.unsigned };
  return wrap(a.value / b.value, a.unsigned, issues);
}

/** GCC's num_lshift/num_rshift: the result has the left operand's type. */
function shift(op: string, left: PpValue, right: PpValue, issues: ArithmeticIssues): PpValue {
  let count = right.value;
  let leftShift = op === '<<';
  if (!right.unsigned && count < 0n) {
    leftShift = !leftShift;
    count = -count;
  }
  if (!leftShift) {
    if (count >= 64n) return { value: !left.unsigned && left.value < 0n ? -1n : 0n, unsigned: left.unsigned };
    return { value: left.value >> count, unsigned: left.unsigned };
  }
  if (count >= 64n) {
    if (!left.unsigned && left.value !== 0n) issues.overflow();
    return { value: 0n, unsigned: left.unsigned };
  }
  const shifted = left.unsigned ? BigInt.asUintN(64, left.value << count) : BigInt.asIntN(64, left.value << count);
  if (!left.unsigned && shifted >> count !== left.value) issues.overflow();
  return { value: shifted, unsigned: left.unsigned };
}
