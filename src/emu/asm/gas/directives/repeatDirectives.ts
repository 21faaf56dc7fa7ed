// .rept COUNT, .irp SYM,VALUES... and .irpc SYM,CHARS: collect the body up to the matching .endr,
// then feed COUNT (or one per value/character) copies through the input stack, generated one
// iteration at a time; every copy carries the frame {rept|irp|irpc, site = the directive, iteration}.
// A runaway count is refused up front (GAS would loop for minutes on `.rept 1000000000`).
// Must not know: the main loop. Models GAS manual §7 ".rept", ".irp", ".irpc", ".endr".
import type { PreprocessedLine } from '../../cpp/preprocessedText';
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { IterationSource } from '../inputStack';
import { withFrames, type GasLine, type PlacedLocation } from '../gasLine';
import { scrubArguments, substituteLine } from '../macros';
import type { ExpansionKind } from '../../sourceLocation';
import type { DirectiveHandler } from './directiveTable';

function beginRepeat(ctx: GasContext, statement: Statement, name: string, iterate: (body: readonly PreprocessedLine[], placed: PlacedLocation) => void): boolean {
  const placed = ctx.locate(statement.line, statement.wordStart);
  ctx.blocks.begin({
    kind: 'repeat',
    start: placed,
    description: name,
    complete: (body) => {
      if (body.length === 0 || !ctx.enterExpansion(statement)) return;
      iterate(body, placed);
    },
  });
  return true;
}

function frameFor(kind: ExpansionKind, name: string, placed: PlacedLocation, iteration: number) {
  return [{ kind, name, site: placed.location, iteration }, ...placed.expansion];
}

const rept: DirectiveHandler = (ctx, statement, cursor) => {
  const at = cursor.restOffset();
  const missing = cursor.atEnd();
  if (missing) ctx.error(statement.line, at, 'missing count after .rept');
  const count = missing ? undefined : ctx.parseAbsolute(statement, cursor, 'the .rept count');
  if (count !== undefined) ctx.expectEnd(statement, cursor);
  if (count !== undefined && count < 0n) ctx.error(statement.line, at, `negative count for .rept (${count}) - ignored`);
  const usable = count !== undefined && count > 0n ? count : 0n;
  return beginRepeat(ctx, statement, '.rept', (body, placed) => {
    if (!ctx.chargeExpansion(statement, Number(usable > 1n << 40n ? 1n << 40n : usable) * body.length)) return;
    ctx.input.push(new IterationSource(Number(usable), (k) => {
      const frames = frameFor('rept', '.rept', placed, k);
      return body.map((line) => withFrames(line, frames));
    }));
  });
};

/** `.irp`/`.irpc` header: the parameter name, then the rest of the statement after a comma. */
function readParameter(ctx: GasContext, statement: Statement, cursor: StatementCursor): { name: string; rest: string } | undefined {
  cursor.skipBlanks();
  const name = cursor.readName();
  if (!name) {
    ctx.error(statement.line, cursor.pos, `missing parameter name after ${statement.word}`);
    return undefined;
  }
  cursor.skipBlanks();
  cursor.eat(',');
  return { name, rest: scrubArguments(cursor.text.slice(cursor.pos, cursor.end).trim()) };
}

function splitValues(text: string): string[] {
  if (text === '') return [''];
  const values: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (depth === 0 && (c === ',' || c === ' ')) {
      values.push(current);
      current = '';
      while (text[i + 1] === ' ') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    current += c;
  }
  values.push(current);
  return values.map((v) => (v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v));
}

function iterateValues(kind: 'irp' | 'irpc'): DirectiveHandler {
  return (ctx, statement, cursor) => {
    const parameter = readParameter(ctx, statement, cursor);
    const values = parameter === undefined ? [] : kind === 'irp' ? splitValues(parameter.rest) : [...(parameter.rest || '')];
    if (kind === 'irpc' && values.length === 0) values.push('');
    const name = `.${kind}`;
    return beginRepeat(ctx, statement, name, (body, placed) => {
      if (!parameter || !ctx.chargeExpansion(statement, values.length * body.length)) return;
      const bindings = (k: number) => new Map([[parameter.name, values[k]!]]);
      const make = (k: number): GasLine[] => {
        const frames = frameFor(kind, name, placed, k);
        const bound = bindings(k);
        return body.map((line) => substituteLine(line, bound, undefined, frames));
      };
      ctx.input.push(new IterationSource(values.length, make));
    });
  };
}

export const repeatDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.rept', rept],
  ['.irp', iterateValues('irp')],
  ['.irpc', iterateValues('irpc')],
  ['.endr', (ctx, statement) => ctx.error(statement.line, statement.wordStart, '.endr encountered without preceding .rept, .irp, or .irpc')],
];
