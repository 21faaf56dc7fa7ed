// Everything else GAS accepts here: .include (GAS's own, not cpp's; searched beside the including
// file, then in the -I directories; recursion refused), .err/.error/.warning/.print, .end,
// .code16/.code32, and directives accepted without effect on the object (.ident, .loc, .arch,
// .att_syntax, CFI). `.intel_syntax` and common symbols are refused.
// Must not know: the main loop. Models GAS manual §7 (.include, .err, .error, .warning, .print,
// .end, .code16/.code32) and §9.16 (i386 syntax directives).
import type { GasContext, Statement } from '../gasContext';
import type { StatementCursor } from '../statementCursor';
import { SourceTextSource } from '../sourceText';
import { readMessageString } from '../stringLiterals';
import type { DirectiveHandler } from './directiveTable';

function resolveInclude(ctx: GasContext, name: string): { path: string; text: string } | undefined {
  const fs = ctx.options.fileSystem;
  const current = ctx.input.currentFile() ?? ctx.options.file;
  const directories = [fs.dirname(current), ...ctx.options.includePaths];
  for (const directory of name.startsWith('/') ? ['/'] : directories) {
    const path = fs.resolve(directory, name);
    const text = fs.readFile(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

const include: DirectiveHandler = (ctx, statement, cursor) => {
  const at = cursor.restOffset();
  const name = readMessageString(cursor);
  if (name === undefined) return void ctx.error(statement.line, at, 'expected a file name in double quotes after .include');
  if (!ctx.expectEnd(statement, cursor)) return;
  const found = resolveInclude(ctx, name);
  if (!found) return void ctx.error(statement.line, at, `can't open ${name} for reading: No such file or directory`);
  if (ctx.input.fileChain().includes(found.path)) return void ctx.error(statement.line, at, `recursive .include of \`${name}' (it is already being read)`);
  const placed = ctx.locate(statement.line, statement.wordStart);
  const frames = [{ kind: 'include' as const, name: found.path, site: placed.location }, ...placed.expansion];
  ctx.recordFile(found.path);
  ctx.input.push(new SourceTextSource(found.text, found.path, frames, 'include'));
};

function message(kind: 'error' | 'warning' | 'note', fallback: string): DirectiveHandler {
  return (ctx, statement, cursor) => {
    const text = cursor.atEnd() ? fallback : readMessageString(cursor);
    if (text === undefined) return void ctx.error(statement.line, cursor.pos, `expected a message in double quotes after ${statement.word}`);
    if (kind === 'error') ctx.error(statement.line, statement.wordStart, text);
    else if (kind === 'warning') ctx.warning(statement.line, statement.wordStart, text);
    else ctx.note(statement.line, statement.wordStart, text);
  };
}

function codeSize(size: 16 | 32): DirectiveHandler {
  return (ctx, statement, cursor) => {
    if (ctx.expectEnd(statement, cursor)) ctx.codeSize = size;
  };
}

const ignored: DirectiveHandler = () => undefined;

function refused(reason: string): DirectiveHandler {
  return (ctx, statement) => ctx.error(statement.line, statement.wordStart, `${statement.word} is not supported: ${reason}`);
}

const cfiIgnored: DirectiveHandler = (ctx, statement) => {
  ctx.warning(statement.line, statement.wordStart, `${statement.word} ignored: no call frame information (.eh_frame) is produced`);
};

const CFI = ['startproc', 'endproc', 'def_cfa', 'def_cfa_offset', 'def_cfa_register', 'offset', 'adjust_cfa_offset', 'rel_offset', 'restore', 'remember_state', 'restore_state', 'sections', 'signal_frame', 'undefined', 'same_value', 'escape', 'register', 'return_column'];

export const miscDirectives: ReadonlyArray<readonly [string, DirectiveHandler]> = [
  ['.include', include],
  ['.err', (ctx, statement) => ctx.error(statement.line, statement.wordStart, '.err encountered')],
  ['.error', message('error', '.error directive invoked in source file')],
  ['.warning', message('warning', '.warning directive invoked in source file')],
  ['.print', message('note', '')],
  ['.end', (ctx: GasContext, _statement: Statement, _cursor: StatementCursor) => ctx.endAssembly()],
  ['.code32', codeSize(32)], ['.code16', codeSize(16)],
  ['.ident', ignored], ['.loc', ignored], ['.loc_mark_labels', ignored], ['.arch', ignored], ['.att_syntax', ignored],
  ['.intel_syntax', refused('only AT&T syntax is assembled')],
  ['.comm', refused('common symbols are not modelled')], ['.lcomm', refused('common symbols are not modelled')],
  ...CFI.map((name) => [`.cfi_${name}`, cfiIgnored] as const),
];
