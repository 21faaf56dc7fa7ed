// Expansion chains for text produced by one macro invocation: every token the invocation
// produces gets [its cpp-macro frame, ...the chain the token had before]. Owns: building those
// arrays once per distinct parent chain, so an expansion of N tokens allocates O(1) chains in the
// usual case, and bounding their length: chains are arrays, so macros nested d deep would cost
// O(d²) memory; beyond MAX_CHAIN_FRAMES the frames in the middle are dropped, keeping the
// innermost ones and the outermost ones (the invocation in the file and its #include frames).
// Must not know: tokens or macros beyond the frame they are given.
import type { ExpansionChain, ExpansionFrame } from '../sourceLocation';

export const MAX_CHAIN_FRAMES = 64;
const OUTERMOST_KEPT = 16;

export class ChainExtender {
  private lastParent: ExpansionChain | undefined;
  private lastResult: ExpansionChain = [];
  private others: Map<ExpansionChain, ExpansionChain> | undefined;

  constructor(private readonly frame: ExpansionFrame) {}

  /** [frame, ...parent], shared between calls with the same parent array. */
  extend(parent: ExpansionChain): ExpansionChain {
    if (parent === this.lastParent) return this.lastResult;
    let result = this.others?.get(parent);
    if (!result) {
      result = parent.length < MAX_CHAIN_FRAMES ? [this.frame, ...parent] : bounded(this.frame, parent);
      if (this.lastParent !== undefined) (this.others ??= new Map([[this.lastParent, this.lastResult]])).set(parent, result);
    }
    this.lastParent = parent;
    this.lastResult = result;
    return result;
  }
}

function bounded(frame: ExpansionFrame, parent: ExpansionChain): ExpansionChain {
  const inner = parent.slice(0, MAX_CHAIN_FRAMES - OUTERMOST_KEPT - 1);
  return [frame, ...inner, ...parent.slice(parent.length - OUTERMOST_KEPT)];
}
