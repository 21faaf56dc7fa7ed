// The bottom of the token pipeline: the stack of files being read (the main file and its
// #includes), one token of push-back, directive recognition at the start of lines, skipping of
// failed conditional groups, and the "a new output line starts here" signal (GCC's _cpp_lex_token
// with its line_change callback). Owns: which file is read next. Must not know: what directives do,
// macros, or the output format.
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import type { CppState } from './cppState';
import type { FileLexer } from './lexer';
import { type PpToken, eofToken } from './token';

/** A conditional group opened in a file (C11 §6.10.1). */
export interface ConditionalFrame {
  /** The directive that opened or last continued the group: `if`, `ifdef`, `elif`, `else`... */
  directive: string;
  readonly location: SourceLocation;
  /** Skipping before the group began (the whole group is dead). */
  readonly wasSkipping: boolean;
  /** A branch was taken or the group is dead: later #elif/#else branches are skipped. */
  skipElses: boolean;
  sawElse: boolean;
}

/** A file on the include stack. */
export interface OpenFile {
  readonly lexer: FileLexer;
  /** The path (or `<builtin>/name`) used in locations. */
  readonly path: string;
  readonly expansion: ExpansionChain;
  readonly conditionals: ConditionalFrame[];
  /** Index of the include path the file was found in (for #include_next), -1 otherwise. */
  readonly foundInPath: number;
  /** #line adjustments for __LINE__ and __FILE__. */
  lineDelta: number;
  presumedName: string;
}

export interface TokenSourceHooks {
  /** Handles a directive whose `#` was read; false when the line is assembler text after all. */
  handleDirective(hash: PpToken): boolean;
  /** A token starts a new logical line of output (GCC's cb.line_change). */
  lineChange(token: PpToken): void;
  /** A file ended: report its unterminated conditionals. */
  fileEnded(file: OpenFile): void;
}

export class TokenSource {
  readonly files: OpenFile[] = [];
  private readonly lookahead: PpToken[] = [];
  private hooks: TokenSourceHooks | undefined;

  constructor(private readonly state: CppState) {}

  connect(hooks: TokenSourceHooks): void {
    this.hooks = hooks;
  }

  get current(): OpenFile | undefined {
    return this.files[this.files.length - 1];
  }

  pushFile(file: OpenFile): void {
    this.files.push(file);
  }

  /** Re-delivers `token` (the last one read from here) on the next call. */
  backup(token: PpToken): void {
    this.lookahead.push(token);
  }

  /** Drops push-back left by a directive line and the rest of that line. */
  endDirectiveLine(): void {
    this.lookahead.length = 0;
    this.current?.lexer.skipRestOfLine();
  }

  /** The next token: directives run, skipped groups vanish, files end into their includer. */
  next(): PpToken {
    const state = this.state;
    for (;;) {
      const token = this.lookahead.pop() ?? this.lexFromFiles();
      if (token.kind === 'eof' || state.inDirective) return token;
      if (token.bol) {
        if (token.kind === 'punctuator' && token.text === '#' && state.parsingArgs !== 1 && this.hooks!.handleDirective(token)) continue;
        if (state.skipping) {
          this.current?.lexer.skipRestOfLine();
          continue;
        }
        this.hooks!.lineChange(token);
      }
      if (state.skipping) continue;
      return token;
    }
  }

  /** Ends the main file: reports what it left open. */
  finish(): void {
    while (this.files.length > 0) this.hooks!.fileEnded(this.files.pop()!);
  }

  /** Abandons the files above `depth` without reporting (runaway recursive includes). */
  abandonAbove(depth: number): void {
    while (this.files.length > depth) this.files.pop();
    this.lookahead.length = 0;
  }

  private lexFromFiles(): PpToken {
    const state = this.state;
    for (;;) {
      const file = this.current;
      if (!file) return eofToken({ file: '<end>', line: 1, column: 1 });
      const token = state.inDirective ? file.lexer.nextInLine(state.angledHeaders) : file.lexer.next();
      if (token) return token;
      if (state.inDirective || state.parsingArgs !== 0 || this.files.length === 1) {
        return eofToken(file.lexer.endOfLineLocation(), file.expansion);
      }
      this.files.pop();
      this.hooks!.fileEnded(file);
    }
  }
}
