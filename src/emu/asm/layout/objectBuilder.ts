// Builds the ObjectModule of one assembly: runs layout, writes every section, and lists symbols the
// way GNU as writes its ELF symbol table: the STT_FILE symbol first, then local symbols (section
// symbols only for sections that relocations name, labels, absolute symbols like `irq`) in creation
// order, then globals, weak and undefined symbols in creation order. `.L` names, numeric local
// labels and internal `.` positions are not listed.
// Must not know: syntax, ELF bytes. Models GAS write.c/obj-elf.c symbol handling (behaviour).
import type { DiagnosticSink } from '../diagnostics';
import type { ObjectModule, ObjectSection, ObjectSymbol } from '../object/objectModule';
import { EvaluationError, isConstant } from '../gas/expressionEvaluator';
import type { GasResult } from '../gas/gasAssembler';
import type { SymbolEntry, SymbolTable } from '../gas/symbolTable';
import { SectionLayout } from './sectionLayout';
import { writeSection } from './sectionOutput';

interface OrderedSymbol {
  readonly order: number;
  readonly symbol: ObjectSymbol;
}

export function buildObjectModule(result: GasResult, file: string, files: readonly string[], sink: DiagnosticSink): ObjectModule {
  const layout = new SectionLayout(result.sections, result.symbols, sink);
  layout.run();
  const sections: ObjectSection[] = [];
  const relocatedSections = new Set<string>();
  for (const section of result.sections) {
    const output = writeSection(layout, layout.bySection.get(section.name)!, { sink, symbols: result.symbols });
    for (const r of output.relocations) if (r.target.kind === 'section') relocatedSections.add(r.target.section);
    sections.push({
      name: section.name, type: section.type, flags: section.flags, alignment: section.alignment,
      bytes: output.bytes, size: output.size, relocations: output.relocations, lines: output.lines,
    });
  }
  const symbols = listSymbols(result, layout, relocatedSections, sink);
  return { file, sections, symbols, diagnostics: sink.diagnostics, files };
}

function listSymbols(result: GasResult, layout: SectionLayout, relocatedSections: ReadonlySet<string>, sink: DiagnosticSink): ObjectSymbol[] {
  const locals: OrderedSymbol[] = [];
  const globals: OrderedSymbol[] = [];
  for (const section of result.sections) {
    if (!relocatedSections.has(section.name)) continue;
    locals.push({ order: section.order, symbol: { name: section.name, value: 0, section: section.name, defined: true, binding: 'local', type: 'section', size: 0 } });
  }
  for (const entry of result.symbols.entries()) {
    if (entry.internal) continue;
    const symbol = describeSymbol(entry, layout, sink);
    if (!symbol) continue;
    (symbol.binding === 'local' ? locals : globals).push({ order: entry.order, symbol });
  }
  locals.sort((a, b) => a.order - b.order);
  const file: ObjectSymbol[] = result.fileSymbol
    ? [{ name: result.fileSymbol.name, value: 0, section: null, defined: true, binding: 'local', type: 'file', size: 0 }]
    : [];
  return [...file, ...locals.map((s) => s.symbol), ...globals.map((s) => s.symbol)];
}

/** Value and section of a symbol after layout, or undefined when it cannot be listed. */
function placeSymbol(entry: SymbolEntry, layout: SectionLayout, sink: DiagnosticSink): { value: number; section: string | null; defined: boolean } | undefined {
  const definition = entry.definition;
  if (!definition) return { value: 0, section: null, defined: false };
  if (definition.kind === 'absolute') return { value: Number(BigInt.asUintN(32, definition.value)), section: null, defined: true };
  if (definition.kind === 'label') return { value: layout.address(definition.position), section: definition.position.section, defined: true };
  try {
    const value = layout.evaluate(definition.expr);
    if (isConstant(value)) return { value: Number(BigInt.asUintN(32, value.constant)), section: null, defined: true };
    if (value.add && !value.sub && value.add.section !== null) return { value: Number(value.add.offset + value.constant), section: value.add.section, defined: true };
    return undefined;
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    if (entry.location) sink.error(entry.location, error.message, entry.expansion);
    return undefined;
  }
}

/** `x = sym` and `x = sym + c` take sym's ELF type and size, as GAS copies symbol attributes. */
function attributeSource(entry: SymbolEntry, symbols: SymbolTable): SymbolEntry {
  const base = entry.attributesFrom === undefined ? undefined : symbols.lookup(entry.attributesFrom);
  return base ?? entry;
}

function describeSymbol(entry: SymbolEntry, layout: SectionLayout, sink: DiagnosticSink): ObjectSymbol | undefined {
  const placed = placeSymbol(entry, layout, sink);
  if (!placed) return undefined;
  if (!placed.defined && entry.binding === 'weak' && !entry.used) return undefined;
  const binding = !placed.defined && entry.binding === 'local' ? 'global' : entry.binding;
  const attributes = attributeSource(entry, layout.symbols);
  const type = entry.type === 'notype' ? attributes.type : entry.type;
  const sizeExpr = entry.size ?? attributes.size;
  let size = 0;
  if (sizeExpr) {
    try {
      const value = layout.evaluate(sizeExpr);
      if (isConstant(value)) size = Number(BigInt.asUintN(32, value.constant));
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
    }
  }
  return {
    name: entry.name, value: placed.value, section: placed.section, defined: placed.defined, binding, type, size,
    ...(entry.visibility !== 'default' ? { visibility: entry.visibility } : {}),
    ...(entry.location ? { location: entry.location } : {}),
    ...(entry.expansion && entry.expansion.length ? { expansion: entry.expansion } : {}),
  };
}
