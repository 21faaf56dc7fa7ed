// Test-only parser for single AT&T instruction statements ("rep movsl", "addl $1,4(%esp)"), so the
// encoder corpus and unit tests can state instructions as text. Handles the operand shapes the
// corpus generates: %reg, *%reg, $expr, [*][%seg:][expr][(base,index,scale)]; expressions of numbers,
// symbols, unary -/~ and binary +/-.
// Must not know: the real GAS front end (src/emu/asm/gas), which is far more complete.
import { constantExpr, symbolExpr, type Expr } from '../../../src/emu/asm/expression';
import type { MemoryOperand, Operand, ParsedInstruction } from '../../../src/emu/asm/instructionSyntax';

const PREFIX_WORDS = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'cs', 'ds', 'es', 'fs', 'gs', 'ss', 'data16', 'data32', 'addr16', 'addr32']);

class ExpressionReader {
  private position = 0;
  constructor(private readonly text: string) {}

  get rest(): string {
    return this.text.slice(this.position);
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++;
  }

  read(): Expr {
    let left = this.unary();
    for (;;) {
      this.skipSpaces();
      const op = this.text[this.position];
      if (op !== '+' && op !== '-') return left;
      this.position++;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    this.skipSpaces();
    const c = this.text[this.position];
    if (c === '-' || c === '~') {
      this.position++;
      return { kind: 'unary', op: c, operand: this.unary() };
    }
    if (c === '(') {
      this.position++;
      const inner = this.read();
      this.position++; // ')'
      return inner;
    }
    const match = /^(0x[0-9a-fA-F]+|[0-9]+|[A-Za-z_.][A-Za-z0-9_.$]*)/.exec(this.rest);
    if (!match) throw new Error(`bad expression at '${this.rest}' in '${this.text}'`);
    this.position += match[0].length;
    return /^[0-9]/.test(match[0]) ? constantExpr(BigInt(match[0])) : symbolExpr(match[0]);
  }
}

function stripPercent(name: string): string {
  return name.trim().replace(/^%/, '');
}

function parseMemory(text: string, indirect: boolean): MemoryOperand {
  let rest = text;
  let segment: string | undefined;
  const segmentMatch = /^%([a-z]{2}):/.exec(rest);
  if (segmentMatch) {
    segment = segmentMatch[1];
    rest = rest.slice(segmentMatch[0].length);
  }
  const open = rest.search(/\((%|,)/);
  const displacementText = open >= 0 ? rest.slice(0, open) : rest;
  const displacement = displacementText.trim() ? new ExpressionReader(displacementText.trim()).read() : undefined;
  let base: string | undefined;
  let index: string | undefined;
  let scale: 1 | 2 | 4 | 8 = 1;
  if (open >= 0) {
    const parts = rest.slice(open + 1, rest.lastIndexOf(')')).split(',');
    if (parts[0]?.trim()) base = stripPercent(parts[0]);
    if (parts[1]?.trim()) index = stripPercent(parts[1]);
    if (parts[2]?.trim()) scale = Number(parts[2]) as 1 | 2 | 4 | 8;
  }
  return {
    kind: 'memory',
    scale,
    indirect,
    ...(segment ? { segment } : {}),
    ...(displacement ? { displacement } : {}),
    ...(base ? { base } : {}),
    ...(index ? { index } : {}),
  };
}

export function parseOperand(text: string): Operand {
  const trimmed = text.trim();
  const indirect = trimmed.startsWith('*');
  const body = indirect ? trimmed.slice(1) : trimmed;
  if (body.startsWith('$')) return { kind: 'immediate', value: new ExpressionReader(body.slice(1)).read() };
  if (/^%[a-z0-9()]+$/.test(body) && !body.includes(':')) return { kind: 'register', register: stripPercent(body), indirect };
  return parseMemory(body, indirect);
}

/** Splits operands at commas outside parentheses. */
function splitOperands(text: string): string[] {
  const operands: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      operands.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.slice(start).trim()) operands.push(text.slice(start));
  return operands;
}

/** Parses one statement; the location is a placeholder. */
export function parseStatement(text: string): ParsedInstruction {
  const words = text.trim().split(/\s+/);
  const prefixes: string[] = [];
  while (words.length > 1 && PREFIX_WORDS.has(words[0]!.toLowerCase())) prefixes.push(words.shift()!);
  const mnemonic = words.shift()!.toLowerCase();
  const operandText = words.join(' ');
  return {
    mnemonic,
    prefixes,
    operands: splitOperands(operandText).map(parseOperand),
    location: { file: '<corpus>', line: 1, column: 1 },
    expansion: [],
    text: text.trim(),
  };
}

/** The constant value of an expression made only of numbers, or undefined if it names a symbol. */
export function evaluateConstant(expr: Expr): bigint | undefined {
  switch (expr.kind) {
    case 'constant':
      return expr.value;
    case 'unary': {
      const value = evaluateConstant(expr.operand);
      if (value === undefined) return undefined;
      return expr.op === '-' ? -value : expr.op === '~' ? ~value : expr.op === '!' ? (value === 0n ? 1n : 0n) : value;
    }
    case 'binary': {
      const left = evaluateConstant(expr.left);
      const right = evaluateConstant(expr.right);
      if (left === undefined || right === undefined) return undefined;
      return expr.op === '+' ? left + right : expr.op === '-' ? left - right : undefined;
    }
    default:
      return undefined;
  }
}
