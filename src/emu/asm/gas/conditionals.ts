// The stack of open `.if` blocks: whether statements are assembled right now, which branch of an
// .if/.elseif/.else chain was taken, and where each block and its .else started (for "duplicate
// .else" and "end of file inside conditional" messages).
// Must not know: how conditions are parsed (conditionalDirectives.ts). Models GAS manual §7 ".if".
import type { PlacedLocation } from './gasLine';

interface ConditionalFrame {
  readonly start: PlacedLocation;
  readonly parentActive: boolean;
  /** Some branch of this chain has been taken already. */
  taken: boolean;
  /** The current branch is being assembled. */
  active: boolean;
  elseAt?: PlacedLocation;
}

export class ConditionalStack {
  private readonly frames: ConditionalFrame[] = [];

  /** True when statements are assembled (no enclosing false branch). */
  get active(): boolean {
    const top = this.frames[this.frames.length - 1];
    return top ? top.active : true;
  }

  get depth(): number {
    return this.frames.length;
  }

  /** Opens a block; `condition` is ignored (may be undefined) inside a false branch. */
  open(condition: boolean | undefined, start: PlacedLocation): void {
    const parentActive = this.active;
    const active = parentActive && condition === true;
    this.frames.push({ start, parentActive, taken: active, active });
  }

  /** Whether an `.elseif` condition must be evaluated (its branch could be taken). */
  elseIfNeedsCondition(): boolean {
    const top = this.top();
    return !!top && top.parentActive && !top.taken && top.elseAt === undefined;
  }

  /** `.elseif`: false when there is no open block. */
  elseIf(condition: boolean | undefined): boolean {
    const top = this.top();
    if (!top) return false;
    top.active = top.parentActive && !top.taken && condition === true;
    if (top.active) top.taken = true;
    return true;
  }

  /** `.else`: returns 'none' without an open block, the earlier .else when duplicated, else 'ok'. */
  else(at: PlacedLocation): 'none' | 'ok' | { duplicateOf: PlacedLocation; start: PlacedLocation } {
    const top = this.top();
    if (!top) return 'none';
    if (top.elseAt) return { duplicateOf: top.elseAt, start: top.start };
    top.elseAt = at;
    top.active = top.parentActive && !top.taken;
    top.taken = true;
    return 'ok';
  }

  /** `.endif`: false without an open block. */
  close(): boolean {
    return this.frames.pop() !== undefined;
  }

  /** Drops blocks opened above `depth` (`.exitm` leaves the macro's conditionals). */
  truncate(depth: number): void {
    this.frames.length = Math.min(this.frames.length, depth);
  }

  /** Starts of blocks still open (reported at end of input). */
  openBlocks(): PlacedLocation[] {
    return this.frames.map((f) => f.start);
  }

  private top(): ConditionalFrame | undefined {
    return this.frames[this.frames.length - 1];
  }
}
