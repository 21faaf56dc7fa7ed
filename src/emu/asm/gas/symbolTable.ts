// The assembler's symbols in creation order (GAS writes them to ELF in that order, locals first):
// labels at section positions, absolute values (`irq = 5`, redefinable), equated expressions
// resolved after layout, bindings from .globl/.local/.weak, ELF type and size, and where each was
// defined. Numeric local labels (`1:`) get unique internal names here.
// Must not know: parsing, layout. Models GAS manual §5 "Symbols" (§5.3 local symbol names).
import type { Expr } from '../expression';
import type { SymbolBinding, SymbolType } from '../object/objectModule';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import type { Position } from '../layout/sectionItems';

export type SymbolDefinition =
  /** `assigned`: placed by `x = label + c` rather than written as a label, so it may be reassigned. */
  | { readonly kind: 'label'; readonly position: Position; readonly assigned?: boolean }
  | { readonly kind: 'absolute'; readonly value: bigint }
  | { readonly kind: 'expression'; readonly expr: Expr };

export type SymbolVisibility = 'default' | 'internal' | 'hidden' | 'protected';

export interface SymbolEntry {
  readonly name: string;
  readonly order: number;
  definition?: SymbolDefinition;
  binding: SymbolBinding;
  /** Set by .globl/.weak/.local: the binding was chosen explicitly. */
  bindingDeclared: boolean;
  type: SymbolType;
  size?: Expr;
  visibility: SymbolVisibility;
  /** Defined by .equiv: any later redefinition is an error. */
  equiv: boolean;
  /** Never written to the symbol table (numeric local labels, `.L` names, `.` positions). */
  readonly internal: boolean;
  /** How to name it in messages (numeric local labels). */
  readonly displayName: string;
  location?: SourceLocation;
  expansion?: ExpansionChain;
  /** `x = sym` / `x = sym + c`: x takes sym's ELF type and size (GAS copies symbol attributes). */
  attributesFrom?: string;
  /** Internal name of the value assigned last (`x = ...` may be reassigned; earlier uses keep theirs). */
  version?: string;
  /** Mentioned in an expression (GAS drops unreferenced undefined weak symbols). */
  used: boolean;
}

const FB_MARK = '\u0002';
const DOT_MARK = '\u0001';
const VERSION_MARK = '\u0003';

export class SymbolTable {
  private readonly byName = new Map<string, SymbolEntry>();
  private readonly ordered: SymbolEntry[] = [];
  private orderCounter = 0;
  private readonly fbInstances = new Map<string, number>();
  private dotCounter = 0;
  private versionCounter = 0;

  /** The next creation number (sections take one too, for their section symbols). */
  nextOrder(): number {
    return this.orderCounter++;
  }

  lookup(name: string): SymbolEntry | undefined {
    return this.byName.get(name);
  }

  /** The symbol called `name`, created (undefined, local) on first mention. */
  get(name: string): SymbolEntry {
    let entry = this.byName.get(name);
    if (!entry) {
      const internal = name.startsWith('.L') || name.startsWith(FB_MARK) || name.startsWith(DOT_MARK) || name.startsWith(VERSION_MARK);
      const display = name.startsWith(FB_MARK) ? fbDisplayName(name) : name.startsWith(VERSION_MARK) ? name.split(VERSION_MARK)[1]! : name;
      entry = this.create(name, display, internal);
    }
    return entry;
  }

  entries(): readonly SymbolEntry[] {
    return this.ordered;
  }

  /** `Nb` / `Nf`: the internal name of the numeric label instance referred to. */
  numericReference(label: string, direction: 'f' | 'b'): string {
    const defined = this.fbInstances.get(label) ?? 0;
    return fbName(label, direction === 'b' ? defined : defined + 1);
  }

  /** `N:`: the internal name of the new instance of numeric label N. */
  numericDefinition(label: string): string {
    const instance = (this.fbInstances.get(label) ?? 0) + 1;
    this.fbInstances.set(label, instance);
    return fbName(label, instance);
  }

  /** Records `entry`'s new assigned value as an internal version symbol that later uses will name. */
  assignVersion(entry: SymbolEntry, definition: SymbolDefinition): void {
    const version = this.get(`${VERSION_MARK}${entry.name}${VERSION_MARK}${this.versionCounter++}`);
    version.definition = definition;
    version.location = entry.location;
    version.expansion = entry.expansion;
    entry.version = version.name;
  }

  /** An internal label standing for `.` at a position (GAS's temporary "now" symbol). */
  dotSymbol(position: Position): string {
    const name = `${DOT_MARK}${this.dotCounter++}`;
    const entry = this.get(name);
    entry.definition = { kind: 'label', position };
    return name;
  }

  private create(name: string, displayName: string, internal: boolean): SymbolEntry {
    const entry: SymbolEntry = {
      name, order: this.orderCounter++, binding: 'local', bindingDeclared: false, type: 'notype', visibility: 'default',
      equiv: false, internal, displayName, used: false,
    };
    this.byName.set(name, entry);
    this.ordered.push(entry);
    return entry;
  }
}

function fbName(label: string, instance: number): string {
  return `${FB_MARK}${label}${FB_MARK}${instance}`;
}

function fbDisplayName(name: string): string {
  const [, label, instance] = name.split(FB_MARK);
  return `local label \`"${label}" (instance number ${instance} of a fb label)'`;
}

/** The name to show for a symbol in a message. */
export function displaySymbol(table: SymbolTable, name: string): string {
  const entry = table.lookup(name);
  if (entry?.displayName && entry.displayName !== name) return entry.displayName;
  return `\`${name}'`;
}
