// What a directive handler may use while its line is being read (GCC cpp manual "Preprocessor
// Directives"; C11 §6.10). Owns: the interface between the directive handlers and the
// preprocessor that runs them, plus the small helpers every handler needs.
// Must not know: any particular directive.
import type { DiagnosticSink } from '../diagnostics';
import type { SourceLocation } from '../sourceLocation';
import type { CppState } from './cppState';
import type { IncludeResolver } from './includeResolver';
import type { MacroExpander } from './macroExpander';
import type { MacroDefinition } from './macroDefinition';
import type { PpToken } from './token';
import type { OpenFile, TokenSource } from './tokenSource';

export interface HeaderSpec {
  readonly name: string;
  readonly angled: boolean;
}

export interface DirectiveContext {
  readonly state: CppState;
  readonly source: TokenSource;
  readonly expander: MacroExpander;
  readonly macros: Map<string, MacroDefinition>;
  readonly diagnostics: DiagnosticSink;
  readonly resolver: IncludeResolver;
  /** Opens an included file (after the directive line is finished). */
  includeFile(spec: HeaderSpec, site: SourceLocation, header: PpToken, next: boolean, once: boolean): void;
  /** Marks the file being read as #pragma once. */
  markOnce(path: string): void;
  /** GCC `#pragma push_macro` / `pop_macro` storage. */
  readonly pushedMacros: Map<string, (MacroDefinition | undefined)[]>;
  /** The identifiers `#pragma GCC poison` forbids. */
  readonly poisoned: Set<string>;
}

/** Something to do once the directive's line has been consumed (opening an #include). */
export type AfterDirective = (() => void) | void;

/** The next raw token of the directive line; `eof` at its end. */
export function readRaw(context: DirectiveContext): PpToken {
  return context.source.next();
}

/** The next macro-expanded token of the directive line, paddings skipped. */
export function readExpanded(context: DirectiveContext): PpToken {
  let token = context.expander.getToken();
  while (token.kind === 'padding') token = context.expander.getToken();
  return token;
}

/** GCC's check_eol: a warning when tokens follow what the directive takes. */
export function checkEndOfLine(context: DirectiveContext, directive: string, expand = false): void {
  const token = expand ? readExpanded(context) : readRaw(context);
  if (token.kind !== 'eof') context.diagnostics.warning(token.location, `extra tokens at end of #${directive} directive`, token.expansion);
}

export function currentFile(context: DirectiveContext): OpenFile | undefined {
  return context.source.current;
}

/** `"name"`, `<name>` or `<` tokens `>` from a macro (GCC's glue_header_name). */
export function readHeaderSpec(context: DirectiveContext, first: PpToken): HeaderSpec | undefined {
  if (first.kind === 'string') return { name: first.text.slice(1, -1), angled: false };
  if (first.kind === 'header-name') return { name: first.text.slice(1, -1), angled: true };
  if (!first.is('<')) return undefined;
  let name = '';
  for (let token = readExpanded(context); !token.is('>'); token = readExpanded(context)) {
    if (token.kind === 'eof') {
      context.diagnostics.error(token.location, 'missing terminating > character', token.expansion);
      break;
    }
    if (token.prevWhite) name += ' ';
    name += token.text;
  }
  return { name, angled: true };
}

/** The header operand right after `#include` or `__has_include(`, lexing `<...>` as one token. */
export function readHeaderToken(context: DirectiveContext): PpToken {
  context.state.angledHeaders = true;
  try {
    return readExpanded(context);
  } finally {
    context.state.angledHeaders = false;
  }
}
