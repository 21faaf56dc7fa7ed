// Freezes an expression at the point of assembly where it was written, as GAS's expression()
// does: symbols currently defined as absolute values become constants (so `pushl $irq` keeps the
// value irq has now, even though `irq = irq + 1` changes it later), `.` becomes an internal label at
// the current position, a local symbol set by `x = ...` becomes the version of its value assigned so
// far (GAS clones such symbols when they are reassigned), and every other symbol is created (GAS
// orders symbols by first mention).
// Must not know: evaluation rules, layout.
import type { Expr } from '../expression';
import type { Position } from '../layout/sectionItems';
import type { SymbolTable } from './symbolTable';

export function snapshotExpr(expr: Expr, symbols: SymbolTable, dot: () => Position): Expr {
  switch (expr.kind) {
    case 'constant':
      return expr;
    case 'symbol': {
      const entry = symbols.get(expr.name);
      entry.used = true;
      const definition = entry.definition;
      if (definition?.kind === 'absolute') return { kind: 'constant', value: definition.value };
      // A local symbol set by `x = ...` may be reassigned later: name the value it has today.
      if (entry.version !== undefined && entry.binding === 'local') return { kind: 'symbol', name: entry.version };
      return expr;
    }
    case 'dot':
      return { kind: 'symbol', name: symbols.dotSymbol(dot()) };
    case 'unary': {
      const operand = snapshotExpr(expr.operand, symbols, dot);
      return operand === expr.operand ? expr : { kind: 'unary', op: expr.op, operand };
    }
    case 'binary': {
      const left = snapshotExpr(expr.left, symbols, dot);
      const right = snapshotExpr(expr.right, symbols, dot);
      return left === expr.left && right === expr.right ? expr : { kind: 'binary', op: expr.op, left, right };
    }
  }
}
