// What a directive or instruction handler sees of the assembler: the statement being processed,
// diagnostics placed at a character of it, parse-time expressions, the current section and the
// ways to emit bytes or push more input. Implemented by GasAssembler.
// Must not know: how the main loop, macros or layout work inside.
import type { Expr } from '../expression';
import type { EncodeContext, EncodeResult, Encoder } from '../encoder/encoderContract';
import type { ParsedInstruction } from '../instructionSyntax';
import type { SourceFileSystem } from '../sourceFileSystem';
import type { LineEntryKind } from '../program';
import type { GasLine, PlacedLocation } from './gasLine';
import type { StatementCursor } from './statementCursor';
import type { SymbolTable } from './symbolTable';
import type { SectionRegistry } from './sectionRegistry';
import type { ConditionalStack } from './conditionals';
import type { MacroTable } from './macros';
import type { InputStack } from './inputStack';
import type { BlockCollector } from './blockCollector';
import type { ItemFixup, LineInfo, Position, SectionItem } from '../layout/sectionItems';
import type { Value } from './expressionEvaluator';

/** One statement of a line: [start, end) of line.text; `word` is its directive or mnemonic. */
export interface Statement {
  readonly line: GasLine;
  readonly start: number;
  readonly end: number;
  readonly word: string;
  readonly wordStart: number;
}

export interface GasOptions {
  readonly file: string;
  readonly fileSystem: SourceFileSystem;
  readonly encoder: Encoder;
  /** Directories searched by `.include` after the including file's directory. */
  readonly includePaths: readonly string[];
  /** Expansion depth limit for macros and repeats together (GAS: 100). */
  readonly maxExpansionDepth: number;
  /** Upper bound on lines produced by .rept/.irp/macros in one assembly (runaway protection). */
  readonly maxExpandedLines: number;
}

export interface GasContext {
  readonly options: GasOptions;
  readonly symbols: SymbolTable;
  readonly sections: SectionRegistry;
  readonly conditionals: ConditionalStack;
  readonly macros: MacroTable;
  readonly input: InputStack;
  readonly blocks: BlockCollector;
  codeSize: 16 | 32;

  locate(line: GasLine, offset: number): PlacedLocation;
  error(line: GasLine, offset: number, message: string): void;
  warning(line: GasLine, offset: number, message: string): void;
  note(line: GasLine, offset: number, message: string): void;

  /** Parses an expression at the cursor with dots placed at `dotOffset` bytes past the current position;
   *  absolute symbols are replaced by their current values. Reports errors and returns undefined. */
  parseExpression(statement: Statement, cursor: StatementCursor, dotOffset?: number): Expr | undefined;
  /** The parse-time value of an expression (labels in the same frag cancel), or an error message. */
  evaluateNow(expr: Expr, at?: { line: GasLine; offset: number }): { value: Value } | { error: string };
  /** Parses an expression that must be absolute now; reports `what` in the error. */
  parseAbsolute(statement: Statement, cursor: StatementCursor, what: string): bigint | undefined;
  /** Reports junk after the last operand; true when the statement ended cleanly. */
  expectEnd(statement: Statement, cursor: StatementCursor): boolean;

  position(offset?: number): Position;
  lineInfo(statement: Statement, kind: LineEntryKind): LineInfo;
  emitFixed(statement: Statement, kind: LineEntryKind, bytes: Uint8Array, fixups?: readonly ItemFixup[]): void;
  emitVariable(item: SectionItem & { kind: 'branch' | 'align' | 'org' | 'space' }): void;

  /** Defines `name` as an assignment (`=`, .set, .equ, .equiv). */
  assignSymbol(statement: Statement, name: string, nameOffset: number, cursor: StatementCursor, equiv: boolean): void;
  /** Stops reading input (`.end`). */
  endAssembly(): void;
  /** Checks the expansion depth limit before a macro/.rept/.irp expansion; reports and returns false when exceeded. */
  enterExpansion(statement: Statement): boolean;
  /** Charges `lines` generated lines against the runaway budget; reports and returns false when exhausted. */
  chargeExpansion(statement: Statement, lines: number): boolean;
  /** Notes a file read (`.include`). */
  recordFile(path: string): void;
  /** Encodes an instruction with the injected encoder (identical statements share one encoding). */
  encode(instruction: ParsedInstruction, context: EncodeContext): EncodeResult;
  /** Sets the STT_FILE symbol name (`.file "name"`). */
  setFileSymbol(name: string): void;
}
