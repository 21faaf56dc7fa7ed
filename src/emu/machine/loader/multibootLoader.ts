// Loads a Multiboot v1 kernel the way `qemu-system-i386 -kernel` does: the image by its a.out
// kludge fields or its ELF program headers, then a buffer right after the kernel (page-aligned)
// holding the module list, the module strings, the kernel command line ("<kernel name>
// <cmdline>"), the boot loader name "qemu" and the page-aligned modules; the memory map at 0x9000
// and the information structure at 0x9500; and the entry state.
// Owns: placement and the checks that make a bad image a clear error. Must not know: the CPU
// (it returns a ProtectedModeEntryState), files (images and modules arrive as bytes).
// Models Multiboot 0.6.96 §3.1-3.3; the layout was measured on QEMU 7.2 (see qemuFirmware.ts).
import type { ProtectedModeEntryState } from '../../cpu/cpuContracts';
import type { PhysicalMemory } from '../physicalMemory';
import { parseElf32Executable, physicalEntry } from './elf32';
import { hex, LoaderError } from './loaderError';
import { findMultibootHeader, headerWarnings, type MultibootHeader } from './multibootHeader';
import {
  encodeMemoryMap, encodeModuleList, encodeMultibootInfo, MBI_FLAG_BOOT_DEVICE, MBI_FLAG_BOOT_LOADER_NAME,
  MBI_FLAG_CMDLINE, MBI_FLAG_MEMORY, MBI_FLAG_MMAP, MBI_FLAG_MODS,
} from './multibootInfo';
import { qemuE820Map, qemuMemoryKiB, qemuMultibootEntryState, writeFirmwareTables } from './qemuFirmware';

/** QEMU's fixed addresses for the memory map and the information structure. */
export const QEMU_MMAP_ADDRESS = 0x9000;
export const QEMU_MBI_ADDRESS = 0x9500;
export const QEMU_BOOT_DEVICE = 0x8000ffff;
export const QEMU_BOOT_LOADER_NAME = 'qemu';
const PAGE = 0x1000;

export interface MultibootModuleInput {
  /** The module's string: what followed `-initrd` for it, file name first ("mod.bin arg"). */
  readonly commandLine: string;
  readonly data: Uint8Array;
}

export interface MultibootLoadOptions {
  /** The kernel's name as QEMU prints it first in the command line (the `-kernel` argument). */
  readonly kernelName?: string;
  readonly commandLine?: string;
  readonly modules?: readonly MultibootModuleInput[];
}

export interface LoadedRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface MultibootLoadResult {
  readonly entryState: ProtectedModeEntryState;
  readonly entry: number;
  readonly mbiAddress: number;
  readonly header: MultibootHeader;
  readonly format: 'aout-kludge' | 'elf';
  /** From the lowest load address to the end of bss. */
  readonly kernel: LoadedRange;
  readonly modules: readonly (LoadedRange & { readonly commandLine: string })[];
  readonly commandLine: string;
  readonly warnings: readonly string[];
}

interface PlacedKernel {
  readonly format: 'aout-kludge' | 'elf';
  readonly range: LoadedRange;
  readonly entry: number;
}

export function loadMultiboot(memory: PhysicalMemory, image: Uint8Array, options: MultibootLoadOptions = {}): MultibootLoadResult {
  const header = findMultibootHeader(image);
  const kernel = header.aout ? loadAoutKludge(memory, image, header) : loadElf(memory, image);
  const commandLine = `${options.kernelName ?? 'kernel'} ${options.commandLine ?? ''}`;
  const buffer = layOutBootBuffer(memory, alignUp(kernel.range.end), commandLine, options.modules ?? []);
  writeFirmwareTables(memory);
  const mbiAddress = writeInformation(memory, buffer);
  return {
    entryState: qemuMultibootEntryState(kernel.entry, mbiAddress),
    entry: kernel.entry,
    mbiAddress,
    header,
    format: kernel.format,
    kernel: kernel.range,
    modules: buffer.modules,
    commandLine,
    warnings: headerWarnings(header),
  };
}

function loadAoutKludge(memory: PhysicalMemory, image: Uint8Array, header: MultibootHeader): PlacedKernel {
  const a = header.aout!;
  if (a.headerAddress < a.loadAddress || a.headerAddress - a.loadAddress > header.offset) {
    throw new LoaderError(`a.out kludge: header_addr ${hex(a.headerAddress)} and load_addr ${hex(a.loadAddress)} put the load start outside the file`);
  }
  const textOffset = header.offset - (a.headerAddress - a.loadAddress);
  const loadSize = a.loadEndAddress !== 0 ? a.loadEndAddress - a.loadAddress : image.length - textOffset;
  if (a.loadEndAddress !== 0 && a.loadEndAddress < a.loadAddress) throw new LoaderError(`a.out kludge: load_end_addr ${hex(a.loadEndAddress)} is below load_addr ${hex(a.loadAddress)}`);
  if (textOffset + loadSize > image.length) {
    throw new LoaderError(`the image is truncated: load_addr..load_end_addr needs ${loadSize} bytes from file offset ${hex(textOffset)}, but the file has ${image.length} bytes`);
  }
  let end = a.loadAddress + loadSize;
  if (a.bssEndAddress !== 0) {
    if (a.bssEndAddress < end) throw new LoaderError(`a.out kludge: bss_end_addr ${hex(a.bssEndAddress)} is below load_end_addr ${hex(end)}`);
    end = a.bssEndAddress;
  }
  checkFits(memory, a.loadAddress, end, 'the kernel');
  memory.fill(a.loadAddress, end - a.loadAddress, 0);
  memory.writeBytes(a.loadAddress, image.subarray(textOffset, textOffset + loadSize));
  return { format: 'aout-kludge', range: { start: a.loadAddress, end }, entry: a.entryAddress };
}

function loadElf(memory: PhysicalMemory, image: Uint8Array): PlacedKernel {
  let executable;
  try {
    executable = parseElf32Executable(image);
  } catch (error) {
    if (error instanceof LoaderError) throw new LoaderError(`the multiboot header has no a.out kludge (flags bit 16), so the image must be ELF: ${error.message}`);
    throw error;
  }
  let start = Infinity;
  let end = 0;
  for (const s of executable.loadSegments) {
    checkFits(memory, s.physicalAddress, s.physicalAddress + s.memorySize, `ELF segment at ${hex(s.physicalAddress)}`);
    start = Math.min(start, s.physicalAddress);
    end = Math.max(end, s.physicalAddress + s.memorySize);
  }
  for (const s of executable.loadSegments) {
    memory.fill(s.physicalAddress, s.memorySize, 0);
    memory.writeBytes(s.physicalAddress, image.subarray(s.fileOffset, s.fileOffset + s.fileSize));
  }
  return { format: 'elf', range: { start, end }, entry: physicalEntry(executable) };
}

interface BootBuffer {
  readonly modules: (LoadedRange & { readonly commandLine: string })[];
  readonly modsAddress: number;
  readonly cmdlineAddress: number;
  readonly loaderNameAddress: number;
}

/** Module list, then strings (module strings, command line, loader name), then the modules. */
function layOutBootBuffer(memory: PhysicalMemory, base: number, commandLine: string, modules: readonly MultibootModuleInput[]): BootBuffer {
  const encoder = new TextEncoder();
  const strings = [...modules.map((m) => m.commandLine), commandLine, QEMU_BOOT_LOADER_NAME].map((s) => encoder.encode(`${s}\0`));
  const stringAddresses: number[] = [];
  let cursor = base + modules.length * 16;
  for (const bytes of strings) {
    stringAddresses.push(cursor);
    cursor += bytes.length;
  }
  const placed: (LoadedRange & { commandLine: string })[] = [];
  let next = alignUp(cursor);
  for (const module of modules) {
    placed.push({ start: next, end: next + module.data.length, commandLine: module.commandLine });
    next = alignUp(next + module.data.length);
  }
  checkFits(memory, base, Math.max(cursor, placed.at(-1)?.end ?? 0), 'the multiboot modules and strings');
  memory.fill(base, alignUp(cursor) - base, 0);
  memory.writeBytes(base, encodeModuleList(placed.map((m, i) => ({ start: m.start, end: m.end, string: stringAddresses[i]! }))));
  strings.forEach((bytes, i) => memory.writeBytes(stringAddresses[i]!, bytes));
  modules.forEach((module, i) => memory.writeBytes(placed[i]!.start, module.data));
  return {
    modules: placed,
    modsAddress: base,
    cmdlineAddress: stringAddresses[modules.length]!,
    loaderNameAddress: stringAddresses[modules.length + 1]!,
  };
}

function writeInformation(memory: PhysicalMemory, buffer: BootBuffer): number {
  const mmap = encodeMemoryMap(qemuE820Map(memory.ramSize));
  const kib = qemuMemoryKiB(memory.ramSize);
  memory.fill(QEMU_MMAP_ADDRESS, 0x1000, 0);
  memory.writeBytes(QEMU_MMAP_ADDRESS, mmap);
  const flags = MBI_FLAG_MEMORY | MBI_FLAG_BOOT_DEVICE | MBI_FLAG_CMDLINE | MBI_FLAG_MODS | MBI_FLAG_MMAP | MBI_FLAG_BOOT_LOADER_NAME;
  memory.writeBytes(QEMU_MBI_ADDRESS, encodeMultibootInfo({
    flags,
    memLower: kib.lower,
    memUpper: kib.upper,
    bootDevice: QEMU_BOOT_DEVICE,
    cmdline: buffer.cmdlineAddress,
    modsCount: buffer.modules.length,
    modsAddr: buffer.modsAddress,
    mmapLength: mmap.length,
    mmapAddr: QEMU_MMAP_ADDRESS,
    bootLoaderName: buffer.loaderNameAddress,
  }));
  return QEMU_MBI_ADDRESS;
}

function checkFits(memory: PhysicalMemory, start: number, end: number, what: string): void {
  if (end > memory.ramSize || start < 0 || end < start) {
    throw new LoaderError(`${what} (${hex(start)}-${hex(end)}) does not fit in ${memory.ramSize / (1024 * 1024)} MiB of RAM`);
  }
  if (start < QEMU_MBI_ADDRESS + 0x100 && end > QEMU_MMAP_ADDRESS) {
    throw new LoaderError(`${what} (${hex(start)}-${hex(end)}) overlaps the multiboot information at ${hex(QEMU_MMAP_ADDRESS)}-${hex(QEMU_MBI_ADDRESS + 0x100)}`);
  }
}

function alignUp(address: number): number {
  return Math.ceil(address / PAGE) * PAGE;
}
