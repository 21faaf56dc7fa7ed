// Links object modules into a Program: places sections (sectionPlacement.ts), resolves global
// symbols across modules (a strong definition beats a weak one; two strong ones are an error naming
// both places; externally supplied symbols such as `lguest_init` fill what no module defines),
// applies the REL relocations (S + A, minus P for PC-relative), reports undefined symbols at their
// first reference's source line, and shifts every module's line entries to final addresses.
// Must not know: syntax, ELF bytes. Models the System V i386 ABI relocation types (R_386_32/PC32/16/
// PC16/8/PC8) and ld's symbol resolution rules, reduced to static linking.
import { DiagnosticSink, type Diagnostic } from '../diagnostics';
import type { ObjectModule, ObjectSymbol, Relocation } from '../object/objectModule';
import { LineTable, type LineEntry, type Program, type ProgramSection, type ProgramSymbol } from '../program';
import type { SourceLocation } from '../sourceLocation';
import { placeSections, type OutputSection, type PlacementOptions } from './sectionPlacement';

export interface LinkOptions extends PlacementOptions {
  /** Symbols supplied from outside (the Guest runtime's `lguest_init`, `lguest_data`, ...). */
  readonly externalSymbols?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Entry symbol; its value becomes Program.entry. */
  readonly entry?: string;
}

interface Definition {
  readonly value: number;
  readonly symbol: ObjectSymbol;
  readonly module: number;
}

class LinkSession {
  readonly sink = new DiagnosticSink();
  readonly globals = new Map<string, Definition>();
  readonly inputAddress = new Map<string, number>();
  private readonly reportedUndefined = new Set<string>();

  constructor(
    readonly modules: readonly ObjectModule[],
    readonly outputs: readonly OutputSection[],
    readonly externals: ReadonlyMap<string, number>,
  ) {
    for (const output of outputs) for (const input of output.inputs) this.inputAddress.set(`${input.module}\u0000${input.section.name}`, input.address);
  }

  sectionAddress(module: number, section: string): number {
    return this.inputAddress.get(`${module}\u0000${section}`) ?? 0;
  }

  symbolValue(module: number, symbol: ObjectSymbol): number {
    return symbol.section === null ? symbol.value : (this.sectionAddress(module, symbol.section) + symbol.value) >>> 0;
  }

  collectGlobals(): void {
    this.modules.forEach((module, index) => {
      for (const symbol of module.symbols) {
        if (!symbol.defined || symbol.binding === 'local' || symbol.type === 'section' || symbol.type === 'file') continue;
        const previous = this.globals.get(symbol.name);
        const definition = { value: this.symbolValue(index, symbol), symbol, module: index };
        if (!previous || (previous.symbol.binding === 'weak' && symbol.binding !== 'weak')) this.globals.set(symbol.name, definition);
        else if (symbol.binding !== 'weak' && previous.symbol.binding !== 'weak') this.duplicate(symbol, previous, module.file);
      }
    });
  }

  private duplicate(symbol: ObjectSymbol, previous: Definition, file: string): void {
    const first = previous.symbol.location;
    const where = first ? `${first.file}:${first.line}:${first.column}` : this.modules[previous.module]!.file;
    this.sink.error(symbol.location ?? { file, line: 1, column: 1 }, `multiple definition of \`${symbol.name}' (first defined at ${where})`, symbol.expansion);
  }

  /** S for a relocation, or undefined (and a diagnostic) when the symbol is undefined. */
  target(module: number, relocation: Relocation, at: { location: SourceLocation; expansion: LineEntry['expansion'] }): number | undefined {
    const target = relocation.target;
    if (target.kind === 'absolute') return 0;
    if (target.kind === 'section') return this.sectionAddress(module, target.section);
    const definition = this.globals.get(target.name);
    if (definition) return definition.value;
    const external = this.externals.get(target.name);
    if (external !== undefined) return external >>> 0;
    if (!this.reportedUndefined.has(target.name)) {
      this.reportedUndefined.add(target.name);
      this.sink.error(at.location, `undefined reference to \`${target.name}'`, at.expansion);
    }
    return undefined;
  }
}

function toMap(externals: LinkOptions['externalSymbols']): ReadonlyMap<string, number> {
  if (!externals) return new Map();
  return externals instanceof Map ? externals : new Map(Object.entries(externals));
}

/** The line entry covering `offset` of a section (for relocation diagnostics). */
function entryAt(lines: readonly LineEntry[], offset: number): LineEntry | undefined {
  let low = 0;
  let high = lines.length - 1;
  let found: LineEntry | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (lines[mid]!.address <= offset) {
      found = lines[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function applyRelocations(session: LinkSession, output: OutputSection, bytes: Uint8Array): void {
  for (const input of output.inputs) {
    const module = session.modules[input.module]!;
    const base = input.address - output.address;
    for (const relocation of input.section.relocations) {
      const entry = entryAt(input.section.lines, relocation.offset);
      const at = entry ? { location: entry.location, expansion: entry.expansion } : { location: { file: module.file, line: 1, column: 1 }, expansion: [] };
      const s = session.target(input.module, relocation, at);
      if (s === undefined || !bytes.length) continue;
      const pcRelative = relocation.type.includes('PC');
      const size = relocation.type.endsWith('8') ? 1 : relocation.type.endsWith('16') ? 2 : 4;
      const value = s + relocation.addend - (pcRelative ? input.address + relocation.offset : 0);
      if (size < 4 && (pcRelative ? value < -(2 ** (size * 8 - 1)) || value >= 2 ** (size * 8 - 1) : value < -(2 ** (size * 8 - 1)) || value >= 2 ** (size * 8))) {
        session.sink.error(at.location, `relocation truncated to fit: ${relocation.type} (value 0x${(value >>> 0).toString(16)})`, at.expansion);
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const where = base + relocation.offset;
      if (size === 4) view.setUint32(where, value >>> 0, true);
      else if (size === 2) view.setUint16(where, value & 0xffff, true);
      else view.setUint8(where, value & 0xff);
    }
  }
}

function outputBytes(output: OutputSection): Uint8Array {
  if (output.template.type === 'nobits') return new Uint8Array(0);
  const bytes = new Uint8Array(output.size);
  for (const input of output.inputs) bytes.set(input.section.bytes, input.address - output.address);
  return bytes;
}

function programSymbols(session: LinkSession): ProgramSymbol[] {
  const symbols: ProgramSymbol[] = [];
  session.modules.forEach((module, index) => {
    for (const symbol of module.symbols) {
      if (!symbol.defined || symbol.type === 'section' || symbol.type === 'file') continue;
      symbols.push({
        name: symbol.name, value: session.symbolValue(index, symbol), size: symbol.size, section: symbol.section, binding: symbol.binding, type: symbol.type,
        module: module.file, ...(symbol.location ? { location: symbol.location } : {}), ...(symbol.expansion ? { expansion: symbol.expansion } : {}),
      });
    }
  });
  for (const [name, value] of session.externals) {
    if (!session.globals.has(name)) symbols.push({ name, value: value >>> 0, size: 0, section: null, binding: 'global', type: 'notype', module: null });
  }
  return symbols;
}

export function link(modules: readonly ObjectModule[], options: LinkOptions = {}): Program {
  const { sections: outputs, problems } = placeSections(modules, options);
  const session = new LinkSession(modules, outputs, toMap(options.externalSymbols));
  for (const problem of problems) session.sink.error({ file: modules[0]?.file ?? '<link>', line: 1, column: 1 }, problem);
  session.collectGlobals();
  const sections: ProgramSection[] = outputs.map((output) => {
    const bytes = outputBytes(output);
    applyRelocations(session, output, bytes);
    const t = output.template;
    return { name: output.name, address: output.address, size: output.size, bytes, type: t.type, flags: t.flags };
  });
  const lines: LineEntry[] = [];
  for (const output of outputs) {
    for (const input of output.inputs) for (const entry of input.section.lines) lines.push({ ...entry, address: (entry.address + input.address) >>> 0 });
  }
  let entry: number | undefined;
  if (options.entry !== undefined) {
    entry = session.globals.get(options.entry)?.value ?? toMap(options.externalSymbols).get(options.entry);
    if (entry === undefined) session.sink.error({ file: modules[0]?.file ?? '<link>', line: 1, column: 1 }, `entry symbol \`${options.entry}' is not defined`);
  }
  const diagnostics: Diagnostic[] = [...modules.flatMap((m) => m.diagnostics), ...session.sink.diagnostics];
  return { sections, symbols: programSymbols(session), lineTable: new LineTable(lines), diagnostics, ...(entry !== undefined ? { entry } : {}) };
}
