// Addresses for every item of every section, with branch relaxation as GNU as does it: a jump to a
// label resolved in its own section starts short (rel8) and grows to rel32 until a fixed point;
// jumps to other sections, undefined or weak symbols and absolute addresses are long from the start
// and keep a relocation. Within a pass, targets behind the branch use this pass's addresses and
// targets ahead use last pass's plus the growth so far, unless an alignment or .org between can
// absorb it (GAS's relax_segment "stretch" rule). Alignment, .org and variable .space are sized
// from the current address each pass.
// Must not know: syntax, ELF. Models GAS internals relax_segment/relax_frag (behaviour only).
import type { Expr } from '../expression';
import type { DiagnosticSink } from '../diagnostics';
import { evaluateExpr, EvaluationError, isConstant, type Value } from '../gas/expressionEvaluator';
import { SymbolEnvironment } from '../gas/symbolValues';
import type { SymbolTable } from '../gas/symbolTable';
import type { BranchItem, Position, SectionContent, SectionItem } from './sectionItems';

export interface SectionAddresses {
  readonly section: SectionContent;
  /** Start offset of item i; entry [items.length] is the section size. */
  readonly starts: Float64Array;
  /** 1 when branch item i uses its long form. */
  readonly long: Uint8Array;
  /** Number of alignment/.org items before item i (a growth-absorbing boundary count). */
  readonly boundaries: Uint32Array;
}

const MAX_PASSES = 10_000;

export class SectionLayout {
  readonly bySection = new Map<string, SectionAddresses>();
  readonly environment: SymbolEnvironment;
  private viewSection: string | undefined;
  private viewIndex = 0;
  private viewStretch = 0;
  private sawUnstretchedForward = false;
  /** The item before the first one that moved in the latest pass (for non-convergence messages). */
  private lastMoved: SectionItem | undefined;

  constructor(
    readonly sections: readonly SectionContent[],
    readonly symbols: SymbolTable,
    private readonly sink: DiagnosticSink,
  ) {
    this.environment = new SymbolEnvironment(symbols, { locate: (p) => ({ region: p.section, offset: BigInt(this.address(p)) }) }, () => undefined, () => {
      throw new EvaluationError("'.' is not available here");
    });
    for (const section of sections) {
      const count = section.items.length;
      const boundaries = new Uint32Array(count + 1);
      for (let i = 0; i < count; i++) boundaries[i + 1] = boundaries[i]! + (section.items[i]!.kind === 'align' || section.items[i]!.kind === 'org' ? 1 : 0);
      this.bySection.set(section.name, { section, starts: new Float64Array(count + 1), long: new Uint8Array(count), boundaries });
    }
  }

  /** The address of a position under the current view (final once layout is done). */
  address(position: Position): number {
    const layout = this.bySection.get(position.section)!;
    let start = layout.starts[position.item]!;
    if (position.section === this.viewSection && position.item > this.viewIndex) {
      if (layout.boundaries[position.item] === layout.boundaries[this.viewIndex + 1]) start += this.viewStretch;
      else this.sawUnstretchedForward = true;
    }
    return start + position.offset;
  }

  evaluate(expr: Expr): Value {
    return evaluateExpr(expr, this.environment);
  }

  run(): void {
    let branches = 0;
    for (const layout of this.bySection.values()) branches += this.classifyBranches(layout);
    for (const layout of this.bySection.values()) this.relaxPass(layout, false);
    const passes = Math.min(MAX_PASSES, branches + 100);
    for (let pass = 0; pass < passes; pass++) {
      let changed = false;
      for (const layout of this.bySection.values()) if (this.relaxPass(layout)) changed = true;
      if (!changed) return;
    }
    const culprit = this.lastMoved;
    const line = culprit?.line;
    if (line) this.sink.error(line.location, `layout does not converge: the size of \`${line.text}' keeps changing (it depends on its own position)`, line.expansion);
  }

  /** True when `branch` targets a label resolved inside `section` (so it may stay short). */
  isLocalTarget(branch: BranchItem, section: string): boolean {
    try {
      const value = this.evaluate(branch.branch.target);
      const add = value.add;
      if (!add || value.sub || add.section !== section) return false;
      return add.symbol === null || this.symbols.lookup(add.symbol)?.binding !== 'weak';
    } catch (error) {
      if (error instanceof EvaluationError) return false;
      throw error;
    }
  }

  /** Marks branches that must be long from the start; returns the number of branches. */
  private classifyBranches(layout: SectionAddresses): number {
    let count = 0;
    layout.section.items.forEach((item, index) => {
      if (item.kind !== 'branch') return;
      count++;
      if (!this.isLocalTarget(item, layout.section.name)) layout.long[index] = 1;
    });
    return count;
  }

  /** One pass over a section (growing branches unless `grow` is false); true when anything moved or grew. */
  private relaxPass(layout: SectionAddresses, grow = true): boolean {
    const { section, starts } = layout;
    let address = 0;
    let changed = false;
    this.viewSection = section.name;
    for (let i = 0; i < section.items.length; i++) {
      this.viewStretch = address - starts[i]!;
      if (this.viewStretch !== 0) {
        if (!changed && i > 0) this.lastMoved = section.items[i - 1];
        changed = true;
      }
      starts[i] = address;
      this.viewIndex = i;
      const item = section.items[i]!;
      if (grow && item.kind === 'branch' && !layout.long[i] && !this.shortBranchFits(item, address)) {
        layout.long[i] = 1;
        changed = true;
      }
      address += this.itemSize(item, address, layout.long[i] === 1);
    }
    if (starts[section.items.length] !== address) changed = true;
    starts[section.items.length] = address;
    this.viewSection = undefined;
    return changed;
  }

  private shortBranchFits(item: BranchItem, address: number): boolean {
    this.sawUnstretchedForward = false;
    const value = this.evaluate(item.branch.target);
    if (!value.add) return false;
    const target = Number(value.add.offset + value.constant);
    // A forward target across an alignment did not get this pass's growth added; if that puts it
    // behind the branch, wait for the next pass rather than grow for a bogus negative reach (GAS).
    if (this.sawUnstretchedForward && this.viewStretch !== 0 && target < address) return true;
    const displacement = target - (address + branchSize(item, false));
    return displacement >= -128 && displacement <= 127;
  }

  /** The size of `item` when it starts at `address`. */
  itemSize(item: SectionItem, address: number, long: boolean): number {
    switch (item.kind) {
      case 'fixed':
        return item.bytes.length;
      case 'branch':
        return branchSize(item, long);
      case 'align': {
        const padding = (item.alignment - (address % item.alignment)) % item.alignment;
        return item.maxSkip > 0 && padding > item.maxSkip ? 0 : padding;
      }
      case 'org': {
        const target = this.offsetValue(item.target, address);
        return target === undefined || target < address ? 0 : target - address;
      }
      case 'space': {
        const size = this.constantOf(item.size);
        return size === undefined || size < 0 ? 0 : size;
      }
    }
  }

  /** An .org target as a section offset: an absolute number or a label of the same section. */
  offsetValue(expr: Expr, address: number): number | undefined {
    try {
      const value = this.evaluate(expr);
      if (isConstant(value)) return Number(value.constant);
      if (value.add && !value.sub && value.add.section === this.viewSection) return Number(value.add.offset + value.constant);
      return undefined;
    } catch (error) {
      if (error instanceof EvaluationError) return address;
      throw error;
    }
  }

  private constantOf(expr: Expr): number | undefined {
    try {
      const value = this.evaluate(expr);
      return isConstant(value) ? Number(value.constant) : undefined;
    } catch (error) {
      if (error instanceof EvaluationError) return undefined;
      throw error;
    }
  }

  /** Sets the view used for address() to the final addresses of `section` (no stretch). */
  finalView(section?: string): void {
    this.viewSection = section;
    this.viewStretch = 0;
    this.viewIndex = Number.MAX_SAFE_INTEGER;
  }
}

export function branchSize(item: BranchItem, long: boolean): number {
  const b = item.branch;
  return b.prefixes.length + (long ? b.longOpcode.length + 4 : b.shortOpcode.length + 1);
}
