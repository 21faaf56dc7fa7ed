// Reads the program headers of an ELF32 little-endian i386 executable: what a multiboot loader
// needs to place PT_LOAD segments and find the entry point.
// Owns: header validation and segment extraction. Must not know: memory or multiboot.
// Models the System V ABI ELF format (ELF header, program header table) and its i386 supplement.
import { hex, LoaderError } from './loaderError';

export const PT_LOAD = 1;
const EM_386 = 3;
const ET_EXEC = 2;

export interface Elf32Segment {
  readonly fileOffset: number;
  readonly fileSize: number;
  readonly memorySize: number;
  readonly virtualAddress: number;
  readonly physicalAddress: number;
}

export interface Elf32Executable {
  readonly entry: number;
  readonly loadSegments: readonly Elf32Segment[];
}

export function isElf(image: Uint8Array): boolean {
  return image.length >= 4 && image[0] === 0x7f && image[1] === 0x45 && image[2] === 0x4c && image[3] === 0x46;
}

export function parseElf32Executable(image: Uint8Array): Elf32Executable {
  if (!isElf(image)) throw new LoaderError('not an ELF file (bad magic)');
  if (image.length < 52) throw new LoaderError(`ELF file is truncated: ${image.length} bytes, the ELF header alone needs 52`);
  if (image[4] === 2) throw new LoaderError('cannot load a 64-bit ELF image: give a 32-bit (ELFCLASS32) one');
  if (image[4] !== 1 || image[5] !== 1) throw new LoaderError('ELF image is not ELFCLASS32 little-endian');
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  if (machine !== EM_386) throw new LoaderError(`ELF machine is ${machine}, not EM_386 (3)`);
  if (type !== ET_EXEC) throw new LoaderError(`ELF type is ${type}, not an executable (ET_EXEC)`);
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) throw new LoaderError('ELF image has no program headers');
  if (phentsize < 32) throw new LoaderError(`ELF program header size ${phentsize} is too small`);
  if (phoff + phnum * phentsize > image.length) throw new LoaderError(`ELF program header table (${phnum} entries at ${hex(phoff)}) runs past the end of the file`);
  const loadSegments: Elf32Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const segment: Elf32Segment = {
      fileOffset: view.getUint32(at + 4, true),
      virtualAddress: view.getUint32(at + 8, true),
      physicalAddress: view.getUint32(at + 12, true),
      fileSize: view.getUint32(at + 16, true),
      memorySize: view.getUint32(at + 20, true),
    };
    if (segment.fileOffset + segment.fileSize > image.length) {
      throw new LoaderError(`ELF segment ${i} (file offset ${hex(segment.fileOffset)}, ${segment.fileSize} bytes) runs past the end of the file (${image.length} bytes)`);
    }
    if (segment.memorySize < segment.fileSize) throw new LoaderError(`ELF segment ${i} has p_memsz smaller than p_filesz`);
    loadSegments.push(segment);
  }
  if (loadSegments.length === 0) throw new LoaderError('ELF image has no PT_LOAD segment');
  return { entry, loadSegments };
}

/**
 * The physical entry point: an entry inside a segment's virtual range whose virtual and physical
 * addresses differ (a higher-half kernel) is translated to the physical address, as QEMU does.
 */
export function physicalEntry(executable: Elf32Executable): number {
  const { entry } = executable;
  for (const s of executable.loadSegments) {
    if (entry >= s.virtualAddress && entry < s.virtualAddress + s.fileSize) return (entry - s.virtualAddress + s.physicalAddress) >>> 0;
  }
  return entry;
}
