// Decoded instructions cached by the physical address of their first byte, one sparse array per
// physical page. A write to a cached page (by the CPU, a device, the loader, the Host model or the
// debugger: PhysicalMemory reports them all) drops that page. Instructions that cross a page are
// never cached: the second page's physical frame can change independently.
// Owns: cache storage and invalidation. Must not know: decoding. Models no hardware; it is the
// software equivalent of a trace cache with self-modifying-code snooping (Intel SDM Vol. 3A §11.6).
import type { PhysicalMemory } from '../machine/physicalMemory';
import type { Instruction } from './instruction';

export class DecodeCache {
  private readonly pages: ((Instruction | undefined)[] | undefined)[] = new Array(1 << 20).fill(undefined);
  /** Incremented on every invalidation, so the run loop can tell its cached page is stale. */
  generation = 0;

  constructor(private readonly memory: PhysicalMemory) {
    memory.codeWriteListener = (page) => this.invalidatePage(page);
  }

  /** The decoded-instruction array of a physical page, or undefined when nothing is cached. */
  page(physicalPage: number): (Instruction | undefined)[] | undefined {
    return this.pages[physicalPage];
  }

  store(physical: number, instruction: Instruction): void {
    const pageNumber = physical >>> 12;
    if (!this.memory.isRam(physical)) return;
    let page = this.pages[pageNumber];
    if (!page) {
      page = new Array<Instruction | undefined>(4096).fill(undefined);
      this.pages[pageNumber] = page;
      this.memory.codePages[pageNumber] = 1;
    }
    page[physical & 0xfff] = instruction;
  }

  invalidatePage(physicalPage: number): void {
    if (this.pages[physicalPage]) {
      this.pages[physicalPage] = undefined;
      this.generation++;
    }
    this.memory.codePages[physicalPage] = 0;
  }

  clear(): void {
    for (let page = 0; page < this.pages.length; page++) if (this.pages[page]) this.invalidatePage(page);
  }
}
