// Preprocessing tokens (C11 §6.4 "pp-token") as the cpp subset carries them between its stages.
// Owns: the token shape, its kinds and the flags GCC's cpplib keeps per token (PREV_WHITE, BOL,
// NO_EXPAND, PASTE_LEFT, STRINGIFY_ARG), plus padding tokens that steer output spacing.
// Must not know: files, macros or directives; where tokens come from or go to.
import type { ExpansionChain, SourceLocation } from '../sourceLocation';

/**
 * `other` is any character that is no other token (`$`, `@`, `\`, a backquote) and, as in GCC's
 * assembler-with-cpp mode, an unterminated `'` or `"` together with the rest of its line.
 * `padding` carries no text: it marks where a macro expansion began or ended so that the
 * printer can decide on spaces the way GCC does. `eof` ends a file, a directive or an argument.
 */
export type TokenKind =
  | 'name'
  | 'number'
  | 'char'
  | 'wide-char'
  | 'string'
  | 'wide-string'
  | 'header-name'
  | 'punctuator'
  | 'other'
  | 'padding'
  | 'eof';

const PREV_WHITE = 1;
const BOL = 2;
const DIRECT = 4;
const NO_EXPAND = 8;
const PASTE_LEFT = 16;
const STRINGIFY_ARG = 32;
const VERBATIM = 64;
const ENDS_ARGUMENT = 128;

/** One token. Flags are packed into one number (there can be millions of tokens in flight). */
export class PpToken {
  private flags = 0;
  private knownLocation: SourceLocation | undefined;
  /** In a replacement list: the parameter's index, else -1. */
  paramIndex = -1;
  /** Direct tokens: the whitespace before the token on its line, comments replaced by one space. */
  leadingSpace = '';
  /** BOL tokens: the physical line where their logical line begins. */
  freshLine = 0;
  /** Padding tokens: the token whose whitespace the padding stands for (GCC's val.source). */
  source: PpToken | null = null;
  /** Position of the first character (tokens read from a file keep the numbers only, until asked). */
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(
    readonly kind: TokenKind,
    readonly text: string,
    location: SourceLocation | undefined,
    public expansion: ExpansionChain,
    file = location!.file,
    line = location!.line,
    column = location!.column,
  ) {
    this.knownLocation = location;
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** A token read from a file: its location object is only built when someone asks. */
  static lexed(kind: TokenKind, text: string, file: string, line: number, column: number, expansion: ExpansionChain): PpToken {
    return new PpToken(kind, text, undefined, expansion, file, line, column);
  }

  /** Where the token's text was written (a #define body for macro-produced tokens). */
  get location(): SourceLocation {
    return (this.knownLocation ??= { file: this.file, line: this.line, column: this.column });
  }

  /** Whitespace (or a comment) preceded the token; always true at the start of a line. */
  get prevWhite(): boolean { return (this.flags & PREV_WHITE) !== 0; }
  set prevWhite(on: boolean) { this.setFlag(PREV_WHITE, on); }
  /** First token of a fresh logical line, as read from a file. */
  get bol(): boolean { return (this.flags & BOL) !== 0; }
  set bol(on: boolean) { this.setFlag(BOL, on); }
  /** Read from a file, not produced by a macro: its leading whitespace is source text. */
  get direct(): boolean { return (this.flags & DIRECT) !== 0; }
  set direct(on: boolean) { this.setFlag(DIRECT, on); }
  /** Painted blue (C11 §6.10.3.4p2): never expanded again. */
  get noExpand(): boolean { return (this.flags & NO_EXPAND) !== 0; }
  set noExpand(on: boolean) { this.setFlag(NO_EXPAND, on); }
  /** In a replacement list, or after argument substitution: followed by `##`. */
  get pasteLeft(): boolean { return (this.flags & PASTE_LEFT) !== 0; }
  set pasteLeft(on: boolean) { this.setFlag(PASTE_LEFT, on); }
  /** In a replacement list: a parameter (or __VA_OPT__) preceded by `#`. */
  get stringifyArg(): boolean { return (this.flags & STRINGIFY_ARG) !== 0; }
  set stringifyArg(on: boolean) { this.setFlag(STRINGIFY_ARG, on); }
  /** Direct tokens: the text matches source columns one to one (no `\` continuation inside). */
  get verbatim(): boolean { return (this.flags & VERBATIM) !== 0; }
  set verbatim(on: boolean) { this.setFlag(VERBATIM, on); }
  /** `eof` tokens that end a macro argument may be backed up over (GCC's pfile->eof). */
  get endsArgument(): boolean { return (this.flags & ENDS_ARGUMENT) !== 0; }
  set endsArgument(on: boolean) { this.setFlag(ENDS_ARGUMENT, on); }

  is(punctuator: string): boolean {
    return this.kind === 'punctuator' && this.text === punctuator;
  }

  /** The flags that survive copying into an expansion. */
  copyFlagsFrom(token: PpToken): void {
    this.flags = token.flags & (PREV_WHITE | NO_EXPAND | PASTE_LEFT | STRINGIFY_ARG);
    this.paramIndex = token.paramIndex;
  }

  private setFlag(flag: number, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }
}

/** A copy of `token` with a new location and chain, keeping its spelling and flags. */
export function copyToken(token: PpToken, location: SourceLocation, expansion: ExpansionChain): PpToken {
  const copy = new PpToken(token.kind, token.text, location, expansion);
  copy.copyFlagsFrom(token);
  return copy;
}

const NOWHERE: SourceLocation = { file: '<padding>', line: 0, column: 0 };
const NO_FRAMES: ExpansionChain = [];

/** A padding token standing for `source` (null: "avoid paste" after an expansion ends). */
export function paddingToken(source: PpToken | null): PpToken {
  const padding = new PpToken('padding', '', NOWHERE, NO_FRAMES);
  padding.source = source;
  return padding;
}

export function eofToken(location: SourceLocation, expansion: ExpansionChain = []): PpToken {
  return new PpToken('eof', '', location, expansion);
}

export function isStringLike(token: PpToken): boolean {
  return token.kind === 'string' || token.kind === 'wide-string' || token.kind === 'char' || token.kind === 'wide-char';
}
