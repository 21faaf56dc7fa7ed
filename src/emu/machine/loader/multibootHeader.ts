// Finds and decodes a Multiboot (version 1) header: magic 0x1BADB002 at a 4-byte-aligned offset in
// the first 8192 bytes, flags, checksum, and the address fields used with the a.out kludge.
// Owns: the search and field decoding. Must not know: memory, ELF, or how images are loaded.
// Models the Multiboot Specification 0.6.96 §3.1 (OS image format, header layout and flags).
import { hex, LoaderError } from './loaderError';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
export const MULTIBOOT_SEARCH_BYTES = 8192;
export const MB_FLAG_PAGE_ALIGN = 0x1;
export const MB_FLAG_MEMORY_INFO = 0x2;
export const MB_FLAG_VIDEO_MODE = 0x4;
export const MB_FLAG_AOUT_KLUDGE = 0x10000;

export interface AoutKludgeFields {
  readonly headerAddress: number;
  readonly loadAddress: number;
  readonly loadEndAddress: number;
  readonly bssEndAddress: number;
  readonly entryAddress: number;
}

export interface MultibootHeader {
  /** Byte offset of the magic in the image. */
  readonly offset: number;
  readonly flags: number;
  readonly checksum: number;
  /** Present when flags bit 16 is set. */
  readonly aout?: AoutKludgeFields;
}

/** Locates the header. Throws a LoaderError naming the problem when there is no valid one. */
export function findMultibootHeader(image: Uint8Array): MultibootHeader {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const limit = Math.min(MULTIBOOT_SEARCH_BYTES, image.length) - 12;
  let badChecksumAt = -1;
  for (let offset = 0; offset <= limit; offset += 4) {
    if (view.getUint32(offset, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = view.getUint32(offset + 4, true);
    const checksum = view.getUint32(offset + 8, true);
    if (((MULTIBOOT_HEADER_MAGIC + flags + checksum) >>> 0) !== 0) {
      if (badChecksumAt < 0) badChecksumAt = offset;
      continue;
    }
    return { offset, flags, checksum, aout: readAoutFields(view, offset, flags) };
  }
  if (badChecksumAt >= 0) {
    throw new LoaderError(`the multiboot header at offset ${hex(badChecksumAt)} has a bad checksum (magic + flags + checksum must be 0 mod 2^32)`);
  }
  if (image.length < 12) throw new LoaderError(`the image is only ${image.length} bytes: too short to hold a multiboot header`);
  throw new LoaderError(`no multiboot header (magic ${hex(MULTIBOOT_HEADER_MAGIC)}) in the first ${MULTIBOOT_SEARCH_BYTES} bytes`);
}

function readAoutFields(view: DataView, offset: number, flags: number): AoutKludgeFields | undefined {
  if ((flags & MB_FLAG_AOUT_KLUDGE) === 0) return undefined;
  if (offset + 32 > view.byteLength) throw new LoaderError('the multiboot header is truncated: the a.out kludge address fields run past the end of the image');
  return {
    headerAddress: view.getUint32(offset + 12, true),
    loadAddress: view.getUint32(offset + 16, true),
    loadEndAddress: view.getUint32(offset + 20, true),
    bssEndAddress: view.getUint32(offset + 24, true),
    entryAddress: view.getUint32(offset + 28, true),
  };
}

/** Notes on header flags this loader (like QEMU's) accepts but does not honour. */
export function headerWarnings(header: MultibootHeader): string[] {
  const warnings: string[] = [];
  if (header.flags & MB_FLAG_VIDEO_MODE) warnings.push('the kernel asks for a video mode (flags bit 2): ignored, as QEMU does');
  const unknownRequired = header.flags & 0xfff8;
  if (unknownRequired) warnings.push(`the kernel requires unknown features (flags ${hex(unknownRequired)}): ignored, as QEMU does`);
  return warnings;
}
