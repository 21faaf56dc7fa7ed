// Recognizing a function-like macro invocation and collecting its arguments (C11 §6.10.3p10-12;
// GCC's funlike_invocation_p and collect_args). The `(` may follow on a later line; if it does
// not come, the token read ahead is pushed back. Arguments may span lines; an assembler `#`
// line inside them separates arguments like a comma, as GCC does. Wrong argument counts and
// unterminated lists are errors (GCC's messages), and the invocation is then not expanded.
// Owns: argument boundaries and counts. Must not know: substitution or the output.
import type { DiagnosticSink } from '../diagnostics';
import type { MacroArgument } from './argumentSubstitution';
import type { CppState } from './cppState';
import type { MacroDefinition } from './macroDefinition';
import type { PpToken } from './token';

export interface ArgumentReader {
  getToken(): PpToken;
  backup(token: PpToken): void;
  /** Re-inserts the padding skipped while looking for `(` (GCC pushes it in its own context). */
  pushPadding(padding: PpToken): void;
  readonly state: CppState;
  readonly diagnostics: DiagnosticSink;
}

/** The arguments when `name` is followed by `(`...`)`, else undefined (nothing consumed). */
export function collectInvocation(macro: MacroDefinition, name: PpToken, reader: ArgumentReader): MacroArgument[] | undefined {
  const state = reader.state;
  state.preventExpansion++;
  state.parsingArgs = 1;
  try {
    let padding: PpToken | null = null;
    let token = reader.getToken();
    while (token.kind === 'padding') {
      // GCC 12: keep the padding that stands for whitespace; a later "avoid paste" cannot undo it.
      if (padding === null || padding.source === null || (!padding.source.prevWhite && token.source === null)) padding = token;
      token = reader.getToken();
    }
    if (token.is('(')) {
      state.parsingArgs = 2;
      return collectArguments(macro, name, reader);
    }
    // A file's or directive's end is read again anyway; an argument's end must be put back.
    if (token.kind !== 'eof' || token.endsArgument) reader.backup(token);
    if (padding) reader.pushPadding(padding);
    return undefined;
  } finally {
    state.preventExpansion--;
    state.parsingArgs = 0;
  }
}

function collectArguments(macro: MacroDefinition, name: PpToken, reader: ArgumentReader): MacroArgument[] | undefined {
  const args: MacroArgument[] = [];
  let current: PpToken[] = [];
  let depth = 0;
  const finishArgument = () => {
    while (current.length > 0 && current[current.length - 1]!.kind === 'padding') current.pop();
    args.push({ raw: current, absent: false });
    current = [];
  };
  let token: PpToken;
  for (;;) {
    token = reader.getToken();
    if (token.kind === 'padding') {
      if (current.length > 0) current.push(token);
      continue;
    }
    if (token.kind === 'eof') break;
    if (token.bol && token.is('#')) {
      finishArgument();
      continue;
    }
    if (token.is('(')) depth++;
    else if (token.is(')') && depth-- === 0) break;
    else if (token.is(',') && depth === 0 && !(macro.variadic && args.length + 1 === macro.params.length)) {
      finishArgument();
      continue;
    }
    current.push(token);
  }
  finishArgument();
  if (token.kind === 'eof') {
    if (token.endsArgument) reader.backup(token);
    reader.diagnostics.error(name.location, `unterminated argument list invoking macro "${macro.name}"`, name.expansion);
    return undefined;
  }
  return checkArgumentCount(macro, args, token, reader.diagnostics);
}

function checkArgumentCount(macro: MacroDefinition, args: MacroArgument[], close: PpToken, diagnostics: DiagnosticSink): MacroArgument[] | undefined {
  const expected = macro.params.length;
  let given = args.length;
  if (given === 1 && expected === 0 && args[0]!.raw.length === 0) given = 0;
  if (given === expected) {
    // GNU: a lone empty argument to a macro whose only parameter is variadic counts as omitted.
    if (macro.variadic && expected === 1 && args[0]!.raw.length === 0) return [{ raw: [], absent: true }];
    return expected === 0 ? [] : args;
  }
  if (given + 1 === expected && macro.variadic) return [...args.slice(0, given), { raw: [], absent: true }];
  const message =
    given < expected
      ? `macro "${macro.name}" requires ${expected} arguments, but only ${given} given`
      : `macro "${macro.name}" passed ${given} arguments, but takes just ${expected}`;
  diagnostics.error(close.location, message, close.expansion);
  diagnostics.report({ severity: 'note', message: `macro "${macro.name}" defined here`, location: macro.location });
  return undefined;
}
