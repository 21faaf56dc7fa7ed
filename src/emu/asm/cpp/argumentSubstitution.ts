// Argument substitution (C11 §6.10.3.1-3; GCC's replace_args): builds the token list of one
// function-like macro invocation from its replacement list. A parameter becomes its fully
// expanded argument, except next to `#` (stringified raw argument) or `##` (raw argument, with
// placemarker rules and GNU's `, ## __VA_ARGS__` comma removal when the variable argument was left
// out). __VA_OPT__(...) keeps its group only when the variable argument expands to something.
// Padding tokens are placed exactly where GCC places them so that spacing matches `gcc -E`.
// Owns: that list. Must not know: how arguments are collected or expanded, or what happens next.
import type { DiagnosticSink } from '../diagnostics';
import type { ExpansionChain } from '../sourceLocation';
import { findVaOptClose, isVaOpt } from './defineParser';
import type { ChainExtender } from './expansionChains';
import type { MacroDefinition } from './macroDefinition';
import { stringifyTokens } from './stringify';
import { pasteAll } from './tokenPaste';
import { type PpToken, copyToken, paddingToken } from './token';

export interface MacroArgument {
  /** The tokens as written (paddings from finished expansions included, none at either end). */
  readonly raw: readonly PpToken[];
  /** The variable argument was not written at all, as in `debug("x")` for `debug(fmt, args...)`. */
  readonly absent: boolean;
  expanded?: readonly PpToken[];
}

export interface SubstitutionHost {
  /** The argument fully macro-expanded (computed once, then cached by the host). */
  expand(argument: MacroArgument): readonly PpToken[];
  readonly diagnostics: DiagnosticSink;
  /** GCC's pfile->avoid_paste: the padding that ends every expansion. */
  readonly avoidPaste: PpToken;
}

export function substituteArguments(
  macro: MacroDefinition,
  args: readonly MacroArgument[],
  bodyChain: ExpansionChain,
  extender: ChainExtender,
  host: SubstitutionHost,
): PpToken[] {
  const substitution = new Substitution(macro, args, bodyChain, extender, host);
  substitution.run(0, macro.body.length);
  return substitution.out;
}

class Substitution {
  out: PpToken[] = [];

  constructor(
    private readonly macro: MacroDefinition,
    private readonly args: readonly MacroArgument[],
    private readonly bodyChain: ExpansionChain,
    private readonly extender: ChainExtender,
    private readonly host: SubstitutionHost,
  ) {}

  /**
   * Substitutes body[from, to). A parameter first in the body or in a __VA_OPT__ group (`inGroup`)
   * gets no padding before it, and in a group its expansion's leading paddings go too (GCC).
   */
  run(from: number, to: number, inGroup = false): void {
    const body = this.macro.body;
    for (let i = from; i < to; i++) {
      const src = body[i]!;
      if (isVaOpt(src, this.macro)) i = this.substituteVaOpt(i);
      else if (src.paramIndex < 0) this.out.push(copyToken(src, src.location, this.bodyChain));
      else this.substituteParameter(i, i === from, inGroup && i === from);
    }
  }

  private substituteParameter(index: number, atStart: boolean, atGroupStart: boolean): void {
    const body = this.macro.body;
    const src = body[index]!;
    const arg = this.args[src.paramIndex]!;
    const rightOfPaste = index > 0 && body[index - 1]!.pasteLeft;
    let pasteFlagIndex = -1;
    let tokens: readonly PpToken[];
    if (src.stringifyArg) tokens = [stringifyTokens(arg.raw, src.location, this.bodyChain, this.host.diagnostics)];
    else if (src.pasteLeft) tokens = arg.raw;
    else if (rightOfPaste) {
      tokens = arg.raw;
      pasteFlagIndex = this.placemarkerOrComma(src.paramIndex, arg, tokens.length === 0);
    } else {
      tokens = this.host.expand(arg);
      if (atGroupStart) tokens = withoutLeadingPadding(tokens);
    }
    if (!rightOfPaste && !atStart) this.out.push(paddingToken(src));
    if (tokens.length > 0) {
      // The string made by # is new text of this expansion: its chain is already the body's.
      if (src.stringifyArg) this.out.push(tokens[0]!);
      else for (const token of tokens) this.out.push(token.kind === 'padding' ? token : copyToken(token, token.location, this.extender.extend(token.expansion)));
      if (src.pasteLeft) pasteFlagIndex = this.out.length - 1;
    }
    if (!src.pasteLeft) this.out.push(this.host.avoidPaste);
    if (pasteFlagIndex >= 0) this.setPasteLeft(pasteFlagIndex, src.pasteLeft);
  }

  /**
   * The parameter is the right operand of `##`: returns the index of the token whose paste flag
   * must follow the parameter's, or -1. GNU: `, ## args` loses the comma when args was omitted.
   */
  private placemarkerOrComma(paramIndex: number, arg: MacroArgument, empty: boolean): number {
    const last = this.out.length - 1;
    if (last < 0) return -1;
    if (this.out[last]!.is(',') && this.macro.variadic && paramIndex === this.macro.params.length - 1) {
      if (!arg.absent) return last;
      this.out.pop();
      return -1;
    }
    return empty ? last : -1;
  }

  private setPasteLeft(index: number, pasteLeft: boolean): void {
    const token = this.out[index]!;
    if (token.kind !== 'padding') token.pasteLeft = pasteLeft;
  }

  /**
   * __VA_OPT__(group) at `index` (GCC's vaopt_state): padding before it as before a parameter,
   * its group kept only when the variable argument expands to something, then either the paste
   * continues from its last token or "avoid paste" follows. Returns the index of the group's `)`.
   */
  private substituteVaOpt(index: number): number {
    const body = this.macro.body;
    const src = body[index]!;
    const close = findVaOptClose(body, index)!;
    const variadic = this.args[this.macro.params.length - 1];
    const include = variadic !== undefined && this.host.expand(variadic).some((token) => token.kind !== 'padding');
    const pasteAfter = body[close]!.pasteLeft;
    if (index > 0 && !body[index - 1]!.pasteLeft) this.out.push(paddingToken(src));
    const start = this.out.length;
    if (src.stringifyArg) {
      const inner = new Substitution(this.macro, this.args, this.bodyChain, this.extender, this.host);
      if (include) inner.run(index + 2, close, true);
      const text = stringifyTokens(pasteInPlace(inner.out, this.host.diagnostics), src.location, this.bodyChain, this.host.diagnostics);
      text.pasteLeft = pasteAfter;
      this.out.push(text);
      return close;
    }
    if (include) this.run(index + 2, close, true);
    // An empty group is a placemarker: a `##` before it pastes nothing.
    if (this.out.length === start && start > 0) this.setPasteLeft(start - 1, false);
    if (!pasteAfter) {
      this.out.push(this.host.avoidPaste);
      return close;
    }
    while (this.out.length > start && this.out[this.out.length - 1] === this.host.avoidPaste) this.out.pop();
    if (this.out.length > 0) this.setPasteLeft(this.out.length - 1, true);
    return close;
  }
}

/** Performs the pastes inside a __VA_OPT__ group before it is stringified (GCC does the same). */
function pasteInPlace(tokens: readonly PpToken[], diagnostics: DiagnosticSink): PpToken[] {
  const cursor = { tokens, pos: 0 };
  const result: PpToken[] = [];
  while (cursor.pos < tokens.length) {
    const token = tokens[cursor.pos++]!;
    result.push(token.pasteLeft ? pasteAll(cursor, token, diagnostics) : token);
  }
  return result;
}

function withoutLeadingPadding(tokens: readonly PpToken[]): readonly PpToken[] {
  const first = tokens.findIndex((token) => token.kind !== 'padding');
  return first < 0 ? [] : tokens.slice(first);
}
