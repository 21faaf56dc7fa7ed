// Where each output section and each module's input section goes: same-named sections of all
// modules are concatenated (each input aligned to its own alignment), explicitly placed output
// sections sit at their given addresses, and the others follow one another from a base address,
// code first, then read-only data, writable data and zero-initialised data, each group starting on a page boundary; non-allocated sections (.comment, debug) get address 0 as
// with ld. Overlapping allocated sections are reported.
// Must not know: symbols, relocations, ELF. Models what a simple `ld -Ttext=` style link does.
import type { ObjectModule, ObjectSection } from '../object/objectModule';

export interface SectionPlacementRequest {
  readonly section: string;
  readonly address: number;
}

export interface PlacementOptions {
  readonly placements?: readonly SectionPlacementRequest[];
  /** First address for sections without a placement (default 0x00100000). */
  readonly baseAddress?: number;
  readonly pageSize?: number;
}

export interface InputPlacement {
  readonly module: number;
  readonly section: ObjectSection;
  readonly address: number;
}

export interface OutputSection {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  readonly alignment: number;
  readonly inputs: readonly InputPlacement[];
  readonly template: ObjectSection;
}

const alignUp = (value: number, alignment: number) => Math.ceil(value / alignment) * alignment;

function kindRank(section: ObjectSection): number {
  if (!section.flags.alloc) return 4;
  if (section.type === 'nobits') return 3;
  if (section.flags.exec) return 0;
  return section.flags.write ? 2 : 1;
}

function layOut(name: string, base: number, inputs: readonly { module: number; section: ObjectSection }[]): OutputSection {
  let offset = 0;
  let alignment = 1;
  const placed: InputPlacement[] = [];
  for (const input of inputs) {
    const inputAlignment = Math.max(1, input.section.alignment);
    alignment = Math.max(alignment, inputAlignment);
    offset = alignUp(offset, inputAlignment);
    placed.push({ module: input.module, section: input.section, address: (base + offset) >>> 0 });
    offset += input.section.size;
  }
  return { name, address: base >>> 0, size: offset, alignment, inputs: placed, template: inputs[0]!.section };
}

/** Places every section of `modules`; returns the output sections and any overlap messages. */
export function placeSections(modules: readonly ObjectModule[], options: PlacementOptions): { sections: OutputSection[]; problems: string[] } {
  const byName = new Map<string, { module: number; section: ObjectSection }[]>();
  modules.forEach((module, index) => {
    for (const section of module.sections) {
      const list = byName.get(section.name) ?? [];
      list.push({ module: index, section });
      byName.set(section.name, list);
    }
  });
  const pageSize = options.pageSize ?? 4096;
  const requested = new Map((options.placements ?? []).map((p) => [p.section, p.address]));
  const sections: OutputSection[] = [];
  for (const [name, address] of requested) {
    const inputs = byName.get(name);
    if (inputs) sections.push(layOut(name, address, inputs));
  }
  const rest = [...byName.entries()].filter(([name]) => !requested.has(name)).sort((a, b) => kindRank(a[1][0]!.section) - kindRank(b[1][0]!.section));
  let next = options.baseAddress ?? 0x00100000;
  let previousRank = -1;
  for (const [name, inputs] of rest) {
    const rank = kindRank(inputs[0]!.section);
    if (rank === 4) {
      sections.push(layOut(name, 0, inputs));
      continue;
    }
    if (rank !== previousRank) next = alignUp(next, pageSize);
    previousRank = rank;
    const alignment = Math.max(1, ...inputs.map((i) => i.section.alignment));
    const output = layOut(name, alignUp(next, alignment), inputs);
    sections.push(output);
    next = output.address + output.size;
  }
  return { sections, problems: findOverlaps(sections) };
}

function findOverlaps(sections: readonly OutputSection[]): string[] {
  const allocated = sections.filter((s) => s.template.flags.alloc && s.size > 0).sort((a, b) => a.address - b.address);
  const problems: string[] = [];
  for (let i = 1; i < allocated.length; i++) {
    const before = allocated[i - 1]!;
    const after = allocated[i]!;
    if (before.address + before.size > after.address) {
      problems.push(`section ${after.name} at 0x${after.address.toString(16)} overlaps section ${before.name} (0x${before.address.toString(16)}-0x${(before.address + before.size).toString(16)})`);
    }
  }
  return problems;
}
