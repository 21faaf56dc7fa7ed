// Data watchpoints for the debugger: linear or physical ranges, read/write/both. Watched pages get
// TLB_SLOW so only their accesses leave the fast path; with no watchpoints nothing is checked.
// Owns: the page marks and the hit record. Must not know: the debugger's breakpoint bookkeeping.
import type { CpuState } from './cpuState';
import type { Watchpoint } from './cpuContracts';

export interface WatchHit {
  readonly watchpoint: Watchpoint;
  readonly address: number;
  readonly access: 'read' | 'write';
  readonly size: number;
  readonly value: number;
}

/** Replaces the watchpoint set, re-marking pages and dropping stale translations. */
export function setWatchpoints(cpu: CpuState, watchpoints: readonly Watchpoint[]): void {
  cpu.watchpoints = [...watchpoints];
  const tlb = cpu.tlb;
  const linear = watchpoints.some((w) => w.space === 'linear') ? new Uint8Array(1 << 20) : null;
  const physical = watchpoints.some((w) => w.space === 'physical') ? new Uint8Array(1 << 20) : null;
  for (const w of watchpoints) {
    const marks = w.space === 'linear' ? linear! : physical!;
    const first = w.address >>> 12;
    const last = ((w.address + Math.max(1, w.length) - 1) >>> 0) >>> 12;
    for (let page = first; page <= last; page++) marks[page] = 1;
  }
  tlb.watchedLinearPages = linear;
  tlb.watchedPhysicalPages = physical;
  tlb.flush(false);
}

/** Called by the slow paths for every access while watchpoints exist. */
export function noteWatchedAccess(cpu: CpuState, linear: number, physical: number, size: number, access: 'read' | 'write', value: number): void {
  if (cpu.watchHit) return;
  for (const w of cpu.watchpoints) {
    if (w.access !== 'readwrite' && w.access !== access) continue;
    const address = w.space === 'linear' ? linear >>> 0 : physical >>> 0;
    if (address < w.address + w.length && w.address < address + size) {
      cpu.watchHit = { watchpoint: w, address, access, size, value: value >>> 0 };
      cpu.eventPending = true;
      return;
    }
  }
}
