// The contents of one section as the front end builds it, in GAS's frag terms: fixed bytes with
// fixups, relaxable branches, alignment, `.org` and variable-size `.space`. One item per statement so
// that every byte range keeps the statement (and line entry) that produced it. Positions name a
// point in a section as (item index, byte offset) plus the "epoch" (number of variable-size items
// before it): two positions in one epoch are a known distance apart before layout, like GAS frags.
// Must not know: syntax, encodings, ELF. Models GAS internals "Frags" (gas/doc/internals) loosely.
import type { Expr } from '../expression';
import type { RelaxableBranch } from '../encoder/encoderContract';
import type { LineEntryKind } from '../program';
import type { SectionFlags } from '../object/objectModule';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';

export interface LineInfo {
  readonly kind: LineEntryKind;
  readonly location: SourceLocation;
  readonly expansion: ExpansionChain;
  readonly text: string;
}

/** How a fixup's PC-relative value is measured: the encoder's rule (from the end of the field) or data. */
export type FixupOrigin = 'encoder' | 'data';

export interface ItemFixup {
  /** Byte offset within the item. */
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly pcRelative: boolean;
  readonly range: 'signed' | 'unsigned' | 'either';
  readonly value: Expr;
  readonly origin: FixupOrigin;
  readonly location: SourceLocation;
  readonly expansion: ExpansionChain;
}

export interface FixedItem {
  readonly kind: 'fixed';
  readonly bytes: Uint8Array;
  readonly fixups: readonly ItemFixup[];
  readonly line?: LineInfo;
}

export interface BranchItem {
  readonly kind: 'branch';
  readonly branch: RelaxableBranch;
  readonly line: LineInfo;
}

export interface AlignItem {
  readonly kind: 'align';
  /** Alignment in bytes (a power of two). */
  readonly alignment: number;
  /** Fill pattern repeated over the padding; null means multi-byte NOPs (code sections). */
  readonly fill: Uint8Array | null;
  /** Skip the alignment when it would need more than this many bytes (0 = no limit). */
  readonly maxSkip: number;
  readonly line: LineInfo;
}

export interface OrgItem {
  readonly kind: 'org';
  readonly target: Expr;
  readonly fill: number;
  readonly line: LineInfo;
}

export interface SpaceItem {
  readonly kind: 'space';
  readonly size: Expr;
  readonly fill: number;
  readonly line: LineInfo;
}

export type SectionItem = FixedItem | BranchItem | AlignItem | OrgItem | SpaceItem;

export type SectionType = 'progbits' | 'nobits' | 'note';

export interface Position {
  readonly section: string;
  readonly item: number;
  readonly offset: number;
  readonly epoch: number;
  readonly epochOffset: number;
}

/** A section being assembled: items in order plus what ELF needs to know about it. */
export class SectionContent {
  readonly items: SectionItem[] = [];
  /** Index of the first item of each epoch (epoch e begins after the e-th variable item). */
  readonly epochStarts: number[] = [0];
  alignment = 1;
  private epoch = 0;
  private epochOffset = 0;

  constructor(
    readonly name: string,
    public type: SectionType,
    public flags: SectionFlags,
    /** Creation order, shared with symbols (GAS creates a section symbol with the section). */
    readonly order: number,
  ) {}

  /** The position `epochOffset` bytes into epoch `epoch` (a parse-time label term turned back into a place). */
  positionInEpoch(epoch: number, epochOffset: number): Position {
    return { section: this.name, item: this.epochStarts[epoch]!, offset: epochOffset, epoch, epochOffset };
  }

  /** The position of the next byte to be emitted, `offset` bytes further. */
  position(offset = 0): Position {
    return { section: this.name, item: this.items.length, offset, epoch: this.epoch, epochOffset: this.epochOffset + offset };
  }

  addFixed(item: FixedItem): void {
    this.items.push(item);
    this.epochOffset += item.bytes.length;
  }

  addVariable(item: BranchItem | AlignItem | OrgItem | SpaceItem): void {
    this.items.push(item);
    this.epoch++;
    this.epochOffset = 0;
    this.epochStarts.push(this.items.length);
  }

  recordAlignment(bytes: number): void {
    if (bytes > this.alignment) this.alignment = bytes;
  }
}
