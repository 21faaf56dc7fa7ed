// Multiboot loading without QEMU: header search and checksum, the a.out kludge fields, ELF program
// headers (bss zeroing, physical entry), the boot buffer layout QEMU uses (module list, strings,
// page-aligned modules), the MBI fields and memory map, the entry state, and clear errors for
// truncated, garbage and oversized images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhysicalMemory } from '../../src/emu/machine/physicalMemory';
import { findMultibootHeader } from '../../src/emu/machine/loader/multibootHeader';
import { loadMultiboot, QEMU_MBI_ADDRESS } from '../../src/emu/machine/loader/multibootLoader';
import { loadFlatBinary } from '../../src/emu/machine/loader/flatBinaryLoader';
import { LoaderError } from '../../src/emu/machine/loader/loaderError';
import { buildAoutImage, buildElfImage, multibootHeaderBytes } from './imageBuilders';

const MiB = 1024 * 1024;
const u32 = (memory: PhysicalMemory, address: number): number => memory.read32(address);
const cString = (memory: PhysicalMemory, address: number): string => {
  let text = '';
  for (let c = memory.read8(address); c !== 0; c = memory.read8(++address)) text += String.fromCharCode(c);
  return text;
};

test('finds the header at any 4-byte-aligned offset in the first 8 KiB', () => {
  const image = buildAoutImage({ headerOffset: 0x1ff0 - 32 });
  const header = findMultibootHeader(image);
  assert.equal(header.offset, 0x1ff0 - 32);
  assert.equal(header.aout?.loadAddress, 0x100000);
  const late = new Uint8Array(0x3000);
  late.set(multibootHeaderBytes(), 0x2000);
  assert.throws(() => findMultibootHeader(late), /no multiboot header .* first 8192 bytes/);
});

test('a bad checksum is reported as such', () => {
  assert.throws(() => findMultibootHeader(buildAoutImage({ badChecksum: true })), (e: unknown) => e instanceof LoaderError && /bad checksum/.test(e.message));
});

test('garbage and truncated images give clear errors', () => {
  const memory = new PhysicalMemory(4 * MiB);
  assert.throws(() => loadMultiboot(memory, Uint8Array.of(1, 2, 3)), /too short/);
  assert.throws(() => loadMultiboot(memory, new Uint8Array(4096).fill(0x90)), /no multiboot header/);
  const truncated = buildAoutImage({ codeBytes: 64 }).subarray(0, 64);
  assert.throws(() => loadMultiboot(memory, truncated), /truncated: load_addr\.\.load_end_addr needs/);
  const notElf = multibootHeaderBytes([1, 2, 3, 4]);
  assert.throws(() => loadMultiboot(memory, notElf), /no a\.out kludge .* must be ELF: not an ELF file/);
});

test('a.out kludge: loads load_addr..load_end_addr from the header-relative file offset, zeroes bss', () => {
  const memory = new PhysicalMemory(4 * MiB);
  memory.fill(0x100000, 0x2000, 0xee);
  const image = buildAoutImage({ headerOffset: 16, codeBytes: 100, bssBytes: 0x300 });
  const result = loadMultiboot(memory, image);
  assert.equal(result.format, 'aout-kludge');
  assert.equal(result.entry, 0x100000 + 48);
  assert.deepEqual(memory.readBytes(0x100000, image.length), image);
  assert.equal(memory.read8(0x100000 + image.length), 0, 'bss zeroed');
  assert.equal(memory.read8(0x100000 + image.length + 0x2ff), 0);
  assert.deepEqual(result.kernel, { start: 0x100000, end: 0x100000 + image.length + 0x300 });
});

test('a.out kludge with load_end_addr 0 loads the whole file; bss_end_addr 0 means no bss', () => {
  const memory = new PhysicalMemory(4 * MiB);
  const image = buildAoutImage({ loadEnd: 0, bssBytes: 0, codeBytes: 5000 });
  const result = loadMultiboot(memory, image);
  assert.equal(result.kernel.end, 0x100000 + image.length);
  assert.equal(u32(memory, QEMU_MBI_ADDRESS + 24), 0x102000, 'boot buffer at the next page');
});

test('ELF: PT_LOAD segments at their physical addresses, bss zeroed, higher-half entry translated', () => {
  const memory = new PhysicalMemory(4 * MiB);
  memory.fill(0x200000, 0x3000, 0xee);
  const text = new Uint8Array(0x40);
  text.set(multibootHeaderBytes([0xf4]));
  const data = Uint8Array.of(1, 2, 3, 4);
  const image = buildElfImage([
    { vaddr: 0xc0200000, paddr: 0x200000, data: text },
    { vaddr: 0xc0201000, paddr: 0x201000, data, memsz: 0x1800 },
  ], 0xc020000c);
  const result = loadMultiboot(memory, image);
  assert.equal(result.format, 'elf');
  assert.equal(result.entry, 0x20000c);
  assert.deepEqual(memory.readBytes(0x200000, 0x40), text);
  assert.deepEqual(memory.readBytes(0x201000, 4), data);
  assert.equal(memory.read8(0x201004), 0);
  assert.equal(memory.read8(0x2027ff), 0);
  assert.equal(u32(memory, QEMU_MBI_ADDRESS + 24), 0x203000);
});

test('ELF errors: 64-bit, wrong machine, segment past the end of the file, no room in RAM', () => {
  const memory = new PhysicalMemory(4 * MiB);
  const text = multibootHeaderBytes();
  assert.throws(() => loadMultiboot(memory, buildElfImage([{ vaddr: 0x100000, paddr: 0x100000, data: text }], 0x100000, 3, 2)), /64-bit/);
  assert.throws(() => loadMultiboot(memory, buildElfImage([{ vaddr: 0x100000, paddr: 0x100000, data: text }], 0x100000, 62)), /not EM_386/);
  const cut = buildElfImage([{ vaddr: 0x100000, paddr: 0x100000, data: new Uint8Array(64).fill(0).map((_, i) => text[i] ?? 0) }], 0x100000);
  assert.throws(() => loadMultiboot(memory, cut.subarray(0, cut.length - 8)), /runs past the end of the file/);
  assert.throws(() => loadMultiboot(memory, buildElfImage([{ vaddr: 0x100000, paddr: 0x3ff000, data: text, memsz: 0x2000 }], 0x100000)), /does not fit in 4 MiB/);
});

test('MBI: QEMU\'s flags, memory sizes, boot device, command line, modules, memory map, loader name', () => {
  const memory = new PhysicalMemory(64 * MiB);
  const image = buildAoutImage({ codeBytes: 0x1100 });
  const modules = [
    { commandLine: 'big.bin x', data: new Uint8Array(5000).fill(7) },
    { commandLine: 'mod2.bin', data: new TextEncoder().encode('second module data') },
  ];
  const result = loadMultiboot(memory, image, { kernelName: '/tmp/k.elf', commandLine: 'a=1 b', modules });
  const mbi = result.mbiAddress;
  assert.equal(mbi, 0x9500);
  assert.equal(u32(memory, mbi), 0x24f);
  assert.equal(u32(memory, mbi + 4), 639);
  assert.equal(u32(memory, mbi + 8), 64 * 1024 - 1024 - 128);
  assert.equal(u32(memory, mbi + 12), 0x8000ffff);
  assert.equal(cString(memory, u32(memory, mbi + 16)), '/tmp/k.elf a=1 b');
  assert.equal(u32(memory, mbi + 20), 2);
  const mods = u32(memory, mbi + 24);
  assert.equal(mods, 0x102000, 'kernel and bss end at 0x101220: the buffer starts on the next page');
  assert.equal(u32(memory, mods), 0x103000);
  assert.equal(u32(memory, mods + 4), 0x103000 + 5000);
  assert.equal(cString(memory, u32(memory, mods + 8)), 'big.bin x');
  assert.equal(u32(memory, mods + 8), mods + 32);
  assert.equal(u32(memory, mods + 16), 0x105000);
  assert.equal(cString(memory, u32(memory, mods + 24)), 'mod2.bin');
  assert.equal(new TextDecoder().decode(memory.readBytes(0x105000, 18)), 'second module data');
  assert.equal(u32(memory, mbi + 44), 6 * 24);
  assert.equal(u32(memory, mbi + 48), 0x9000);
  const entries = Array.from({ length: 6 }, (_, i) => [u32(memory, 0x9004 + 24 * i), u32(memory, 0x900c + 24 * i), u32(memory, 0x9014 + 24 * i)]);
  assert.deepEqual(entries, [[0, 0x9fc00, 1], [0x9fc00, 0x400, 2], [0xf0000, 0x10000, 2], [0x100000, 0x3ee0000, 1], [0x3fe0000, 0x20000, 2], [0xfffc0000, 0x40000, 2]]);
  assert.equal(cString(memory, u32(memory, mbi + 64)), 'qemu');
  assert.equal(u32(memory, mbi + 64), u32(memory, mbi + 16) + '/tmp/k.elf a=1 b'.length + 1);
});

test('without modules the list is empty at the buffer start and the command line is "<name> "', () => {
  const memory = new PhysicalMemory(8 * MiB);
  const result = loadMultiboot(memory, buildAoutImage());
  assert.equal(result.commandLine, 'kernel ');
  assert.equal(u32(memory, QEMU_MBI_ADDRESS + 20), 0);
  assert.equal(u32(memory, QEMU_MBI_ADDRESS + 16), u32(memory, QEMU_MBI_ADDRESS + 24));
});

test('the entry state is QEMU\'s: EAX/EBX contract, flat segments of the option ROM GDT, CR0 PE|ET', () => {
  const memory = new PhysicalMemory(8 * MiB);
  const { entryState } = loadMultiboot(memory, buildAoutImage());
  assert.equal(entryState.registers.eax, 0x2badb002);
  assert.equal(entryState.registers.ebx, 0x9500);
  assert.equal(entryState.eip, 0x100020);
  assert.equal(entryState.registers.ecx, 0x100020);
  assert.equal(entryState.eflags, 0x6);
  assert.deepEqual(entryState.segments.cs, { selector: 8, base: 0, limit: 0xffffffff, flags: 0x00c09a00 });
  assert.deepEqual(entryState.gdtr, { base: 0xcb2b8, limit: 0x27 });
  assert.equal(memory.read32(0xcb2b8 + 12), 0x00cf9a00, 'the GDT the selectors come from is in memory');
  assert.equal(entryState.cr0, 0x11);
});

test('modules or a kernel that do not fit in RAM are refused', () => {
  const memory = new PhysicalMemory(2 * MiB);
  assert.throws(() => loadMultiboot(memory, buildAoutImage(), { modules: [{ commandLine: 'big', data: new Uint8Array(2 * MiB) }] }), /modules and strings .* does not fit/);
  assert.throws(() => loadMultiboot(memory, buildAoutImage({ loadAddress: 0x9000 })), /overlaps the multiboot information/);
});

test('flat binaries load at an address and start there with EAX = EBX = 0', () => {
  const memory = new PhysicalMemory(4 * MiB);
  const state = loadFlatBinary(memory, Uint8Array.of(0xf4), { address: 0x200000 });
  assert.equal(state.eip, 0x200000);
  assert.equal(state.registers.eax, 0);
  assert.equal(memory.read8(0x200000), 0xf4);
  assert.throws(() => loadFlatBinary(memory, new Uint8Array(0)), /empty/);
  assert.throws(() => loadFlatBinary(memory, new Uint8Array(16), { address: 4 * MiB - 8 }), /does not fit/);
});
