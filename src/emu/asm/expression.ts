// The expression tree shared by the GNU as front end, the encoder and the layout/fixup stage.
// Owns: the shape of an expression. Evaluation with GAS semantics (64-bit two's complement,
// GAS operator precedence, comparisons yielding -1/0) lives with the front end.
// Must not know: parsing, symbol tables, sections.

export type UnaryOperator = '-' | '~' | '!' | '+';

/** GAS infix operators. `!` as a binary operator is GAS's "or not" (a | ~b). */
export type BinaryOperator =
  | '*' | '/' | '%' | '<<' | '>>'
  | '|' | '&' | '^' | '!'
  | '+' | '-'
  | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
  | '&&' | '||';

export type Expr =
  | { readonly kind: 'constant'; readonly value: bigint }
  /** A symbol by name. Numeric local label references (`1f`, `1b`) are resolved by the front end
   *  to the unique internal name of the label they refer to before anyone else sees them. */
  | { readonly kind: 'symbol'; readonly name: string }
  /** `.`: the address of the start of the statement containing the expression. */
  | { readonly kind: 'dot' }
  | { readonly kind: 'unary'; readonly op: UnaryOperator; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr };

export function constantExpr(value: bigint | number): Expr {
  return { kind: 'constant', value: BigInt(value) };
}

export function symbolExpr(name: string): Expr {
  return { kind: 'symbol', name };
}

/** Symbols an expression mentions (for diagnostics and dependency tracking). */
export function symbolsIn(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'symbol':
      into.add(expr.name);
      break;
    case 'unary':
      symbolsIn(expr.operand, into);
      break;
    case 'binary':
      symbolsIn(expr.left, into);
      symbolsIn(expr.right, into);
      break;
    default:
      break;
  }
  return into;
}
