// Symbol values for the evaluator, before and after layout. Before layout a label is known only
// relative to its frag (section + epoch), so label differences within a frag are constants, as in
// GAS; after layout a label is an offset in its section. Equated symbols evaluate their expression
// (with a loop check); a local equated to `label + c` becomes a label at that offset, as GAS resolves
// it, so relocations name the section rather than the label it was equated to.
// Must not know: parsing, how positions get addresses (an injected resolver).
import { evaluateExpr, EvaluationError, type EvaluationEnvironment, type Value } from './expressionEvaluator';
import type { SymbolEntry, SymbolTable } from './symbolTable';
import type { Position } from '../layout/sectionItems';

export interface PositionResolver {
  /** Region key and offset of a position: (section#epoch, epoch offset) before layout, (section, address) after. */
  locate(position: Position): { region: string; offset: bigint };
}

export const parseTimePositions: PositionResolver = {
  locate: (position) => ({ region: `${position.section}\u0000${position.epoch}`, offset: BigInt(position.epochOffset) }),
};

/** The epoch of a parse-time region key (see parseTimePositions), or undefined for other keys. */
export function epochOfParseTimeRegion(region: string): number | undefined {
  const separator = region.lastIndexOf('\u0000');
  return separator < 0 ? undefined : Number(region.slice(separator + 1));
}

export class SymbolEnvironment implements EvaluationEnvironment {
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly symbols: SymbolTable,
    private readonly positions: PositionResolver,
    private readonly warnings: (message: string) => void,
    private readonly currentDot: () => Position,
  ) {}

  symbolValue(name: string): Value {
    const entry = this.symbols.get(name);
    const definition = entry.definition;
    if (!definition) return { constant: 0n, add: { symbol: name, section: null, region: null, offset: 0n } };
    switch (definition.kind) {
      case 'absolute':
        return { constant: definition.value };
      case 'label':
        return { constant: 0n, add: this.labelTerm(entry, definition.position) };
      case 'expression':
        return this.equatedValue(entry, definition.expr);
    }
  }

  dot(): Value {
    const position = this.currentDot();
    const placed = this.positions.locate(position);
    return { constant: 0n, add: { symbol: null, section: position.section, region: placed.region, offset: placed.offset } };
  }

  warn(message: string): void {
    this.warnings(message);
  }

  private labelTerm(entry: SymbolEntry, position: Position) {
    const placed = this.positions.locate(position);
    return { symbol: entry.binding === 'local' ? null : entry.name, section: position.section, region: placed.region, offset: placed.offset };
  }

  private equatedValue(entry: SymbolEntry, expr: import('../expression').Expr): Value {
    if (this.evaluating.has(entry.name)) throw new EvaluationError(`symbol definition loop encountered at \`${entry.name}'`);
    this.evaluating.add(entry.name);
    try {
      const value = evaluateExpr(expr, this);
      if (value.add && !value.sub && value.add.section !== null) {
        const add = value.add;
        return { constant: 0n, add: { symbol: entry.binding === 'local' ? null : entry.name, section: add.section, region: add.region, offset: add.offset + value.constant } };
      }
      return value;
    } finally {
      this.evaluating.delete(entry.name);
    }
  }
}
