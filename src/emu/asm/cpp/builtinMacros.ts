// GCC's dynamic built-in macros (GCC cpp manual "Standard Predefined Macros" and "Common
// Predefined Macros"): __FILE__, __LINE__, __COUNTER__, __INCLUDE_LEVEL__, __BASE_FILE__,
// __FILE_NAME__. __LINE__ inside a macro expansion is the line of the outermost invocation, as
// GCC resolves it to the expansion point. Owns: computing their one-token expansions.
// Must not know: the macro table or the token pipeline (it is handed what it needs).
import type { ExpansionFrame } from '../sourceLocation';
import type { BuiltinMacroKind } from './macroDefinition';
import { escapeForString } from './stringify';
import { PpToken } from './token';

export interface BuiltinMacroEnvironment {
  /** The presumed name and #line offset of the file being read. */
  currentFile(): { readonly presumedName: string; readonly lineDelta: number } | undefined;
  baseFile(): string;
  includeLevel(): number;
  nextCounter(): number;
}

/** The token `kind` expands to at `name` (its location and chain), or undefined for _Pragma. */
export function expandBuiltinMacro(kind: BuiltinMacroKind, name: PpToken, environment: BuiltinMacroEnvironment): PpToken | undefined {
  const frame: ExpansionFrame = { kind: 'cpp-macro', name: kind, site: name.location };
  const chain = [frame, ...name.expansion];
  const file = environment.currentFile();
  const make = (tokenKind: 'number' | 'string', text: string) => {
    const token = new PpToken(tokenKind, text, name.location, chain);
    token.prevWhite = name.prevWhite;
    return token;
  };
  switch (kind) {
    case '__FILE__':
      return make('string', quoted(file?.presumedName ?? name.location.file));
    case '__FILE_NAME__':
      return make('string', quoted(baseName(file?.presumedName ?? name.location.file)));
    case '__BASE_FILE__':
      return make('string', quoted(environment.baseFile()));
    case '__LINE__':
      return make('number', String(expansionPointLine(name) + (file?.lineDelta ?? 0)));
    case '__COUNTER__':
      return make('number', String(environment.nextCounter()));
    case '__INCLUDE_LEVEL__':
      return make('number', String(environment.includeLevel()));
    case '_Pragma':
      return undefined;
  }
}

function expansionPointLine(name: PpToken): number {
  let line = name.location.line;
  for (const frame of name.expansion) if (frame.kind === 'cpp-macro') line = frame.site.line;
  return line;
}

function quoted(text: string): string {
  return `"${escapeForString(text)}"`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
