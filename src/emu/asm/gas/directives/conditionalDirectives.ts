// Conditional assembly: .if/.ifeq/.ifne/.ifgt/.ifge/.iflt/.ifle (absolute expressions),
// .ifdef/.ifndef/.ifnotdef (symbol defined), .ifb/.ifnb (blank operand), .ifc/.ifnc and
// .ifeqs/.ifnes (string comparison), .elseif, .else and .endif. Conditions are not evaluated inside
// a false branch. These are the only directives processed while a branch is false.
// Must not know: the main loop. Models GAS manual §7 ".if absolute expression" and its family.
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { parseStringLiterals } from '../stringLiterals';
import type { DirectiveHandler } from './directiveTable';

type Test = (ctx: GasContext, statement: Statement, cursor: StatementCursor) => boolean | undefined;

function absoluteTest(predicate: (value: bigint) => boolean): Test {
  return (ctx, statement, cursor) => {
    if (cursor.atEnd()) {
      ctx.error(statement.line, cursor.pos, `missing expression after ${statement.word}`);
      return undefined;
    }
    const value = ctx.parseAbsolute(statement, cursor, `the condition of ${statement.word}`);
    if (value === undefined || !ctx.expectEnd(statement, cursor)) return undefined;
    return predicate(value);
  };
}

function definedTest(expected: boolean): Test {
  return (ctx, statement, cursor) => {
    cursor.skipBlanks();
    const name = cursor.readName();
    if (!name) {
      ctx.error(statement.line, cursor.pos, `expected a symbol name after ${statement.word}`);
      return undefined;
    }
    if (!ctx.expectEnd(statement, cursor)) return undefined;
    return (ctx.symbols.lookup(name)?.definition !== undefined) === expected;
  };
}

function blankTest(expected: boolean): Test {
  return (_ctx, _statement, cursor) => (cursor.rest() === '') === expected;
}

/** One `.ifc` operand: a quoted string (quotes removed) or text up to a comma, trimmed. */
function comparisonOperand(cursor: StatementCursor): string {
  cursor.skipBlanks();
  if (cursor.peek() === "'" || cursor.peek() === '"') {
    const quote = cursor.peek()!;
    const start = ++cursor.pos;
    while (cursor.pos < cursor.end && cursor.peek() !== quote) cursor.pos++;
    const text = cursor.text.slice(start, cursor.pos);
    cursor.pos++;
    return text;
  }
  const start = cursor.pos;
  while (cursor.pos < cursor.end && cursor.peek() !== ',') cursor.pos++;
  return cursor.text.slice(start, cursor.pos).trim();
}

function stringTest(expected: boolean, quoted: boolean): Test {
  return (ctx, statement, cursor) => {
    const read = (): string | undefined => {
      if (!quoted) return comparisonOperand(cursor);
      const parsed = parseStringLiterals(cursor);
      if (parsed.ok) return String.fromCharCode(...parsed.bytes);
      ctx.error(statement.line, parsed.offset, parsed.message);
      return undefined;
    };
    const first = read();
    cursor.skipBlanks();
    if (first === undefined) return undefined;
    if (!cursor.eat(',')) {
      ctx.error(statement.line, cursor.pos, `${statement.word} needs two operands separated by a comma`);
      return undefined;
    }
    const second = read();
    if (second === undefined || !ctx.expectEnd(statement, cursor)) return undefined;
    return (first === second) === expected;
  };
}

function opener(test: Test): DirectiveHandler {
  return (ctx, statement, cursor) => {
    const condition = ctx.conditionals.active ? test(ctx, statement, cursor) : undefined;
    ctx.conditionals.open(condition, ctx.locate(statement.line, statement.wordStart));
  };
}

const elseIf: DirectiveHandler = (ctx, statement, cursor) => {
  const condition = ctx.conditionals.elseIfNeedsCondition() ? absoluteTest((v) => v !== 0n)(ctx, statement, cursor) : undefined;
  if (!ctx.conditionals.elseIf(condition)) ctx.error(statement.line, statement.wordStart, '".elseif" without matching ".if"');
};

const elseDirective: DirectiveHandler = (ctx, statement) => {
  const result = ctx.conditionals.else(ctx.locate(statement.line, statement.wordStart));
  if (result === 'none') ctx.error(statement.line, statement.wordStart, '".else" without matching ".if"');
  else if (result !== 'ok') {
    const previous = result.duplicateOf.location;
    ctx.error(statement.line, statement.wordStart, `duplicate ".else" (the previous ".else" is at line ${previous.line}, column ${previous.column})`);
  }
};

const endif: DirectiveHandler = (ctx, statement) => {
  if (!ctx.conditionals.close()) ctx.error(statement.line, statement.wordStart, '".endif" without ".if"');
};

export const conditionalDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.if', opener(absoluteTest((v) => v !== 0n))],
  ['.ifne', opener(absoluteTest((v) => v !== 0n))],
  ['.ifeq', opener(absoluteTest((v) => v === 0n))],
  ['.ifgt', opener(absoluteTest((v) => v > 0n))],
  ['.ifge', opener(absoluteTest((v) => v >= 0n))],
  ['.iflt', opener(absoluteTest((v) => v < 0n))],
  ['.ifle', opener(absoluteTest((v) => v <= 0n))],
  ['.ifdef', opener(definedTest(true))],
  ['.ifndef', opener(definedTest(false))],
  ['.ifnotdef', opener(definedTest(false))],
  ['.ifb', opener(blankTest(true))],
  ['.ifnb', opener(blankTest(false))],
  ['.ifc', opener(stringTest(true, false))],
  ['.ifnc', opener(stringTest(false, false))],
  ['.ifeqs', opener(stringTest(true, true))],
  ['.ifnes', opener(stringTest(false, true))],
  ['.elseif', elseIf],
  ['.else', elseDirective],
  ['.endif', endif],
];
