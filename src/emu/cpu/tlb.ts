// The translation lookaside buffer: one Int32 entry per linear page (4 GiB / 4 KiB = 1 M entries),
// holding the physical page and permission bits, plus the list of filled entries so that a CR3
// write clears only what was filled. Owns: entry format, fast-path masks for the current privilege,
// flushes, and the page marks that force watched pages onto the slow path.
// Must not know: how entries are computed (paging.ts). Models Intel SDM Vol. 3A §4.10.
import type { PhysicalMemory } from '../machine/physicalMemory';

export const TLB_VALID = 1;
/** CPL 3 may read (and fetch). */
export const TLB_USER_READ = 2;
/** CPL 3 may write without a page walk (R/W, U/S and the dirty bit already allow it). */
export const TLB_USER_WRITE = 4;
/** CPL 0-2 may write without a page walk (R/W or !CR0.WP, and the dirty bit already set). */
export const TLB_SUPER_WRITE = 8;
/** Always take the slow path: MMIO, a hole in the address space, or a watched page. */
export const TLB_SLOW = 16;
/** Survives CR3 loads while CR4.PGE is set. */
export const TLB_GLOBAL = 32;

const TRACK_LIMIT = 1 << 16;

export class Tlb {
  readonly entries = new Int32Array(1 << 20);
  /** Fast-path test for the current privilege: (entry & mask) === want. */
  readMask = TLB_VALID | TLB_SLOW;
  readWant = TLB_VALID;
  writeMask = TLB_VALID | TLB_SUPER_WRITE | TLB_SLOW;
  writeWant = TLB_VALID | TLB_SUPER_WRITE;
  /** Pages with linear / physical watchpoints (null while none are set: zero cost). */
  watchedLinearPages: Uint8Array | null = null;
  watchedPhysicalPages: Uint8Array | null = null;
  /** Bumped on every flush so that cached fetch pages can tell they are stale. */
  generation = 0;
  private readonly filled = new Int32Array(TRACK_LIMIT);
  private filledCount = 0;
  private overflowed = false;

  constructor(private readonly memory: PhysicalMemory) {}

  /** Selects the user (CPL 3) or supervisor masks for implicit-privilege accesses. */
  setUserMode(user: boolean): void {
    if (user) {
      this.readMask = TLB_VALID | TLB_USER_READ | TLB_SLOW;
      this.readWant = TLB_VALID | TLB_USER_READ;
      this.writeMask = TLB_VALID | TLB_USER_WRITE | TLB_SLOW;
      this.writeWant = TLB_VALID | TLB_USER_WRITE;
    } else {
      this.readMask = TLB_VALID | TLB_SLOW;
      this.readWant = TLB_VALID;
      this.writeMask = TLB_VALID | TLB_SUPER_WRITE | TLB_SLOW;
      this.writeWant = TLB_VALID | TLB_SUPER_WRITE;
    }
  }

  /** Installs an entry for linear page `page` mapping physical `physicalBase` with `permissions`. */
  fill(page: number, physicalBase: number, permissions: number): void {
    let bits = permissions | TLB_VALID;
    const physicalPage = physicalBase >>> 12;
    if (!this.memory.isRam(physicalBase) || this.memory.mmioPages[physicalPage]) bits |= TLB_SLOW;
    if (this.watchedLinearPages?.[page] || this.watchedPhysicalPages?.[physicalPage]) bits |= TLB_SLOW;
    if (this.entries[page] === 0) this.track(page);
    this.entries[page] = (physicalBase & -4096) | bits;
  }

  invalidatePage(page: number): void {
    this.entries[page] = 0;
    this.generation++;
  }

  /** CR3 load: drops everything but global entries (when `keepGlobal`). */
  flush(keepGlobal: boolean): void {
    this.generation++;
    if (this.overflowed) {
      if (keepGlobal) {
        for (let page = 0; page < this.entries.length; page++) if (!(this.entries[page]! & TLB_GLOBAL)) this.entries[page] = 0;
      } else this.entries.fill(0);
      this.rebuildTracking();
      return;
    }
    let kept = 0;
    for (let i = 0; i < this.filledCount; i++) {
      const page = this.filled[i]!;
      const entry = this.entries[page]!;
      if (keepGlobal && entry & TLB_GLOBAL) this.filled[kept++] = page;
      else this.entries[page] = 0;
    }
    this.filledCount = kept;
  }

  private track(page: number): void {
    if (this.overflowed) return;
    if (this.filledCount === TRACK_LIMIT) {
      this.overflowed = true;
      return;
    }
    this.filled[this.filledCount++] = page;
  }

  private rebuildTracking(): void {
    this.overflowed = false;
    this.filledCount = 0;
    for (let page = 0; page < this.entries.length; page++) if (this.entries[page] !== 0) this.track(page);
  }
}
