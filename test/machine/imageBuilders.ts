// Builds tiny multiboot images in memory for loader tests: a flat image with the a.out kludge
// header and a minimal ELF32 executable. Test helper only.
import { MULTIBOOT_HEADER_MAGIC } from '../../src/emu/machine/loader/multibootHeader';

export interface AoutImageOptions {
  readonly headerOffset?: number;
  readonly loadAddress?: number;
  readonly codeBytes?: number;
  readonly bssBytes?: number;
  readonly entryOffset?: number;
  readonly flags?: number;
  readonly badChecksum?: boolean;
  /** Overrides load_end_addr (0 = to the end of the file). */
  readonly loadEnd?: number;
}

/** header at `headerOffset` (default 0), code filled with a pattern. */
export function buildAoutImage(options: AoutImageOptions = {}): Uint8Array {
  const headerOffset = options.headerOffset ?? 0;
  const load = options.loadAddress ?? 0x100000;
  const size = headerOffset + 32 + (options.codeBytes ?? 64);
  const image = new Uint8Array(size);
  for (let i = headerOffset + 32; i < size; i++) image[i] = i & 0xff;
  const view = new DataView(image.buffer);
  const flags = options.flags ?? 0x00010003;
  view.setUint32(headerOffset, MULTIBOOT_HEADER_MAGIC, true);
  view.setUint32(headerOffset + 4, flags, true);
  view.setUint32(headerOffset + 8, (-(MULTIBOOT_HEADER_MAGIC + flags) + (options.badChecksum ? 1 : 0)) >>> 0, true);
  view.setUint32(headerOffset + 12, load + headerOffset, true);
  view.setUint32(headerOffset + 16, load, true);
  view.setUint32(headerOffset + 20, options.loadEnd ?? load + size, true);
  view.setUint32(headerOffset + 24, options.bssBytes === undefined ? load + size + 0x100 : options.bssBytes === 0 ? 0 : load + size + options.bssBytes, true);
  view.setUint32(headerOffset + 28, load + (options.entryOffset ?? headerOffset + 32), true);
  return image;
}

export interface ElfSegmentSpec {
  readonly vaddr: number;
  readonly paddr: number;
  readonly data: Uint8Array;
  readonly memsz?: number;
}

/** An ELF32 i386 executable whose first segment starts with a multiboot header (flags 3). */
export function buildElfImage(segments: readonly ElfSegmentSpec[], entry: number, machine = 3, elfClass = 1): Uint8Array {
  const phoff = 52;
  let offset = phoff + 32 * segments.length;
  const placed = segments.map((s) => {
    const at = offset;
    offset += s.data.length;
    return at;
  });
  const image = new Uint8Array(offset);
  const view = new DataView(image.buffer);
  image.set([0x7f, 0x45, 0x4c, 0x46, elfClass, 1, 1], 0);
  view.setUint16(16, 2, true);
  view.setUint16(18, machine, true);
  view.setUint32(20, 1, true);
  view.setUint32(24, entry, true);
  view.setUint32(28, phoff, true);
  view.setUint16(40, 52, true);
  view.setUint16(42, 32, true);
  view.setUint16(44, segments.length, true);
  segments.forEach((s, i) => {
    const at = phoff + 32 * i;
    view.setUint32(at, 1, true);
    view.setUint32(at + 4, placed[i]!, true);
    view.setUint32(at + 8, s.vaddr, true);
    view.setUint32(at + 12, s.paddr, true);
    view.setUint32(at + 16, s.data.length, true);
    view.setUint32(at + 20, s.memsz ?? s.data.length, true);
    view.setUint32(at + 24, 5, true);
    image.set(s.data, placed[i]!);
  });
  return image;
}

/** A 12-byte multiboot header without the a.out kludge, followed by `rest`. */
export function multibootHeaderBytes(rest: number[] = []): Uint8Array {
  const bytes = new Uint8Array(12 + rest.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MULTIBOOT_HEADER_MAGIC, true);
  view.setUint32(4, 3, true);
  view.setUint32(8, -(MULTIBOOT_HEADER_MAGIC + 3) >>> 0, true);
  bytes.set(rest, 12);
  return bytes;
}
