// The sections of one assembly in creation order (.text, .data and .bss always first, as GNU as
// creates them), the current section, `.previous` and the `.pushsection` stack, and the default
// type and flags an ELF section gets from its name (.text* code, .data* writable, .bss* nobits...).
// Must not know: directive syntax (sectionDirectives.ts), layout. Models GAS manual §7 (.section for
// ELF, .previous, .pushsection/.popsection) and the ELF gABI special sections table.
import type { SectionFlags } from '../object/objectModule';
import { SectionContent, type SectionType } from '../layout/sectionItems';

export interface SectionAttributes {
  readonly type: SectionType;
  readonly flags: SectionFlags;
}

const NONE: SectionFlags = { alloc: false, write: false, exec: false };
const CODE: SectionFlags = { alloc: true, write: false, exec: true };
const DATA: SectionFlags = { alloc: true, write: true, exec: false };
const READ_ONLY: SectionFlags = { alloc: true, write: false, exec: false };

interface SpecialSection {
  readonly name: string;
  /** Also matches `name.anything`. */
  readonly prefix: boolean;
  readonly attributes: SectionAttributes;
}

const SPECIAL_SECTIONS: readonly SpecialSection[] = [
  { name: '.text', prefix: true, attributes: { type: 'progbits', flags: CODE } },
  { name: '.data', prefix: true, attributes: { type: 'progbits', flags: DATA } },
  { name: '.data1', prefix: false, attributes: { type: 'progbits', flags: DATA } },
  { name: '.bss', prefix: true, attributes: { type: 'nobits', flags: DATA } },
  { name: '.rodata', prefix: true, attributes: { type: 'progbits', flags: READ_ONLY } },
  { name: '.rodata1', prefix: false, attributes: { type: 'progbits', flags: READ_ONLY } },
  { name: '.note', prefix: true, attributes: { type: 'note', flags: NONE } },
  { name: '.init', prefix: false, attributes: { type: 'progbits', flags: CODE } },
  { name: '.fini', prefix: false, attributes: { type: 'progbits', flags: CODE } },
  { name: '.tdata', prefix: true, attributes: { type: 'progbits', flags: DATA } },
  { name: '.tbss', prefix: true, attributes: { type: 'nobits', flags: DATA } },
  { name: '.init_array', prefix: true, attributes: { type: 'progbits', flags: DATA } },
  { name: '.fini_array', prefix: true, attributes: { type: 'progbits', flags: DATA } },
  { name: '.preinit_array', prefix: true, attributes: { type: 'progbits', flags: DATA } },
];

/** The type and flags ELF gives a section by its name alone. */
export function defaultAttributes(name: string): SectionAttributes {
  for (const special of SPECIAL_SECTIONS) {
    if (name === special.name || (special.prefix && name.startsWith(`${special.name}.`))) return special.attributes;
  }
  return { type: 'progbits', flags: NONE };
}

export class SectionRegistry {
  private readonly byName = new Map<string, SectionContent>();
  private readonly ordered: SectionContent[] = [];
  private currentSection: SectionContent;
  private previousSection: SectionContent;
  private readonly stack: { current: SectionContent; previous: SectionContent }[] = [];

  constructor(private readonly nextOrder: () => number) {
    this.currentSection = this.create('.text', defaultAttributes('.text'));
    this.create('.data', defaultAttributes('.data'));
    this.create('.bss', defaultAttributes('.bss'));
    this.previousSection = this.currentSection;
  }

  get current(): SectionContent {
    return this.currentSection;
  }

  all(): readonly SectionContent[] {
    return this.ordered;
  }

  lookup(name: string): SectionContent | undefined {
    return this.byName.get(name);
  }

  /** The section called `name`, created with `attributes` (or its name's defaults) if new. */
  obtain(name: string, attributes?: SectionAttributes): { section: SectionContent; created: boolean } {
    const existing = this.byName.get(name);
    if (existing) return { section: existing, created: false };
    return { section: this.create(name, attributes ?? defaultAttributes(name)), created: true };
  }

  switchTo(section: SectionContent): void {
    if (section === this.currentSection) return;
    this.previousSection = this.currentSection;
    this.currentSection = section;
  }

  /** `.previous`: swap the current and the previous section. */
  swapWithPrevious(): void {
    const current = this.currentSection;
    this.currentSection = this.previousSection;
    this.previousSection = current;
  }

  push(section: SectionContent): void {
    this.stack.push({ current: this.currentSection, previous: this.previousSection });
    this.switchTo(section);
  }

  /** False when the stack is empty. */
  pop(): boolean {
    const saved = this.stack.pop();
    if (!saved) return false;
    this.currentSection = saved.current;
    this.previousSection = saved.previous;
    return true;
  }

  private create(name: string, attributes: SectionAttributes): SectionContent {
    const section = new SectionContent(name, attributes.type, attributes.flags, this.nextOrder());
    this.byName.set(name, section);
    this.ordered.push(section);
    return section;
  }
}
