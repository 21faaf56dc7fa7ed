// Writes an ObjectModule as an ELF32 i386 relocatable object laid out like GNU as 2.40's: section
// headers [null, each section followed by its .rel section, .symtab, .strtab, .shstrtab]; file
// contents in the order section data, .symtab, .strtab, .rel sections, .shstrtab, section headers;
// section symbols have no name; string tables share suffixes. Without symbols or relocations there
// is no .symtab/.strtab, as with GAS.
// Must not know: how the module was assembled. Models the System V gABI ch. 4 (ELF header, sections,
// string and symbol tables, REL relocations) and the i386 psABI relocation numbers.
import type { ObjectModule, ObjectSection, ObjectSymbol, Relocation, RelocationType } from './objectModule';
import { ElfStringTable } from './elfStringTable';

const SHT = { null: 0, progbits: 1, symtab: 2, strtab: 3, note: 7, nobits: 8, rel: 9 } as const;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;
const SHF_INFO_LINK = 0x40;
const SHN_ABS = 0xfff1;
const EM_386 = 3;
const ET_REL = 1;

export const RELOCATION_NUMBERS: Readonly<Record<RelocationType, number>> = {
  R_386_32: 1, R_386_PC32: 2, R_386_16: 20, R_386_PC16: 21, R_386_8: 22, R_386_PC8: 23,
};
const BINDINGS = { local: 0, global: 1, weak: 2 } as const;
const TYPES = { notype: 0, object: 1, func: 2, section: 3, file: 4 } as const;
const VISIBILITY = { default: 0, internal: 1, hidden: 2, protected: 3 } as const;

interface SectionHeader {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  alignment: number;
  entrySize: number;
  data?: Uint8Array;
}

class ByteSink {
  private buffer = new Uint8Array(4096);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  align(alignment: number): void {
    const padded = Math.ceil(this.length / alignment) * alignment;
    this.reserve(padded - this.length);
    this.length = padded;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buffer[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }

  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function sectionFlags(section: ObjectSection): number {
  return (section.flags.write ? SHF_WRITE : 0) | (section.flags.alloc ? SHF_ALLOC : 0) | (section.flags.exec ? SHF_EXECINSTR : 0);
}

function symbolTableBytes(symbols: readonly ObjectSymbol[], strings: ElfStringTable, sectionIndex: ReadonlyMap<string, number>): Uint8Array {
  const sink = new ByteSink();
  sink.bytes(new Uint8Array(16));
  for (const symbol of symbols) {
    sink.u32(symbol.type === 'section' ? 0 : strings.offsetOf(symbol.name));
    sink.u32(symbol.value >>> 0);
    sink.u32(symbol.size >>> 0);
    sink.u8((BINDINGS[symbol.binding] << 4) | TYPES[symbol.type]);
    sink.u8(VISIBILITY[symbol.visibility ?? 'default']);
    sink.u16(!symbol.defined ? 0 : symbol.section === null ? SHN_ABS : sectionIndex.get(symbol.section) ?? SHN_ABS);
  }
  return sink.result();
}

function relocationBytes(relocations: readonly Relocation[], symbolIndex: (r: Relocation) => number): Uint8Array {
  const sink = new ByteSink();
  for (const relocation of relocations) {
    sink.u32(relocation.offset >>> 0);
    sink.u32(((symbolIndex(relocation) << 8) | RELOCATION_NUMBERS[relocation.type]) >>> 0);
  }
  return sink.result();
}

interface RelocationHeader {
  readonly header: SectionHeader;
  readonly section: ObjectSection;
}

/** Headers of the module's sections, each followed by its .rel section (filled in later). */
function contentHeaders(module: ObjectModule, headers: SectionHeader[], shstrtab: ElfStringTable): { sectionIndex: Map<string, number>; relocationHeaders: RelocationHeader[] } {
  const sectionIndex = new Map<string, number>();
  const relocationHeaders: RelocationHeader[] = [];
  for (const section of module.sections) {
    sectionIndex.set(section.name, headers.length);
    shstrtab.add(section.name);
    const data = section.type === 'nobits' ? new Uint8Array(0) : section.bytes;
    headers.push({ name: section.name, type: SHT[section.type], flags: sectionFlags(section), offset: 0, size: section.size, link: 0, info: 0, alignment: Math.max(1, section.alignment), entrySize: 0, data });
    if (!section.relocations.length) continue;
    shstrtab.add(`.rel${section.name}`);
    const header: SectionHeader = { name: `.rel${section.name}`, type: SHT.rel, flags: SHF_INFO_LINK, offset: 0, size: 0, link: 0, info: headers.length - 1, alignment: 4, entrySize: 8 };
    headers.push(header);
    relocationHeaders.push({ header, section });
  }
  return { sectionIndex, relocationHeaders };
}

/** Appends .symtab and .strtab and fills in the .rel sections that refer to them. */
function symbolHeaders(module: ObjectModule, headers: SectionHeader[], sectionIndex: ReadonlyMap<string, number>, relocationHeaders: readonly RelocationHeader[]): void {
  const symtabIndex = headers.length;
  const strings = new ElfStringTable();
  for (const symbol of module.symbols) if (symbol.type !== 'section') strings.add(symbol.name);
  const firstGlobal = module.symbols.findIndex((s) => s.binding !== 'local');
  const symbolData = symbolTableBytes(module.symbols, strings, sectionIndex);
  const info = (firstGlobal < 0 ? module.symbols.length : firstGlobal) + 1;
  headers.push({ name: '.symtab', type: SHT.symtab, flags: 0, offset: 0, size: symbolData.length, link: symtabIndex + 1, info, alignment: 4, entrySize: 16, data: symbolData });
  const strtab = strings.contents();
  headers.push({ name: '.strtab', type: SHT.strtab, flags: 0, offset: 0, size: strtab.length, link: 0, info: 0, alignment: 1, entrySize: 0, data: strtab });
  const symbolIndex = symbolIndexer(module.symbols);
  for (const { header, section } of relocationHeaders) {
    header.link = symtabIndex;
    header.data = relocationBytes(section.relocations, symbolIndex);
    header.size = header.data.length;
  }
}

/** Section header list (with data for the tables) in GNU as's order. */
function buildHeaders(module: ObjectModule): { headers: SectionHeader[]; shstrtab: ElfStringTable } {
  const hasSymtab = module.symbols.length > 0 || module.sections.some((s) => s.relocations.length > 0);
  const shstrtab = new ElfStringTable();
  if (hasSymtab) ['.symtab', '.strtab'].forEach((n) => shstrtab.add(n));
  shstrtab.add('.shstrtab');
  const headers: SectionHeader[] = [{ name: '', type: SHT.null, flags: 0, offset: 0, size: 0, link: 0, info: 0, alignment: 0, entrySize: 0 }];
  const { sectionIndex, relocationHeaders } = contentHeaders(module, headers, shstrtab);
  if (hasSymtab) symbolHeaders(module, headers, sectionIndex, relocationHeaders);
  return { headers, shstrtab };
}

function symbolIndexer(symbols: readonly ObjectSymbol[]): (r: Relocation) => number {
  const sections = new Map<string, number>();
  const named = new Map<string, number>();
  symbols.forEach((s, i) => {
    if (s.type === 'section') sections.set(s.name, i + 1);
    else if (s.binding !== 'local' || !named.has(s.name)) named.set(s.name, i + 1);
  });
  return (r) => (r.target.kind === 'absolute' ? 0 : r.target.kind === 'section' ? sections.get(r.target.section) ?? 0 : named.get(r.target.name) ?? 0);
}

/** The ELF image of `module`. */
export function writeElfObject(module: ObjectModule): Uint8Array {
  const { headers, shstrtab } = buildHeaders(module);
  headers.push({ name: '.shstrtab', type: SHT.strtab, flags: 0, offset: 0, size: 0, link: 0, info: 0, alignment: 1, entrySize: 0 });
  const shstrtabHeader = headers[headers.length - 1]!;
  shstrtabHeader.data = shstrtab.contents();
  shstrtabHeader.size = shstrtabHeader.data.length;
  const body = new ByteSink();
  body.bytes(new Uint8Array(52));
  const order = [
    ...headers.filter((h) => h.type === SHT.progbits || h.type === SHT.nobits || h.type === SHT.note),
    ...headers.filter((h) => h.type === SHT.symtab || (h.type === SHT.strtab && h !== shstrtabHeader)),
    ...headers.filter((h) => h.type === SHT.rel),
    shstrtabHeader,
  ];
  for (const header of order) {
    body.align(header.alignment);
    header.offset = body.length;
    if (header.type !== SHT.nobits) body.bytes(header.data ?? new Uint8Array(0));
  }
  body.align(4);
  const headerTableOffset = body.length;
  for (const h of headers) [shstrtab.offsetOf(h.name), h.type, h.flags, 0, h.offset, h.size, h.link, h.info, h.alignment, h.entrySize].forEach((v) => body.u32(v));
  const image = body.result();
  writeElfHeader(new DataView(image.buffer), headerTableOffset, headers.length, headers.length - 1);
  return image;
}

function writeElfHeader(view: DataView, headerTableOffset: number, count: number, stringIndex: number): void {
  [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0].forEach((b, i) => view.setUint8(i, b));
  view.setUint16(16, ET_REL, true);
  view.setUint16(18, EM_386, true);
  view.setUint32(20, 1, true);
  view.setUint32(32, headerTableOffset, true);
  view.setUint16(40, 52, true);
  view.setUint16(46, 40, true);
  view.setUint16(48, count, true);
  view.setUint16(50, stringIndex, true);
}
