// Macro definitions (C11 §6.10.3) and the macro table. Owns: what a macro is, GCC's rule for
// when a redefinition is "the same" (C11 §6.10.3p2: same parameters, same replacement list with
// the same whitespace separation), and the built-in dynamic macros' names.
// Must not know: how macros are parsed from #define lines or expanded.
import type { SourceLocation } from '../sourceLocation';
import type { PpToken } from './token';

/** Macros whose expansion is computed at the point of use (GCC's BT_* builtins). */
export type BuiltinMacroKind = '__FILE__' | '__LINE__' | '__COUNTER__' | '__INCLUDE_LEVEL__' | '__BASE_FILE__' | '__FILE_NAME__' | '_Pragma';

export const BUILTIN_MACRO_NAMES: readonly BuiltinMacroKind[] = ['__FILE__', '__LINE__', '__COUNTER__', '__INCLUDE_LEVEL__', '__BASE_FILE__', '__FILE_NAME__', '_Pragma'];

export interface MacroDefinition {
  readonly name: string;
  readonly functionLike: boolean;
  readonly params: readonly string[];
  /** The last parameter takes the remaining arguments (`...` or GNU `name...`). */
  readonly variadic: boolean;
  /** Replacement list: parameters carry paramIndex, `#x` is one token flagged stringifyArg,
   *  `##` is folded into pasteLeft on the token before it. The first token has no prevWhite. */
  readonly body: readonly PpToken[];
  /** Where the macro name was written in its #define (or `<built-in>`). */
  readonly location: SourceLocation;
  readonly builtin?: BuiltinMacroKind;
  /** True while the macro's own expansion is being rescanned (C11 §6.10.3.4p2). */
  disabled: boolean;
}

export function builtinMacro(kind: BuiltinMacroKind): MacroDefinition {
  return { name: kind, functionLike: false, params: [], variadic: false, body: [], location: { file: '<built-in>', line: 0, column: 0 }, builtin: kind, disabled: false };
}

/** GCC's compare_macros: true when a redefinition changes nothing. */
export function sameDefinition(a: MacroDefinition, b: MacroDefinition): boolean {
  if (a.builtin || b.builtin) return false;
  if (a.functionLike !== b.functionLike || a.variadic !== b.variadic || a.params.length !== b.params.length) return false;
  if (a.params.some((param, i) => param !== b.params[i])) return false;
  if (a.body.length !== b.body.length) return false;
  return a.body.every((token, i) => sameReplacementToken(token, b.body[i]!));
}

function sameReplacementToken(a: PpToken, b: PpToken): boolean {
  return (
    a.kind === b.kind &&
    a.text === b.text &&
    a.prevWhite === b.prevWhite &&
    a.paramIndex === b.paramIndex &&
    a.stringifyArg === b.stringifyArg &&
    a.pasteLeft === b.pasteLeft
  );
}

/** Names that can never be macros (GCC: "defined" and the __has_include operator). */
export function isReservedMacroName(name: string): boolean {
  return name === 'defined' || name === '__has_include' || name === '__has_include_next';
}
