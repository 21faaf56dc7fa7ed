// Section directives: .text/.data/.bss, `.section name[,"flags"[,@type]]` (flags a/w/x; M, S, G,
// T and friends accepted but not modelled), .previous, .pushsection/.popsection.
// Must not know: layout. Models GAS manual §7 ".section name (ELF Version)", ".previous",
// ".pushsection", ".popsection".
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { isBlank } from '../statementCursor';
import { defaultAttributes, type SectionAttributes } from '../sectionRegistry';
import type { SectionType } from '../../layout/sectionItems';
import type { DirectiveHandler } from './directiveTable';

const ACCEPTED_FLAGS = 'awxMSGTeoRd?';
const TYPES: Readonly<Record<string, SectionType>> = {
  progbits: 'progbits', nobits: 'nobits', note: 'note',
  init_array: 'progbits', fini_array: 'progbits', preinit_array: 'progbits',
};

function simpleSection(name: string): DirectiveHandler {
  return (ctx, statement, cursor) => {
    if (!cursor.atEnd()) {
      const subsection = ctx.parseAbsolute(statement, cursor, 'the subsection number');
      if (subsection !== undefined && subsection !== 0n) ctx.error(statement.line, statement.wordStart, 'subsections other than 0 are not supported');
      ctx.expectEnd(statement, cursor);
    }
    ctx.sections.switchTo(ctx.sections.obtain(name).section);
  };
}

function readSectionName(cursor: StatementCursor): string {
  cursor.skipBlanks();
  if (cursor.peek() === '"') {
    const start = ++cursor.pos;
    while (cursor.pos < cursor.end && cursor.peek() !== '"') cursor.pos++;
    const name = cursor.text.slice(start, cursor.pos);
    cursor.pos++;
    return name;
  }
  const start = cursor.pos;
  while (cursor.pos < cursor.end && cursor.peek() !== ',' && !isBlank(cursor.peek())) cursor.pos++;
  return cursor.text.slice(start, cursor.pos);
}

/** Parses `,"flags"[,@type...]` after the name; undefined attributes when none were given. */
function readAttributes(ctx: GasContext, statement: Statement, cursor: StatementCursor, name: string): { ok: boolean; attributes?: SectionAttributes } {
  cursor.skipBlanks();
  if (!cursor.eat(',')) return { ok: true };
  cursor.skipBlanks();
  if (cursor.peek() !== '"') {
    ctx.error(statement.line, cursor.pos, 'expected the section flags as a quoted string, such as "ax"');
    return { ok: false };
  }
  const flagsStart = ++cursor.pos;
  while (cursor.pos < cursor.end && cursor.peek() !== '"') cursor.pos++;
  const flagText = cursor.text.slice(flagsStart, cursor.pos);
  cursor.pos++;
  for (let i = 0; i < flagText.length; i++) {
    if (!ACCEPTED_FLAGS.includes(flagText[i]!) && !/[0-9]/.test(flagText[i]!)) {
      ctx.error(statement.line, flagsStart + i, `unknown section flag '${flagText[i]}' in .section: want a, w, x, M, S, G or T`);
      return { ok: false };
    }
  }
  let type = defaultAttributes(name).type;
  cursor.skipBlanks();
  if (cursor.eat(',')) {
    cursor.skipBlanks();
    const typeStart = cursor.pos;
    if (cursor.peek() === '@' || cursor.peek() === '%') cursor.pos++;
    const typeName = cursor.readName() ?? '';
    const known = TYPES[typeName];
    if (!known) {
      ctx.error(statement.line, typeStart, `unrecognized section type \`${cursor.text.slice(typeStart, cursor.pos)}'`);
      return { ok: false };
    }
    type = known;
    while (cursor.pos < cursor.end) cursor.pos++;
  }
  const flags = { alloc: flagText.includes('a'), write: flagText.includes('w'), exec: flagText.includes('x') };
  return { ok: true, attributes: { type, flags } };
}

function selectSection(ctx: GasContext, statement: Statement, cursor: StatementCursor, push: boolean): void {
  const nameOffset = cursor.restOffset();
  const name = readSectionName(cursor);
  if (!name) {
    ctx.error(statement.line, nameOffset, 'missing section name');
    return;
  }
  const parsed = readAttributes(ctx, statement, cursor, name);
  if (!parsed.ok || !ctx.expectEnd(statement, cursor)) return;
  const { section, created } = ctx.sections.obtain(name, parsed.attributes);
  if (!created && parsed.attributes) {
    const { flags, type } = parsed.attributes;
    const same = section.type === type && section.flags.alloc === flags.alloc && section.flags.write === flags.write && section.flags.exec === flags.exec;
    if (!same) ctx.warning(statement.line, nameOffset, `ignoring changed section attributes for ${name}`);
  }
  if (push) ctx.sections.push(section);
  else ctx.sections.switchTo(section);
}

export const sectionDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.text', simpleSection('.text')],
  ['.data', simpleSection('.data')],
  ['.bss', simpleSection('.bss')],
  ['.section', (ctx, statement, cursor) => selectSection(ctx, statement, cursor, false)],
  ['.pushsection', (ctx, statement, cursor) => selectSection(ctx, statement, cursor, true)],
  ['.popsection', (ctx, statement, cursor) => {
    if (!ctx.sections.pop()) ctx.error(statement.line, statement.wordStart, '.popsection without corresponding .pushsection; ignored');
    ctx.expectEnd(statement, cursor);
  }],
  ['.previous', (ctx, statement, cursor) => {
    ctx.sections.swapWithPrevious();
    ctx.expectEnd(statement, cursor);
  }],
];
