// The plan memo: encoding plans by statement shape (statementShape.ts), so a statement whose shape
// was planned before skips the search. Bounded (MEMO_LIMIT shapes, a few MB). Once full it keeps
// what it has and new shapes are planned afresh without being kept; after STALE_MISSES such misses
// the working set has evidently moved on, and it starts over. Evicting on every miss instead would
// let a stream of ever new shapes (a generated corpus) copy plan after plan into the memo, to die
// there in full collections.
// Kept plans are copies (encodingPlan.ts planToKeep), so the search's own plans all die young.
// Owns: the memo and its policy. Must not know: what a shape or a plan contains.
import { planToKeep, type EncodingPlan } from './encodingPlan';

const MEMO_LIMIT = 16384;
const STALE_MISSES = 4 * MEMO_LIMIT;

const plansByShape = new Map<string, EncodingPlan>();
let missesWhileFull = 0;

export function rememberedPlan(key: string): EncodingPlan | undefined {
  return plansByShape.get(key);
}

/** Keeps the plan of a shape just planned, unless the memo is full. */
export function rememberPlan(key: string, plan: EncodingPlan): void {
  if (plansByShape.size >= MEMO_LIMIT) {
    if (++missesWhileFull < STALE_MISSES) return;
    forgetPlans();
  }
  plansByShape.set(key, planToKeep(plan));
}

/** Forgets every remembered plan (also for measurements of the full search). */
export function forgetPlans(): void {
  plansByShape.clear();
  missesWhileFull = 0;
}
