// Reads an ELF32 little-endian relocatable object (ours or GNU as's) into plain values so that
// tests can compare two objects section by section, symbol by symbol and relocation by relocation.
// Owns: ELF32 header, section header, symbol and REL parsing. Must not know the assembler.
// Models the System V gABI ch. 4 (ELF header, section header table, symbol table, relocation).

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly alignment: number;
  readonly entrySize: number;
  /** File contents (empty for SHT_NOBITS). */
  readonly data: Uint8Array;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly binding: 'local' | 'global' | 'weak' | number;
  readonly type: 'notype' | 'object' | 'func' | 'section' | 'file' | number;
  readonly visibility: number;
  readonly sectionIndex: number;
  /** Section name, '*ABS*' or '*UND*'. */
  readonly section: string;
}

export interface ElfRelocation {
  readonly offset: number;
  readonly type: string;
  readonly symbolIndex: number;
  /** The symbol's name, or its section's name for section symbols, '' for index 0. */
  readonly symbol: string;
}

export interface ElfObject {
  readonly machine: number;
  readonly type: number;
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  /** Relocations by the name of the section they apply to. */
  readonly relocations: ReadonlyMap<string, readonly ElfRelocation[]>;
}

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;

const RELOCATION_NAMES: Readonly<Record<number, string>> = { 1: 'R_386_32', 2: 'R_386_PC32', 20: 'R_386_16', 21: 'R_386_PC16', 22: 'R_386_8', 23: 'R_386_PC8' };
const BINDINGS = ['local', 'global', 'weak'] as const;
const TYPES = ['notype', 'object', 'func', 'section', 'file'] as const;

function cString(bytes: Uint8Array, offset: number): string {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return String.fromCharCode(...bytes.subarray(offset, end));
}

function readSections(image: Uint8Array, view: DataView): ElfSection[] {
  const headerOffset = view.getUint32(32, true);
  const count = view.getUint16(48, true);
  const stringIndex = view.getUint16(50, true);
  const raw = Array.from({ length: count }, (_, i) => {
    const at = headerOffset + i * 40;
    const field = (n: number) => view.getUint32(at + n * 4, true);
    return { nameOffset: field(0), type: field(1), flags: field(2), offset: field(4), size: field(5), link: field(6), info: field(7), alignment: field(8), entrySize: field(9) };
  });
  const names = raw[stringIndex];
  const nameTable = names ? image.subarray(names.offset, names.offset + names.size) : new Uint8Array(0);
  return raw.map((r, index) => ({
    index, name: cString(nameTable, r.nameOffset), type: r.type, flags: r.flags, offset: r.offset, size: r.size, link: r.link, info: r.info,
    alignment: r.alignment, entrySize: r.entrySize, data: r.type === SHT_NOBITS ? new Uint8Array(0) : image.subarray(r.offset, r.offset + r.size),
  }));
}

function readSymbols(sections: readonly ElfSection[]): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const strings = sections[symtab.link]!.data;
  const view = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i * 16 < symtab.size; i++) {
    const at = i * 16;
    const info = view.getUint8(at + 12);
    const sectionIndex = view.getUint16(at + 14, true);
    const section = sectionIndex === 0 ? '*UND*' : sectionIndex === 0xfff1 ? '*ABS*' : sections[sectionIndex]?.name ?? `#${sectionIndex}`;
    const type = TYPES[info & 0xf] ?? (info & 0xf);
    const nameOffset = view.getUint32(at, true);
    symbols.push({
      index: i, name: type === 'section' && nameOffset === 0 ? section : cString(strings, nameOffset), value: view.getUint32(at + 4, true),
      size: view.getUint32(at + 8, true), binding: BINDINGS[info >> 4] ?? info >> 4, type, visibility: view.getUint8(at + 13) & 3, sectionIndex, section,
    });
  }
  return symbols;
}

function readRelocations(sections: readonly ElfSection[], symbols: readonly ElfSymbol[]): Map<string, ElfRelocation[]> {
  const relocations = new Map<string, ElfRelocation[]>();
  for (const rel of sections.filter((s) => s.type === SHT_REL)) {
    const view = new DataView(rel.data.buffer, rel.data.byteOffset, rel.data.byteLength);
    const list: ElfRelocation[] = [];
    for (let at = 0; at + 8 <= rel.size; at += 8) {
      const info = view.getUint32(at + 4, true);
      const symbolIndex = info >>> 8;
      list.push({ offset: view.getUint32(at, true), type: RELOCATION_NAMES[info & 0xff] ?? `type ${info & 0xff}`, symbolIndex, symbol: symbolIndex === 0 ? '' : symbols[symbolIndex]?.name ?? `#${symbolIndex}` });
    }
    relocations.set(sections[rel.info]!.name, list);
  }
  return relocations;
}

export function readElfObject(image: Uint8Array): ElfObject {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (view.getUint32(0, false) !== 0x7f454c46) throw new Error('not an ELF file');
  if (image[4] !== 1 || image[5] !== 1) throw new Error('not ELF32 little-endian');
  const sections = readSections(image, view);
  const symbols = readSymbols(sections);
  return { machine: view.getUint16(18, true), type: view.getUint16(16, true), sections, symbols, relocations: readRelocations(sections, symbols) };
}

/** The named section, or undefined. */
export function elfSection(object: ElfObject, name: string): ElfSection | undefined {
  return object.sections.find((s) => s.name === name);
}
