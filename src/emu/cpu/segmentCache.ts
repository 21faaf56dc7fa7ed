// Loading a segment register's hidden cache, and the descriptor arithmetic every segment load
// shares. Owns: base/limit/flags extraction, the precomputed read/write windows the fast path
// checks, CS.D/SS.B side effects, and CPL changes (which switch the TLB's user/supervisor masks).
// Must not know: the checks that decide whether a load is allowed (segmentation.ts).
// Models Intel SDM Vol. 3A §3.4.5 (descriptor format), §5.3 (limit checking, expand-down).
import type { CpuState } from './cpuState';
import type { SegmentCache } from './cpuContracts';
import { DESC_B, DESC_FLAGS_MASK, DESC_G, DESC_P, DESC_S } from './cpuState';
import { SEG_CS, SEG_SS } from '../isa/registers';

export function descriptorBase(low: number, high: number): number {
  return ((low >>> 16) | ((high & 0xff) << 16) | (high & 0xff000000)) >>> 0;
}

/** The effective byte limit (granularity applied). */
export function descriptorLimit(low: number, high: number): number {
  const raw = (low & 0xffff) | (high & 0xf0000);
  return high & DESC_G ? ((raw << 12) | 0xfff) >>> 0 : raw;
}

export function descriptorFlags(high: number): number {
  return high & DESC_FLAGS_MASK;
}

/** Writes a segment register and its cache exactly as given (no checks). */
export function loadSegmentCache(cpu: CpuState, seg: number, selector: number, base: number, limit: number, flags: number): void {
  cpu.segSel[seg] = selector & 0xffff;
  cpu.segBase[seg] = base | 0;
  cpu.segLimit[seg] = limit >>> 0;
  cpu.segFlags[seg] = flags & DESC_FLAGS_MASK;
  recomputeWindows(cpu, seg);
  if (seg === SEG_CS) cpu.codeSize32 = (flags & DESC_B) !== 0;
  else if (seg === SEG_SS) cpu.stackSize32 = (flags & DESC_B) !== 0;
}

export function loadSegmentFromDescriptor(cpu: CpuState, seg: number, selector: number, low: number, high: number): void {
  loadSegmentCache(cpu, seg, selector, descriptorBase(low, high), descriptorLimit(low, high), descriptorFlags(high));
}

/** A null selector in DS/ES/FS/GS (protected mode): the register becomes unusable. */
export function loadNullSegment(cpu: CpuState, seg: number, selector: number): void {
  loadSegmentCache(cpu, seg, selector, 0, 0, 0);
}

export function segmentCacheOf(cpu: CpuState, seg: number): SegmentCache {
  return { selector: cpu.segSel[seg]!, base: cpu.segBase[seg]! >>> 0, limit: cpu.segLimit[seg]!, flags: cpu.segFlags[seg]! };
}

export function setCpl(cpu: CpuState, cpl: number): void {
  cpu.cpl = cpl;
  cpu.tlb.setUserMode(cpl === 3);
}

function recomputeWindows(cpu: CpuState, seg: number): void {
  const flags = cpu.segFlags[seg]!;
  const limit = cpu.segLimit[seg]!;
  let readLo = 1;
  let readHi = 0;
  let writeLo = 1;
  let writeHi = 0;
  if (flags & DESC_P && flags & DESC_S) {
    const type = (flags >> 8) & 0xf;
    if (type & 8) {
      // Code: readable only with the R bit, never writable.
      if (type & 2) {
        readLo = 0;
        readHi = limit;
      }
    } else {
      let lo = 0;
      let hi = limit;
      if (type & 4) {
        // Expand-down: valid offsets lie above the limit, up to 64 KiB or 4 GiB by the B bit.
        lo = limit + 1;
        hi = flags & DESC_B ? 0xffffffff : 0xffff;
      }
      readLo = lo;
      readHi = hi;
      if (type & 2) {
        writeLo = lo;
        writeHi = hi;
      }
    }
  }
  cpu.segReadLo[seg] = readLo;
  cpu.segReadHi[seg] = readHi;
  cpu.segWriteLo[seg] = writeLo;
  cpu.segWriteHi[seg] = writeHi;
}
