// The GNU as front end's main loop: reads lines from the input stack, hands lines to a block
// collector while a .macro/.rept body is open, splits lines into statements, defines labels
// (including numeric local labels) and `sym = expr` assignments, and dispatches each statement to
// a directive, a macro expansion or the instruction encoder, skipping what a false `.if` hides.
// Owns the per-assembly state (symbols, sections, macros, conditionals) behind GasContext.
// Must not know: layout, relocations, ELF. Models GAS manual §3 "Syntax" and §7 "Pseudo Ops".
import type { DiagnosticSink } from '../diagnostics';
import type { Expr } from '../expression';
import type { LineEntryKind } from '../program';
import type { ItemFixup, LineInfo, Position, SectionItem } from '../layout/sectionItems';
import { LineBuilder, locateInGasLine, type GasLine, type PlacedLocation } from './gasLine';
import { isDigit, splitStatements, StatementCursor } from './statementCursor';
import { SymbolTable } from './symbolTable';
import { SectionRegistry } from './sectionRegistry';
import { ConditionalStack } from './conditionals';
import { MacroTable } from './macros';
import { ArraySource, InputStack, type LineSource } from './inputStack';
import { BlockCollector } from './blockCollector';
import { parseExpression } from './expressionParser';
import { evaluateExpr, EvaluationError, isConstant, type Value } from './expressionEvaluator';
import { parseTimePositions, SymbolEnvironment } from './symbolValues';
import { snapshotExpr } from './exprSnapshot';
import { dispatchDirective, isConditionalDirective } from './directives/directiveTable';
import { expandMacroInvocation } from './directives/macroDirectives';
import { assembleInstruction } from './instructionStatement';
import { assignSymbol, defineLabel, finishAssembly } from './symbolDefinitions';
import type { GasContext, GasOptions, Statement } from './gasContext';
import { EncodingCache } from './encodingCache';
import type { EncodeContext, EncodeResult } from '../encoder/encoderContract';
import type { ParsedInstruction } from '../instructionSyntax';
import type { SectionContent } from '../layout/sectionItems';

const NO_FIXUPS: readonly ItemFixup[] = Object.freeze([]);

export interface GasResult {
  readonly sections: readonly SectionContent[];
  readonly symbols: SymbolTable;
  readonly fileSymbol?: { readonly name: string; readonly order: number };
  /** Files read by `.include`. */
  readonly includedFiles: readonly string[];
}

export class GasAssembler implements GasContext {
  readonly symbols = new SymbolTable();
  readonly sections = new SectionRegistry(() => this.symbols.nextOrder());
  readonly conditionals = new ConditionalStack();
  readonly macros = new MacroTable();
  readonly input = new InputStack();
  readonly blocks = new BlockCollector();
  codeSize: 16 | 32 = 32;
  private fileSymbol: { name: string; order: number } | undefined;
  private expandedLines = 0;
  private readonly includedFiles: string[] = [];
  private readonly encodings: EncodingCache;
  private readonly environment: SymbolEnvironment;
  private warningTarget: { line: GasLine; offset: number } | undefined;
  private readonly evaluationEnvironment = {
    symbolValue: (name: string) => this.environment.symbolValue(name),
    dot: () => this.environment.dot(),
    warn: (message: string) => {
      if (this.warningTarget) this.warning(this.warningTarget.line, this.warningTarget.offset, message);
    },
  };

  constructor(
    readonly options: GasOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.encodings = new EncodingCache(options.encoder);
    this.environment = new SymbolEnvironment(this.symbols, parseTimePositions, () => undefined, () => this.sections.current.position());
  }

  run(source: LineSource): GasResult {
    this.input.push(source);
    for (;;) {
      if (this.sink.saturated) break;
      const line = this.input.next();
      if (!line) break;
      if (this.blocks.collecting) this.blocks.feed(line);
      else this.processLine(line);
    }
    finishAssembly(this, this.blocks, this.conditionals);
    return { sections: this.sections.all(), symbols: this.symbols, includedFiles: this.includedFiles, ...(this.fileSymbol ? { fileSymbol: this.fileSymbol } : {}) };
  }

  private processLine(line: GasLine): void {
    const text = line.text;
    if (text.length === 0) return;
    const ranges = splitStatements(text);
    for (let index = 0; index < ranges.length; index++) {
      const range = ranges[index]!;
      const mark = this.input.size;
      const stopLine = this.processStatement(line, range.start, range.end);
      if (stopLine || this.blocks.collecting) return;
      if (this.input.size > mark && index + 1 < ranges.length) {
        const rest = new LineBuilder(line);
        rest.copy(ranges[index + 1]!.start, text.length);
        this.input.insertAt(mark, new ArraySource('rest-of-line', [rest.build(line.frames)]));
        return;
      }
    }
  }

  /** Returns true when the rest of the line must be ignored. */
  private processStatement(line: GasLine, start: number, end: number): boolean {
    const cursor = new StatementCursor(line.text, start, end);
    if (!this.conditionals.active) return this.processInactive(line, cursor);
    for (;;) {
      cursor.skipBlanks();
      const at = cursor.pos;
      const c = cursor.peek();
      if (c === undefined) return false;
      if (isDigit(c)) {
        let j = at;
        while (j < end && isDigit(line.text[j])) j++;
        if (line.text[j] !== ':') {
          this.error(line, at, `junk at start of statement: \`${line.text.slice(at, end).trim()}'`);
          return false;
        }
        defineLabel(this, line, at, line.text.slice(at, j), true);
        cursor.pos = j + 1;
        continue;
      }
      const name = cursor.readName();
      if (name === undefined) break;
      cursor.skipBlanks();
      if (cursor.peek() === ':') {
        cursor.pos++;
        defineLabel(this, line, at, name, false);
        continue;
      }
      if (cursor.peek() === '=' && cursor.peek(1) !== '=') {
        cursor.pos++;
        const statement: Statement = { line, start, end, word: name, wordStart: at };
        this.assignSymbol(statement, name, at, cursor, false);
        return false;
      }
      cursor.pos = at;
      break;
    }
    return this.dispatch(line, cursor, start, end);
  }

  private dispatch(line: GasLine, cursor: StatementCursor, start: number, end: number): boolean {
    const wordStart = cursor.pos;
    const word = cursor.readName();
    if (word === undefined) {
      this.error(line, wordStart, `junk at start of statement: \`${line.text.slice(wordStart, end).trim()}'`);
      return false;
    }
    const statement: Statement = { line, start, end, word, wordStart };
    if (word.startsWith('.')) {
      const handled = dispatchDirective(this, statement, cursor);
      if (handled !== undefined) return handled;
      const macro = this.macros.lookup(word);
      if (macro) return expandMacroInvocation(this, statement, cursor, macro);
      this.error(line, wordStart, `unknown pseudo-op: \`${word.toLowerCase()}'`);
      return false;
    }
    const macro = this.macros.lookup(word);
    if (macro) return expandMacroInvocation(this, statement, cursor, macro);
    assembleInstruction(this, statement, cursor);
    return false;
  }

  private processInactive(line: GasLine, cursor: StatementCursor): boolean {
    const text = line.text;
    const match = /^[ \t]*(?:(?:[A-Za-z_.$][\w.$]*|\d+)[ \t]*:[ \t]*)*(\.[A-Za-z_]\w*)/.exec(text.slice(cursor.pos, cursor.end));
    if (!match || !isConditionalDirective(match[1]!.toLowerCase())) return false;
    cursor.pos += match[0].length - match[1]!.length;
    return this.dispatch(line, cursor, cursor.pos, cursor.end);
  }

  locate(line: GasLine, offset: number): PlacedLocation {
    return locateInGasLine(line, offset);
  }

  error(line: GasLine, offset: number, message: string): void {
    const placed = this.locate(line, offset);
    this.sink.error(placed.location, message, placed.expansion);
  }

  warning(line: GasLine, offset: number, message: string): void {
    const placed = this.locate(line, offset);
    this.sink.warning(placed.location, message, placed.expansion);
  }

  note(line: GasLine, offset: number, message: string): void {
    const placed = this.locate(line, offset);
    this.sink.report({ severity: 'note', message, location: placed.location, ...(placed.expansion.length ? { expansion: placed.expansion } : {}) });
  }

  parseExpression(statement: Statement, cursor: StatementCursor, dotOffset = 0): Expr | undefined {
    const parsed = parseExpression(cursor, { localLabel: (label, direction) => this.symbols.numericReference(label, direction) });
    if (!parsed.ok) {
      this.error(statement.line, parsed.error.offset, parsed.error.message);
      return undefined;
    }
    return snapshotExpr(parsed.expr, this.symbols, () => this.sections.current.position(dotOffset));
  }

  evaluateNow(expr: Expr, at?: { line: GasLine; offset: number }): { value: Value } | { error: string } {
    if (expr.kind === 'constant') return { value: { constant: expr.value } };
    this.warningTarget = at;
    try {
      return { value: evaluateExpr(expr, this.evaluationEnvironment) };
    } catch (error) {
      if (error instanceof EvaluationError) return { error: error.message };
      throw error;
    } finally {
      this.warningTarget = undefined;
    }
  }

  parseAbsolute(statement: Statement, cursor: StatementCursor, what: string): bigint | undefined {
    const at = cursor.restOffset();
    const expr = this.parseExpression(statement, cursor);
    if (!expr) return undefined;
    const result = this.evaluateNow(expr, { line: statement.line, offset: at });
    if ('error' in result) {
      this.error(statement.line, at, result.error);
      return undefined;
    }
    if (!isConstant(result.value)) {
      this.error(statement.line, at, `${what} is not a constant`);
      return undefined;
    }
    return result.value.constant;
  }

  expectEnd(statement: Statement, cursor: StatementCursor): boolean {
    if (cursor.atEnd()) return true;
    this.error(statement.line, cursor.pos, `junk at end of line, first unrecognized character is \`${cursor.peek()}'`);
    return false;
  }

  position(offset = 0): Position {
    return this.sections.current.position(offset);
  }

  lineInfo(statement: Statement, kind: LineEntryKind): LineInfo {
    const placed = this.locate(statement.line, statement.wordStart);
    return { kind, location: placed.location, expansion: placed.expansion, text: statement.line.text.slice(statement.wordStart, statement.end).trim() };
  }

  emitFixed(statement: Statement, kind: LineEntryKind, bytes: Uint8Array, fixups: readonly ItemFixup[] = NO_FIXUPS): void {
    const section = this.sections.current;
    if (section.type === 'nobits' && (fixups.length > 0 || bytes.some((b) => b !== 0))) {
      this.error(statement.line, statement.wordStart, `attempt to store non-zero value in section \`${section.name}'`);
      bytes = new Uint8Array(bytes.length);
      fixups = [];
    }
    section.addFixed({ kind: 'fixed', bytes, fixups, line: this.lineInfo(statement, kind) });
  }

  emitVariable(item: SectionItem & { kind: 'branch' | 'align' | 'org' | 'space' }): void {
    this.sections.current.addVariable(item);
  }

  assignSymbol(statement: Statement, name: string, nameOffset: number, cursor: StatementCursor, equiv: boolean): void {
    assignSymbol(this, statement, name, nameOffset, cursor, equiv);
  }

  endAssembly(): void {
    this.input.stop();
  }

  enterExpansion(statement: Statement): boolean {
    if (this.input.expansionDepth() < this.options.maxExpansionDepth) return true;
    this.error(statement.line, statement.wordStart, `macros nested too deeply (more than ${this.options.maxExpansionDepth} levels of .macro/.rept expansion)`);
    return false;
  }

  chargeExpansion(statement: Statement, lines: number): boolean {
    this.expandedLines += lines;
    if (this.expandedLines <= this.options.maxExpandedLines) return true;
    this.error(statement.line, statement.wordStart, `expansion too large: more than ${this.options.maxExpandedLines} lines would be generated by .rept/.irp/.macro`);
    this.input.stop();
    return false;
  }

  recordFile(path: string): void {
    if (!this.includedFiles.includes(path)) this.includedFiles.push(path);
  }

  encode(instruction: ParsedInstruction, context: EncodeContext): EncodeResult {
    return this.encodings.encode(instruction, context);
  }

  setFileSymbol(name: string): void {
    if (!this.fileSymbol) this.fileSymbol = { name, order: -1 };
  }
}
