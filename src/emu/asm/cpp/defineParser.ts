// Parsing `#define` (C11 §6.10.3, GCC's create_iso_definition) into a MacroDefinition, with GCC's
// assembler-with-cpp leniency: in a function-like macro, `#` not followed by a parameter is an
// ordinary token ("let assembler get away with murder"). GNU named variadic parameters
// (`args...`), C99 `...`/__VA_ARGS__ and __VA_OPT__ are accepted.
// Owns: parameter lists and replacement lists. Must not know: the macro table or expansion.
import type { DiagnosticSink } from '../diagnostics';
import type { SourceLocation } from '../sourceLocation';
import { type MacroDefinition, isReservedMacroName } from './macroDefinition';
import { type PpToken, copyToken } from './token';

/** Reads the raw tokens of the directive line; `eof` at its end. */
export type DirectiveReader = () => PpToken;

interface ParameterList {
  readonly params: string[];
  readonly variadic: boolean;
}

/** Parses the tokens after `#define`; undefined (after reporting) when the definition is invalid. */
export function parseDefine(read: DirectiveReader, diagnostics: DiagnosticSink): MacroDefinition | undefined {
  const name = read();
  if (!checkMacroName(name, 'define', diagnostics)) return undefined;
  let next = read();
  let parameters: ParameterList | undefined;
  if (next.is('(') && !next.prevWhite) {
    parameters = parseParameters(read, diagnostics);
    if (!parameters) return undefined;
    next = read();
  } else if (next.kind !== 'eof' && !next.prevWhite) {
    diagnostics.warning(name.location, 'missing whitespace after the macro name', name.expansion);
  }
  const body = parseReplacementList(next, read, parameters, diagnostics);
  if (!body) return undefined;
  return {
    name: name.text,
    functionLike: parameters !== undefined,
    params: parameters?.params ?? [],
    variadic: parameters?.variadic ?? false,
    body,
    location: name.location,
    disabled: false,
  };
}

/** GCC's lex_macro_node checks for #define, #undef, #ifdef and #ifndef. */
export function checkMacroName(name: PpToken, directive: string, diagnostics: DiagnosticSink): boolean {
  if (name.kind === 'eof') {
    diagnostics.error(name.location, `no macro name given in #${directive} directive`, name.expansion);
    return false;
  }
  if (name.kind !== 'name') {
    diagnostics.error(name.location, 'macro names must be identifiers', name.expansion);
    return false;
  }
  if ((directive === 'define' || directive === 'undef') && isReservedMacroName(name.text)) {
    diagnostics.error(name.location, `"${name.text}" cannot be used as a macro name`, name.expansion);
    return false;
  }
  return true;
}

function parseParameters(read: DirectiveReader, diagnostics: DiagnosticSink): ParameterList | undefined {
  const params: string[] = [];
  for (;;) {
    let token = read();
    if (token.is(')') && params.length === 0) return { params, variadic: false };
    if (token.is('...')) {
      params.push('__VA_ARGS__');
      return expectClose(read(), diagnostics) ? { params, variadic: true } : undefined;
    }
    if (token.kind !== 'name') return parameterError(token, 'expected parameter name, found', 'expected parameter name before end of line', diagnostics);
    if (params.includes(token.text)) {
      diagnostics.error(token.location, `duplicate macro parameter "${token.text}"`, token.expansion);
      return undefined;
    }
    if (token.text === '__VA_ARGS__') diagnostics.warning(token.location, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', token.expansion);
    params.push(token.text);
    token = read();
    if (token.is('...')) return expectClose(read(), diagnostics) ? { params, variadic: true } : undefined;
    if (token.is(')')) return { params, variadic: false };
    if (!token.is(',')) return parameterError(token, "expected ',' or ')', found", "expected ')' before end of line", diagnostics);
  }
}

function expectClose(token: PpToken, diagnostics: DiagnosticSink): boolean {
  if (token.is(')')) return true;
  diagnostics.error(token.location, `expected ')' after "..."`, token.expansion);
  return false;
}

function parameterError(token: PpToken, found: string, atEnd: string, diagnostics: DiagnosticSink): undefined {
  diagnostics.error(token.location, token.kind === 'eof' ? atEnd : `${found} "${token.text}"`, token.expansion);
  return undefined;
}

/**
 * The replacement list, starting at `first`, with `#` and `##` folded into flags. As in GCC, a
 * parameter stringifies when the token kept before it is `#`, even across a dropped `##`.
 */
function parseReplacementList(first: PpToken, read: DirectiveReader, parameters: ParameterList | undefined, diagnostics: DiagnosticSink): PpToken[] | undefined {
  const body: PpToken[] = [];
  let lastPaste: PpToken | undefined;
  for (let token = first; token.kind !== 'eof'; token = read()) {
    const previous = body[body.length - 1];
    if (token.is('##')) {
      if (!previous) return pasteAtEnd(token, diagnostics);
      if (!lastPaste) previous.pasteLeft = true;
      lastPaste = token;
      continue;
    }
    lastPaste = undefined;
    let copy = copyToken(token, token.location, []);
    copy.pasteLeft = false;
    if (parameters && token.kind === 'name') markParameter(copy, parameters, diagnostics);
    else if (token.text === '__VA_ARGS__' && token.kind === 'name') diagnostics.warning(token.location, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', token.expansion);
    if (parameters && previous?.is('#') && (copy.paramIndex >= 0 || isVaOpt(copy, parameters))) {
      body.pop();
      copy = copyToken(copy, previous.location, []); // the string is written where `#` is
      copy.stringifyArg = true;
      copy.prevWhite = previous.prevWhite;
    }
    body.push(copy);
  }
  if (lastPaste) return pasteAtEnd(lastPaste, diagnostics);
  if (body[0]) body[0].prevWhite = false;
  return checkVaOpt(body, parameters, diagnostics) ? body : undefined;
}

function pasteAtEnd(token: PpToken, diagnostics: DiagnosticSink): undefined {
  diagnostics.error(token.location, "'##' cannot appear at either end of a macro expansion", token.expansion);
  return undefined;
}

function markParameter(token: PpToken, parameters: ParameterList, diagnostics: DiagnosticSink): void {
  const index = parameters.params.indexOf(token.text);
  if (index >= 0) {
    token.paramIndex = index;
    return;
  }
  if (token.text === '__VA_ARGS__') diagnostics.warning(token.location, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', token.expansion);
}

export function isVaOpt(token: PpToken, parameters: { readonly variadic: boolean } | undefined): boolean {
  return token.kind === 'name' && token.text === '__VA_OPT__' && parameters !== undefined && parameters.variadic;
}

/** __VA_OPT__ must be followed by a parenthesized group and may not nest (C2x §6.10.4.1). */
function checkVaOpt(body: readonly PpToken[], parameters: ParameterList | undefined, diagnostics: DiagnosticSink): boolean {
  for (let i = 0; i < body.length; i++) {
    const token = body[i]!;
    if (token.kind !== 'name' || token.text !== '__VA_OPT__') continue;
    if (!isVaOpt(token, parameters)) {
      diagnostics.warning(token.location, '__VA_OPT__ can only appear in the expansion of a C++20 variadic macro', token.expansion);
      continue;
    }
    const close = findVaOptClose(body, i);
    if (close === undefined) return reportVaOpt(token.location, body[i + 1]?.is('(') ? 'unterminated __VA_OPT__' : '__VA_OPT__ must be followed by an open parenthesis', diagnostics);
    for (let j = i + 2; j < close; j++) {
      if (isVaOpt(body[j]!, parameters)) return reportVaOpt(body[j]!.location, '__VA_OPT__ may not appear in a __VA_OPT__', diagnostics);
    }
    i = close;
  }
  return true;
}

function reportVaOpt(location: SourceLocation, message: string, diagnostics: DiagnosticSink): false {
  diagnostics.error(location, message);
  return false;
}

/** Index of the `)` closing the group after the __VA_OPT__ at `index`, or undefined. */
export function findVaOptClose(body: readonly PpToken[], index: number): number | undefined {
  if (!body[index + 1]?.is('(')) return undefined;
  let depth = 0;
  for (let j = index + 1; j < body.length; j++) {
    if (body[j]!.is('(')) depth++;
    else if (body[j]!.is(')') && --depth === 0) return j;
  }
  return undefined;
}
