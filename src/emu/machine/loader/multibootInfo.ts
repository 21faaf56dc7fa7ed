// Encodes the Multiboot information structure and the memory-map buffer it points to.
// Owns: field offsets and flag bits of the MBI, the size-prefixed memory-map entry format.
// Must not know: where things are placed (the loader decides) or how the kernel was loaded.
// Models the Multiboot Specification 0.6.96 §3.3 (boot information format).
import type { E820Entry } from './qemuFirmware';

export const MBI_FLAG_MEMORY = 0x001;
export const MBI_FLAG_BOOT_DEVICE = 0x002;
export const MBI_FLAG_CMDLINE = 0x004;
export const MBI_FLAG_MODS = 0x008;
export const MBI_FLAG_MMAP = 0x040;
export const MBI_FLAG_BOOT_LOADER_NAME = 0x200;

/** Bytes of the MBI through the VBE fields (the framebuffer fields are not used). */
export const MBI_SIZE = 0x58;
export const MMAP_ENTRY_SIZE = 24;

export interface MultibootInfoFields {
  readonly flags: number;
  readonly memLower: number;
  readonly memUpper: number;
  readonly bootDevice: number;
  readonly cmdline: number;
  readonly modsCount: number;
  readonly modsAddr: number;
  readonly mmapLength: number;
  readonly mmapAddr: number;
  readonly bootLoaderName: number;
}

export function encodeMultibootInfo(fields: MultibootInfoFields): Uint8Array {
  const bytes = new Uint8Array(MBI_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, fields.flags, true);
  view.setUint32(4, fields.memLower, true);
  view.setUint32(8, fields.memUpper, true);
  view.setUint32(12, fields.bootDevice, true);
  view.setUint32(16, fields.cmdline, true);
  view.setUint32(20, fields.modsCount, true);
  view.setUint32(24, fields.modsAddr, true);
  view.setUint32(44, fields.mmapLength, true);
  view.setUint32(48, fields.mmapAddr, true);
  view.setUint32(64, fields.bootLoaderName, true);
  return bytes;
}

/** Memory-map entries: size (20) then base, length (64-bit each) and type, 24 bytes apiece. */
export function encodeMemoryMap(entries: readonly E820Entry[]): Uint8Array {
  const bytes = new Uint8Array(entries.length * MMAP_ENTRY_SIZE);
  const view = new DataView(bytes.buffer);
  entries.forEach((entry, i) => {
    const at = i * MMAP_ENTRY_SIZE;
    view.setUint32(at, MMAP_ENTRY_SIZE - 4, true);
    view.setBigUint64(at + 4, BigInt(entry.base), true);
    view.setBigUint64(at + 12, BigInt(entry.length), true);
    view.setUint32(at + 20, entry.type, true);
  });
  return bytes;
}

/** A module list entry: mod_start, mod_end (exclusive), string, reserved. */
export function encodeModuleList(modules: readonly { start: number; end: number; string: number }[]): Uint8Array {
  const bytes = new Uint8Array(modules.length * 16);
  const view = new DataView(bytes.buffer);
  modules.forEach((module, i) => {
    view.setUint32(i * 16, module.start, true);
    view.setUint32(i * 16 + 4, module.end, true);
    view.setUint32(i * 16 + 8, module.string, true);
  });
  return bytes;
}
