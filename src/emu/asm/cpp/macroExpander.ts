// Macro replacement and rescanning (C11 §6.10.3.4; GCC's cpp_get_token_1 and enter_macro_context):
// a stack of expansion contexts over the token source. A macro is disabled while its own
// expansion is read, and a name of a disabled macro read then is painted so that it never
// expands (`#define A B` / `#define B A` terminates). Padding tokens are returned where GCC
// returns them (start of an expansion: standing for the macro name; end: "avoid paste").
// Every produced token gets its location (where its text was written) and expansion chain.
// The context stack is an array: expansion depth never becomes JavaScript recursion, except for
// arguments' pre-expansion nested inside arguments, which is bounded.
// Owns: the context stack. Must not know: directives, files, or the output format.
import type { DiagnosticSink } from '../diagnostics';
import type { ExpansionFrame } from '../sourceLocation';
import { collectInvocation } from './argumentCollector';
import { type MacroArgument, type SubstitutionHost, substituteArguments } from './argumentSubstitution';
import { type BuiltinMacroEnvironment, expandBuiltinMacro } from './builtinMacros';
import type { CppState } from './cppState';
import { ChainExtender } from './expansionChains';
import type { MacroDefinition } from './macroDefinition';
import { pasteAll } from './tokenPaste';
import type { TokenSource } from './tokenSource';
import { type PpToken, copyToken, eofToken, paddingToken } from './token';

/** Arguments whose own arguments hold macro calls nest this deep at most (GCC has no limit). */
export const MAX_ARGUMENT_NESTING = 200;

interface ExpansionContext {
  readonly tokens: readonly PpToken[];
  pos: number;
  readonly macro: MacroDefinition | null;
}

/** `_Pragma("...")`: the destringized text and where the operator was. */
export type PragmaOperatorHandler = (text: string, operator: PpToken) => void;

const NOWHERE = { file: '<built-in>', line: 0, column: 0 };

/** Ends every argument being pre-expanded (GCC's pfile->eof); never changed, so shared. */
const ARGUMENT_END = eofToken(NOWHERE);
ARGUMENT_END.endsArgument = true;

export class MacroExpander implements SubstitutionHost {
  readonly avoidPaste = paddingToken(null);
  private readonly contexts: ExpansionContext[] = [];
  private argumentNesting = 0;
  private nestingReported = false;

  constructor(
    readonly state: CppState,
    private readonly source: TokenSource,
    private readonly macros: ReadonlyMap<string, MacroDefinition>,
    readonly diagnostics: DiagnosticSink,
    private readonly builtins: BuiltinMacroEnvironment,
    private readonly onPragmaOperator: PragmaOperatorHandler,
  ) {}

  get depth(): number {
    return this.contexts.length;
  }

  /** Drops contexts above `depth` (a directive's expansions end with its line). */
  popTo(depth: number): void {
    while (this.contexts.length > depth) this.popContext();
  }

  /** The next token after macro expansion, paddings included. */
  getToken(): PpToken {
    for (;;) {
      const context = this.contexts[this.contexts.length - 1];
      let token: PpToken;
      if (!context) token = this.source.next();
      else if (context.pos < context.tokens.length) {
        token = context.tokens[context.pos++]!;
        if (token.pasteLeft) {
          this.pushTokens([pasteAll(context, token, this.diagnostics)]);
          return paddingToken(token);
        }
      } else {
        this.popContext();
        return this.avoidPaste;
      }
      if (token.kind !== 'name' || token.noExpand) return token;
      const macro = this.macros.get(token.text);
      if (!macro) return token;
      if (macro.disabled) return paint(token);
      if (this.state.preventExpansion > 0) return token;
      if (this.enterMacro(macro, token)) return paddingToken(token);
      return token;
    }
  }

  /** Puts back the token just read (from the top context, or from the token source). */
  backup(token: PpToken): void {
    const context = this.contexts[this.contexts.length - 1];
    if (context) context.pos--;
    else this.source.backup(token);
  }

  pushPadding(padding: PpToken): void {
    this.pushTokens([padding]);
  }

  /** The argument with every macro in it expanded, as if it were the rest of the file. */
  expand(argument: MacroArgument): readonly PpToken[] {
    if (argument.expanded) return argument.expanded;
    if (this.argumentNesting >= MAX_ARGUMENT_NESTING) return this.refuseNesting(argument);
    this.argumentNesting++;
    const base = this.contexts.length;
    this.contexts.push({ tokens: [...argument.raw, ARGUMENT_END], pos: 0, macro: null });
    const expanded: PpToken[] = [];
    for (let token = this.getToken(); token.kind !== 'eof'; token = this.getToken()) expanded.push(token);
    this.popTo(base);
    this.argumentNesting--;
    argument.expanded = expanded;
    return expanded;
  }

  private refuseNesting(argument: MacroArgument): readonly PpToken[] {
    const first = argument.raw.find((token) => token.kind !== 'padding');
    if (!this.nestingReported && first) {
      this.nestingReported = true;
      this.diagnostics.error(first.location, `macro arguments nested more than ${MAX_ARGUMENT_NESTING} deep; inner macros left unexpanded`, first.expansion);
    }
    argument.expanded = argument.raw;
    return argument.raw;
  }

  private enterMacro(macro: MacroDefinition, name: PpToken): boolean {
    if (macro.builtin) return this.enterBuiltin(macro, name);
    const frame: ExpansionFrame = { kind: 'cpp-macro', name: macro.name, site: name.location };
    const extender = new ChainExtender(frame);
    const bodyChain = extender.extend(name.expansion);
    let tokens: PpToken[];
    if (macro.functionLike) {
      const args = collectInvocation(macro, name, this);
      if (!args) return false;
      tokens = args.length > 0 ? substituteArguments(macro, args, bodyChain, extender, this) : copyBody(macro, bodyChain);
    } else {
      tokens = copyBody(macro, bodyChain);
    }
    macro.disabled = true;
    this.contexts.push({ tokens, pos: 0, macro });
    return true;
  }

  private enterBuiltin(macro: MacroDefinition, name: PpToken): boolean {
    if (macro.builtin === '_Pragma') return this.enterPragmaOperator(name);
    const token = expandBuiltinMacro(macro.builtin!, name, this.builtins);
    if (!token) return false;
    this.pushTokens([token]);
    return true;
  }

  /** `_Pragma ( string-literal )` (C11 §6.10.9): runs the pragma and expands to nothing. */
  private enterPragmaOperator(name: PpToken): boolean {
    const open = this.nextNonPadding();
    const literal = open.is('(') ? this.nextNonPadding() : open;
    const close = literal === open ? open : this.nextNonPadding();
    if (!open.is('(') || (literal.kind !== 'string' && literal.kind !== 'wide-string') || !close.is(')')) {
      this.diagnostics.error(name.location, '_Pragma takes a parenthesized string literal', name.expansion);
      if (close.kind === 'eof' && close.endsArgument) this.backup(close);
      return false;
    }
    this.onPragmaOperator(destringize(literal.text), name);
    this.pushTokens([]);
    return true;
  }

  private nextNonPadding(): PpToken {
    let token = this.getToken();
    while (token.kind === 'padding') token = this.getToken();
    return token;
  }

  private pushTokens(tokens: readonly PpToken[]): void {
    this.contexts.push({ tokens, pos: 0, macro: null });
  }

  private popContext(): void {
    const context = this.contexts.pop();
    if (context?.macro) context.macro.disabled = false;
  }
}

function copyBody(macro: MacroDefinition, chain: readonly ExpansionFrame[]): PpToken[] {
  const body = macro.body;
  const tokens = new Array<PpToken>(body.length);
  for (let i = 0; i < body.length; i++) tokens[i] = copyToken(body[i]!, body[i]!.location, chain);
  return tokens;
}

function paint(token: PpToken): PpToken {
  const painted = copyToken(token, token.location, token.expansion);
  painted.noExpand = true;
  return painted;
}

/** C11 §6.10.9: drop the L prefix and quotes, unescape \" and \\. */
function destringize(literal: string): string {
  const start = literal.startsWith('L') ? 2 : 1;
  return literal.slice(start, -1).replace(/\\(["\\])/g, '$1');
}
