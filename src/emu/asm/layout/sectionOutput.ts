// Produces a section's final bytes, relocations and line entries once addresses are fixed: copies
// fixed items and patches their fixups, writes each branch in its chosen form, fills alignment with
// NOPs or the fill pattern, .org/.space with their fill byte, and reports .org moving backwards.
// Relocations come out in GNU as's order: fixups made while parsing first, then those of relaxed
// branches (GAS creates them when it converts the frags).
// Must not know: syntax, ELF bytes. Models GAS write.c (fixup_segment, cvt_frag_to_fill) behaviour.
import type { DiagnosticSink } from '../diagnostics';
import type { LineEntry } from '../program';
import type { Relocation } from '../object/objectModule';
import { EvaluationError, type Value } from '../gas/expressionEvaluator';
import type { SymbolTable } from '../gas/symbolTable';
import { writeLittleEndian } from '../gas/directives/dataDirectives';
import { rangeError, resolveField, type FieldPlace } from './fixupResolution';
import { nopPadding } from './nopPadding';
import { branchSize, type SectionAddresses, type SectionLayout } from './sectionLayout';
import type { AlignItem, BranchItem, ItemFixup, LineInfo } from './sectionItems';

export interface SectionOutput {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly relocations: readonly Relocation[];
  readonly lines: readonly LineEntry[];
}

interface Reporter {
  readonly sink: DiagnosticSink;
  readonly symbols: SymbolTable;
}

/** Evaluates `expr` after layout, turning evaluation errors and undefined local labels into messages. */
function finalValue(layout: SectionLayout, symbols: SymbolTable, expr: ItemFixup['value']): Value | string {
  try {
    const value = layout.evaluate(expr);
    const add = value.add;
    if (add && add.section === null && add.symbol !== null) {
      const entry = symbols.lookup(add.symbol);
      if (entry?.internal) return entry.displayName.startsWith('local label') ? `${entry.displayName} is not defined` : `local symbol \`${entry.displayName}' is not defined`;
    }
    return value;
  } catch (error) {
    if (error instanceof EvaluationError) return error.message;
    throw error;
  }
}

class SectionWriter {
  readonly bytes: Uint8Array;
  readonly early: Relocation[] = [];
  readonly late: Relocation[] = [];
  readonly lines: LineEntry[] = [];

  constructor(
    private readonly layout: SectionLayout,
    private readonly addresses: SectionAddresses,
    private readonly reporter: Reporter,
  ) {
    const size = addresses.starts[addresses.section.items.length]!;
    this.bytes = new Uint8Array(addresses.section.type === 'nobits' ? 0 : size);
  }

  private get name(): string {
    return this.addresses.section.name;
  }

  /** Resolves one field: patches it or records a relocation in `into`. */
  field(place: FieldPlace, value: Value | string, at: { location: LineInfo['location']; expansion: LineInfo['expansion'] }, into: Relocation[]): void {
    const report = (message: string) => this.reporter.sink.error(at.location, message, at.expansion);
    if (typeof value === 'string') return report(value);
    const resolution = resolveField(place, value);
    if (resolution.kind === 'error') return report(resolution.message);
    if (resolution.kind === 'patch') {
      const problem = rangeError(place, resolution.value);
      if (problem) report(problem);
      return this.write(place.offset, place.size, resolution.value);
    }
    this.write(place.offset, place.size, resolution.addend);
    into.push({ offset: place.offset, type: resolution.type, target: resolution.target, addend: Number(BigInt.asIntN(32, resolution.addend)) });
  }

  private write(offset: number, size: number, value: bigint): void {
    if (this.bytes.length) writeLittleEndian(this.bytes, offset, size, value);
  }

  fixed(start: number, bytes: Uint8Array, fixups: readonly ItemFixup[]): void {
    if (this.bytes.length) this.bytes.set(bytes, start);
    for (const fixup of fixups) {
      const place: FieldPlace = { section: this.name, offset: start + fixup.offset, size: fixup.size, pcRelative: fixup.pcRelative, range: fixup.range };
      this.field(place, finalValue(this.layout, this.reporter.symbols, fixup.value), fixup, this.early);
    }
  }

  branch(index: number, start: number, item: BranchItem): void {
    const long = this.addresses.long[index] === 1;
    const b = item.branch;
    const opcode = long ? b.longOpcode : b.shortOpcode;
    this.bytes.set(b.prefixes, start);
    this.bytes.set(opcode, start + b.prefixes.length);
    const offset = start + b.prefixes.length + opcode.length;
    const size = long ? 4 : 1;
    const value = finalValue(this.layout, this.reporter.symbols, b.target);
    const place: FieldPlace = { section: this.name, offset, size, pcRelative: true, range: 'signed' };
    if (typeof value !== 'string' && this.layout.isLocalTarget(item, this.name)) {
      this.field(place, { constant: value.constant, add: { ...value.add!, symbol: null } }, item.line, this.late);
    } else this.field(place, value, item.line, this.late);
  }

  padding(start: number, size: number, item: AlignItem): void {
    if (!this.bytes.length || size === 0) return;
    if (item.fill === null) this.bytes.set(nopPadding(size), start);
    else for (let i = 0; i < size; i++) this.bytes[start + i] = item.fill[i % item.fill.length]!;
  }
}

export function writeSection(layout: SectionLayout, addresses: SectionAddresses, reporter: Reporter): SectionOutput {
  const writer = new SectionWriter(layout, addresses, reporter);
  const { section, starts } = addresses;
  layout.finalView(section.name);
  section.items.forEach((item, index) => {
    const start = starts[index]!;
    const size = starts[index + 1]! - start;
    switch (item.kind) {
      case 'fixed':
        writer.fixed(start, item.bytes, item.fixups);
        break;
      case 'branch':
        if (size !== branchSize(item, addresses.long[index] === 1)) throw new Error('branch size mismatch after layout');
        writer.branch(index, start, item);
        break;
      case 'align':
        writer.padding(start, size, item);
        break;
      case 'org': {
        const target = layout.offsetValue(item.target, start);
        if (target === undefined) reporter.sink.error(item.line.location, '.org target is not an address in this section', item.line.expansion);
        else if (target < start) reporter.sink.error(item.line.location, 'attempt to move .org backwards', item.line.expansion);
        if (writer.bytes.length && size) writer.bytes.fill(item.fill, start, start + size);
        break;
      }
      case 'space': {
        const value = finalValue(layout, reporter.symbols, item.size);
        if (typeof value === 'string' || value.add || value.sub) reporter.sink.error(item.line.location, `${item.line.text.split(/\s/)[0]} size is not a constant`, item.line.expansion);
        if (writer.bytes.length && size) writer.bytes.fill(item.fill, start, start + size);
        break;
      }
    }
    const line = item.line;
    if (line && size > 0) writer.lines.push({ address: start, size, kind: line.kind, location: line.location, expansion: line.expansion, text: line.text });
  });
  layout.finalView();
  return { bytes: writer.bytes, size: starts[section.items.length]!, relocations: [...writer.early, ...writer.late], lines: writer.lines };
}
