// Parses one AT&T operand: `%reg`, `$expr`, `*` (indirect jump/call target), `seg:` overrides and
// `disp(base,index,scale)` where any part may be missing and the displacement may itself start with
// a parenthesis (`(X+2)(%eax)`): the trailing parenthesised group is the base/index part only when
// it starts with `%` or `,`, as GAS decides. A bare expression is a memory operand.
// Must not know: encodings, symbol values. Models GAS manual §9.16.3 "i386 Memory References".
import type { Expr } from '../expression';
import type { MemoryOperand, Operand } from '../instructionSyntax';
import { registerInfo, type RegisterName } from '../../isa/registers';
import { isBlank } from './statementCursor';

export type OperandResult = { readonly ok: true; readonly operand: Operand } | { readonly ok: false; readonly offset: number; readonly message: string };

/** Parses [start, end) as a complete expression, or explains why not. */
export type RangeExpressionParser = (start: number, end: number) => Expr | { readonly offset: number; readonly message: string } | undefined;

interface RegisterRead {
  readonly name: RegisterName;
  readonly end: number;
}

function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && isBlank(text[start])) start++;
  while (end > start && isBlank(text[end - 1])) end--;
  return [start, end];
}

/** Reads `%name` (and `%st(N)`) at `at`. */
function readRegister(text: string, at: number, end: number): RegisterRead | { offset: number; message: string } {
  let i = at + 1;
  while (i < end && /[A-Za-z0-9]/.test(text[i]!)) i++;
  let name = text.slice(at + 1, i).toLowerCase();
  if (name === 'st') {
    const match = /^\(\s*([0-7])\s*\)/.exec(text.slice(i, end));
    if (match) {
      name = `st(${match[1]})`;
      i += match[0].length;
    }
  }
  if (!registerInfo(name)) return { offset: at, message: `bad register name \`%${text.slice(at + 1, i)}'` };
  return { name, end: i };
}

function matchingOpen(text: string, start: number, close: number): number {
  let depth = 0;
  for (let i = close; i >= start; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

export function parseOperand(text: string, start: number, end: number, expression: RangeExpressionParser): OperandResult {
  [start, end] = trimRange(text, start, end);
  if (start >= end) return { ok: false, offset: start, message: 'missing operand' };
  let indirect = false;
  if (text[start] === '*') {
    indirect = true;
    [start, end] = trimRange(text, start + 1, end);
  }
  if (text[start] === '$') {
    if (indirect) return { ok: false, offset: start, message: 'immediate operand illegal with absolute jump' };
    const value = expression(start + 1, end);
    if (!value || 'message' in value) return failure(value, start);
    return { ok: true, operand: { kind: 'immediate', value } };
  }
  let segment: RegisterName | undefined;
  if (text[start] === '%') {
    const register = readRegister(text, start, end);
    if ('message' in register) return { ok: false, ...register };
    const [after] = trimRange(text, register.end, end);
    if (after >= end) return { ok: true, operand: { kind: 'register', register: register.name, indirect } };
    if (text[after] !== ':') return { ok: false, offset: after, message: `junk \`${text.slice(after, end)}' after register` };
    if (registerInfo(register.name)?.class !== 'segment') return { ok: false, offset: start, message: `\`%${register.name}' is not a valid segment register` };
    segment = register.name;
    [start, end] = trimRange(text, after + 1, end);
  }
  return parseMemory(text, start, end, segment, indirect, expression);
}

function failure(value: { offset: number; message: string } | undefined, at: number): OperandResult {
  return value ? { ok: false, ...value } : { ok: false, offset: at, message: 'bad expression' };
}

function parseMemory(text: string, start: number, end: number, segment: RegisterName | undefined, indirect: boolean, expression: RangeExpressionParser): OperandResult {
  let displacementEnd = end;
  let baseIndex: { base?: RegisterName; index?: RegisterName; scale: 1 | 2 | 4 | 8 } = { scale: 1 };
  if (end > start && text[end - 1] === ')') {
    const open = matchingOpen(text, start, end - 1);
    if (open < 0) return { ok: false, offset: end - 1, message: "unbalanced ')' in operand" };
    const [innerStart] = trimRange(text, open + 1, end - 1);
    if (text[innerStart] === '%' || text[innerStart] === ',') {
      const parsed = parseBaseIndex(text, open + 1, end - 1, expression);
      if ('message' in parsed) return { ok: false, ...parsed };
      baseIndex = parsed;
      displacementEnd = open;
    }
  }
  const [dispStart, dispEnd] = trimRange(text, start, displacementEnd);
  let displacement: Expr | undefined;
  if (dispEnd > dispStart) {
    const value = expression(dispStart, dispEnd);
    if (!value || 'message' in value) return failure(value, dispStart);
    displacement = value;
  }
  if (!displacement && !baseIndex.base && !baseIndex.index) return { ok: false, offset: start, message: 'missing memory operand' };
  const operand: MemoryOperand = {
    kind: 'memory', scale: baseIndex.scale, indirect,
    ...(segment ? { segment } : {}), ...(displacement ? { displacement } : {}),
    ...(baseIndex.base ? { base: baseIndex.base } : {}), ...(baseIndex.index ? { index: baseIndex.index } : {}),
  };
  return { ok: true, operand };
}

function parseBaseIndex(text: string, start: number, end: number, expression: RangeExpressionParser): { base?: RegisterName; index?: RegisterName; scale: 1 | 2 | 4 | 8 } | { offset: number; message: string } {
  const parts: [number, number][] = [];
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text[i] === ',') {
      parts.push(trimRange(text, partStart, i));
      partStart = i + 1;
    }
  }
  if (parts.length > 3) return { offset: start, message: 'too many commas in memory operand: expected (base,index,scale)' };
  const register = (part: [number, number] | undefined): RegisterName | undefined | { offset: number; message: string } => {
    if (!part || part[0] >= part[1]) return undefined;
    if (text[part[0]] !== '%') return { offset: part[0], message: `expected a register, found \`${text.slice(part[0], part[1])}'` };
    const read = readRegister(text, part[0], part[1]);
    if ('message' in read) return read;
    if (read.end !== part[1]) return { offset: read.end, message: `junk \`${text.slice(read.end, part[1])}' after register` };
    return read.name;
  };
  const base = register(parts[0]);
  if (typeof base === 'object') return base;
  const index = register(parts[1]);
  if (typeof index === 'object') return index;
  let scale: 1 | 2 | 4 | 8 = 1;
  const scalePart = parts[2];
  if (scalePart && scalePart[1] > scalePart[0]) {
    const value = expression(scalePart[0], scalePart[1]);
    const constant = value && !('message' in value) && value.kind === 'constant' ? value.value : undefined;
    if (constant !== 1n && constant !== 2n && constant !== 4n && constant !== 8n) {
      return { offset: scalePart[0], message: `scale factor of ${text.slice(scalePart[0], scalePart[1])} is not one of 1, 2, 4 or 8` };
    }
    scale = Number(constant) as 1 | 2 | 4 | 8;
  }
  if (scalePart && index === undefined) return { offset: scalePart[0], message: 'a scale factor needs an index register' };
  return { scale, ...(base !== undefined ? { base } : {}), ...(index !== undefined ? { index } : {}) };
}
