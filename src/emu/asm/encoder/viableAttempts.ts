// The attempts worth making for one spelling and one pattern of written operands (their count and
// coarse classes: which register class, memory, immediate): each (row, operand order, arrangement)
// whose slots all accept the classes of the operands spread over them, in the order GNU as's search
// tries them; rows with none are left out. An attempt left out could only fail, so searching the
// viable ones finds the same candidates. Built on first use per pattern and kept (a spelling meets
// few patterns; all are forgotten past a bound).
// Owns: the operand orders GNU as tries (AT&T operands reversed into Intel order, except the
// Intel-order mnemonics; commutative xchg/test; two-operand imul) and the class pre-check.
// Must not know: operand sizes, suffixes or the per-operand rules (operandMatching.ts).
// Models GNU as 2.40's AT&T operand order over the rows of Intel SDM Vol. 2.
import { arrangementsFor, spellingFacts, type FormFacts } from './formFacts';
import type { GasSpelling } from './gasMnemonics';
import { isImmediateClass } from './operandMatching';

/** One way to place the written operands: written index per Intel position, and slot -> position. */
export interface Attempt {
  readonly order: readonly number[];
  readonly positions: readonly number[];
}

export interface ViableRow {
  readonly facts: FormFacts;
  /** In search order; empty for a far-pointer row (its two immediates are checked on their own). */
  readonly attempts: readonly Attempt[];
}

/** The operand orders to try, in GNU as's preference, as written indices per Intel position. */
export function operandOrders(spelling: GasSpelling, count: number, firstIsImmediate: boolean): readonly (readonly number[])[] {
  const written = Array.from({ length: count }, (_, i) => i);
  const intel = spelling.intelOperandOrder ? written : [...written].reverse();
  const stem = spelling.stem;
  if ((stem === 'xchg' || stem === 'test') && count === 2) return [intel, [intel[1]!, intel[0]!]];
  if (stem === 'imul' && count === 2 && firstIsImmediate) return [[1, 1, 0]];
  return [intel];
}

/** Do the classes of the operands placed by `order` and `positions` suit every slot? */
function classesFit(rowFacts: FormFacts, attempt: Attempt, classes: readonly number[]): boolean {
  const { order, positions } = attempt;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    if (position >= 0 && (rowFacts.slotClasses[i]! & classes[order[position]!]!) === 0) return false;
  }
  return true;
}

function viableRowsFor(spelling: GasSpelling, classes: readonly number[]): ViableRow[] {
  const count = classes.length;
  const orders = operandOrders(spelling, count, count > 0 && isImmediateClass(classes[0]!));
  const rows: ViableRow[] = [];
  for (const rowFacts of spellingFacts(spelling)) {
    if (rowFacts.farPointer) {
      if (count === 2 && isImmediateClass(classes[0]!) && isImmediateClass(classes[1]!)) rows.push({ facts: rowFacts, attempts: [] });
      continue;
    }
    const attempts: Attempt[] = [];
    for (const order of orders) {
      for (const positions of arrangementsFor(rowFacts, orders[0]!.length)) {
        const attempt = { order, positions };
        if (classesFit(rowFacts, attempt, classes)) attempts.push(attempt);
      }
    }
    if (attempts.length > 0) rows.push({ facts: rowFacts, attempts });
  }
  return rows;
}

/** Per spelling: class pattern (see patternOf) -> viable rows; emptied past VIABLE_LIMIT patterns. */
const VIABLE = new Map<GasSpelling, Map<number, readonly ViableRow[]>>();
const VIABLE_LIMIT = 8192;
let viablePatterns = 0;

/** Count and class bits (each below 2^10) of up to four operands as one (exact) number. */
function patternOf(classes: readonly number[]): number {
  let pattern = classes.length;
  for (const bits of classes) pattern = pattern * 1024 + bits;
  return pattern;
}

/** The rows worth trying for operands of these classes (operandMatching.ts operandClassOf), in table order. */
export function viableRows(spelling: GasSpelling, classes: readonly number[]): readonly ViableRow[] {
  if (classes.length > 4) return viableRowsFor(spelling, classes); // patternOf is exact up to four
  if (viablePatterns >= VIABLE_LIMIT) {
    VIABLE.clear();
    viablePatterns = 0;
  }
  let bySpelling = VIABLE.get(spelling);
  if (!bySpelling) VIABLE.set(spelling, (bySpelling = new Map()));
  const pattern = patternOf(classes);
  let rows = bySpelling.get(pattern);
  if (!rows) {
    bySpelling.set(pattern, (rows = viableRowsFor(spelling, classes)));
    viablePatterns++;
  }
  return rows;
}
