// An assembly listing in the spirit of `as -al`: for each section, every line entry with its
// source line number, section offset, the bytes it produced (eight per row, more on continuation
// rows) and the statement text after expansion; lines produced by a macro, .rept or #include end with
// the expansion chain, innermost first.
// Must not know: how the module was assembled; it reads an ObjectModule only.
import type { ObjectModule, ObjectSection } from './object/objectModule';
import type { LineEntry } from './program';
import type { ExpansionFrame } from './sourceLocation';

const BYTES_PER_ROW = 8;

function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

function describeFrame(frame: ExpansionFrame, mainFile: string): string {
  const where = `${frame.site.file === mainFile ? '' : `${frame.site.file}:`}${frame.site.line}`;
  if (frame.kind === 'include') return `included at ${where}`;
  const iteration = frame.iteration === undefined ? '' : `[${frame.iteration}]`;
  return `${frame.name}${iteration} at ${where}`;
}

function entryRows(entry: LineEntry, section: ObjectSection, mainFile: string): string[] {
  const file = entry.location.file === mainFile ? '' : `${entry.location.file}:`;
  const lineLabel = `${file}${entry.location.line}`.padStart(6);
  const bytes = section.bytes.length ? section.bytes.subarray(entry.address, entry.address + entry.size) : new Uint8Array(0);
  const chunks: string[] = [];
  const shown = Math.min(bytes.length, BYTES_PER_ROW * 4);
  for (let i = 0; i < shown; i += BYTES_PER_ROW) chunks.push([...bytes.subarray(i, Math.min(shown, i + BYTES_PER_ROW))].map((b) => hex(b, 2)).join(''));
  if (chunks.length === 0) chunks.push(section.type === 'nobits' ? `(${entry.size} bytes)` : '');
  const chain = entry.expansion.length ? `\t# ${entry.expansion.map((f) => describeFrame(f, mainFile)).join(', ')}` : '';
  const rows = [`${lineLabel} ${hex(entry.address, 4)} ${chunks[0]!.padEnd(BYTES_PER_ROW * 2)}\t${entry.text}${chain}`];
  for (let i = 1; i < chunks.length; i++) rows.push(`${''.padStart(6)} ${''.padStart(4)} ${chunks[i]}`);
  if (bytes.length > shown) rows.push(`${''.padStart(6)} ${''.padStart(4)} ... (${bytes.length} bytes)`);
  return rows;
}

export function formatListing(module: ObjectModule): string {
  const out: string[] = [`lguest-debug listing of ${module.file}`, ''];
  for (const section of module.sections) {
    if (section.lines.length === 0) continue;
    out.push(`Section ${section.name} (${section.size} bytes)`);
    for (const entry of section.lines) out.push(...entryRows(entry, section, module.file));
    out.push('');
  }
  const symbols = module.symbols.filter((s) => s.type !== 'section' && s.type !== 'file');
  if (symbols.length) {
    out.push('Symbols');
    for (const s of symbols) out.push(`  ${s.defined ? hex(s.value >>> 0, 8) : '        '} ${(s.section ?? (s.defined ? '*ABS*' : '*UND*')).padEnd(12)} ${s.binding.padEnd(6)} ${s.name}`);
    out.push('');
  }
  return out.join('\n');
}
