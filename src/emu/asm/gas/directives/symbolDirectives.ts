// Symbol directives: binding (.globl/.global, .local, .weak), visibility (.hidden, .internal,
// .protected), ELF type and size (.type, .size), assignments (.set, .equ, .equiv, .eqv), and the
// STT_FILE name (.file "name"; the DWARF form `.file N "name"` is accepted and ignored).
// Must not know: layout. Models GAS manual §7 (.global, .local, .weak, .hidden, .type, .size,
// .set, .equ, .equiv, .file).
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import type { SymbolType } from '../../object/objectModule';
import type { SymbolBinding } from '../../object/objectModule';
import type { SymbolVisibility } from '../symbolTable';
import { readMessageString } from '../stringLiterals';
import type { DirectiveHandler } from './directiveTable';

/** Reads a comma-separated list of symbol names; reports and returns undefined on junk. */
function readNames(ctx: GasContext, statement: Statement, cursor: StatementCursor): { name: string; offset: number }[] | undefined {
  const names: { name: string; offset: number }[] = [];
  for (;;) {
    const offset = cursor.restOffset();
    cursor.skipBlanks();
    const name = cursor.readName();
    if (!name) {
      ctx.error(statement.line, offset, `expected a symbol name after ${statement.word}`);
      return undefined;
    }
    names.push({ name, offset });
    cursor.skipBlanks();
    if (!cursor.eat(',')) break;
  }
  return ctx.expectEnd(statement, cursor) ? names : undefined;
}

function bind(binding: SymbolBinding): DirectiveHandler {
  return (ctx, statement, cursor) => {
    for (const { name } of readNames(ctx, statement, cursor) ?? []) {
      const entry = ctx.symbols.get(name);
      entry.binding = binding;
      entry.bindingDeclared = true;
    }
  };
}

function visibility(value: SymbolVisibility): DirectiveHandler {
  return (ctx, statement, cursor) => {
    for (const { name } of readNames(ctx, statement, cursor) ?? []) ctx.symbols.get(name).visibility = value;
  };
}

const TYPE_NAMES: Readonly<Record<string, SymbolType>> = {
  function: 'func', STT_FUNC: 'func', object: 'object', STT_OBJECT: 'object', notype: 'notype', STT_NOTYPE: 'notype',
};

function setType(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  cursor.skipBlanks();
  const name = cursor.readName();
  cursor.skipBlanks();
  if (!name || !cursor.eat(',')) {
    ctx.error(statement.line, cursor.pos, 'expected `.type name, @type`');
    return;
  }
  cursor.skipBlanks();
  const typeOffset = cursor.pos;
  if (cursor.peek() === '@' || cursor.peek() === '%' || cursor.peek() === '#') cursor.pos++;
  const quoted = cursor.peek() === '"' ? readMessageString(cursor) : undefined;
  const typeName = quoted ?? cursor.readName() ?? '';
  const type = TYPE_NAMES[typeName];
  if (!type) {
    ctx.error(statement.line, typeOffset, `unrecognized symbol type "${typeName}"`);
    return;
  }
  if (!ctx.expectEnd(statement, cursor)) return;
  ctx.symbols.get(name).type = type;
}

function setSize(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  cursor.skipBlanks();
  const name = cursor.readName();
  cursor.skipBlanks();
  if (!name || !cursor.eat(',')) {
    ctx.error(statement.line, cursor.pos, 'expected `.size name, expression`');
    return;
  }
  const expr = ctx.parseExpression(statement, cursor);
  if (!expr || !ctx.expectEnd(statement, cursor)) return;
  ctx.symbols.get(name).size = expr;
}

function assignment(equiv: boolean): DirectiveHandler {
  return (ctx, statement, cursor) => {
    cursor.skipBlanks();
    const nameOffset = cursor.pos;
    const name = cursor.readName();
    cursor.skipBlanks();
    if (!name || !cursor.eat(',')) {
      ctx.error(statement.line, cursor.pos, `expected \`${statement.word} name, expression'`);
      return;
    }
    ctx.assignSymbol(statement, name, nameOffset, cursor, equiv);
  };
}

function fileDirective(ctx: GasContext, statement: Statement, cursor: StatementCursor): void {
  cursor.skipBlanks();
  if (cursor.peek() !== '"') return;
  const name = readMessageString(cursor);
  if (name !== undefined && ctx.expectEnd(statement, cursor)) ctx.setFileSymbol(name);
}

export const symbolDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.globl', bind('global')], ['.global', bind('global')], ['.local', bind('local')], ['.weak', bind('weak')],
  ['.hidden', visibility('hidden')], ['.internal', visibility('internal')], ['.protected', visibility('protected')],
  ['.type', setType], ['.size', setSize],
  ['.set', assignment(false)], ['.equ', assignment(false)], ['.eqv', assignment(false)], ['.equiv', assignment(true)],
  ['.file', fileDirective],
];
