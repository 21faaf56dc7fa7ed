// Test-only reader for the ELF32 relocatable objects `as --32` writes: section contents, the symbol
// table and REL relocations, enough to cut .text at the corpus labels and compare relocations.
// Must not know: the project's own object writer (src/emu/asm/object), which it checks independently.
// Models the System V ABI ELF format (generic chapter 4) and the i386 psABI relocation types.

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entrySize: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly sectionIndex: number;
}

export interface ElfRelocation {
  readonly offset: number;
  readonly type: number;
  readonly symbol: string;
}

export const R_386_32 = 1;
export const R_386_PC32 = 2;
export const R_386_16 = 20;
export const R_386_PC16 = 21;
export const R_386_8 = 22;
export const R_386_PC8 = 23;

const SHT_SYMTAB = 2;
const SHT_REL = 9;

export class Elf32Object {
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];

  constructor(private readonly data: Buffer) {
    if (data.readUInt32BE(0) !== 0x7f454c46 || data[4] !== 1) throw new Error('not an ELF32 object');
    this.sections = this.readSections();
    this.symbols = this.readSymbols();
  }

  private readSections(): ElfSection[] {
    const d = this.data;
    const shoff = d.readUInt32LE(0x20);
    const shentsize = d.readUInt16LE(0x2e);
    const shnum = d.readUInt16LE(0x30);
    const shstrndx = d.readUInt16LE(0x32);
    const raw = Array.from({ length: shnum }, (_, i) => {
      const at = shoff + i * shentsize;
      return {
        nameOffset: d.readUInt32LE(at), type: d.readUInt32LE(at + 4), offset: d.readUInt32LE(at + 16),
        size: d.readUInt32LE(at + 20), link: d.readUInt32LE(at + 24), info: d.readUInt32LE(at + 28), entrySize: d.readUInt32LE(at + 36),
      };
    });
    const names = raw[shstrndx]!;
    return raw.map((s) => ({ ...s, name: this.stringAt(names.offset, s.nameOffset) }));
  }

  private stringAt(tableOffset: number, offset: number): string {
    const start = tableOffset + offset;
    const end = this.data.indexOf(0, start);
    return this.data.toString('latin1', start, end);
  }

  private readSymbols(): ElfSymbol[] {
    const table = this.sections.find((s) => s.type === SHT_SYMTAB);
    if (!table) return [];
    const strings = this.sections[table.link]!;
    const count = table.size / table.entrySize;
    return Array.from({ length: count }, (_, i) => {
      const at = table.offset + i * table.entrySize;
      return {
        name: this.stringAt(strings.offset, this.data.readUInt32LE(at)),
        value: this.data.readUInt32LE(at + 4),
        sectionIndex: this.data.readUInt16LE(at + 14),
      };
    });
  }

  sectionIndex(name: string): number {
    return this.sections.findIndex((s) => s.name === name);
  }

  contents(name: string): Buffer {
    const section = this.sections[this.sectionIndex(name)];
    if (!section) return Buffer.alloc(0);
    return this.data.subarray(section.offset, section.offset + section.size);
  }

  /** REL relocations applying to the named section. */
  relocations(name: string): ElfRelocation[] {
    const target = this.sectionIndex(name);
    const rel = this.sections.find((s) => s.type === SHT_REL && s.info === target);
    if (!rel) return [];
    return Array.from({ length: rel.size / 8 }, (_, i) => {
      const at = rel.offset + i * 8;
      const info = this.data.readUInt32LE(at + 4);
      return { offset: this.data.readUInt32LE(at), type: info & 0xff, symbol: this.symbols[info >>> 8]?.name ?? '' };
    });
  }
}
