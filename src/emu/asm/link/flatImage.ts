// A linked Program as a flat binary, the way `ld --oformat=binary` writes one: the bytes of the
// allocated progbits sections from the lowest address to the end of the highest one, gaps filled
// with zeros; nobits sections (.bss) are not part of the image. Owns: that copy. Must not know:
// loaders (a multiboot a.out-kludge header inside the image tells them where it goes).
import type { Program } from '../program';

export interface FlatImage {
  /** Address of the first byte. */
  readonly base: number;
  readonly bytes: Uint8Array;
}

export function flatImage(program: Program): FlatImage {
  const sections = program.sections.filter((s) => s.flags.alloc && s.type === 'progbits' && s.size > 0);
  if (sections.length === 0) return { base: 0, bytes: new Uint8Array(0) };
  const base = Math.min(...sections.map((s) => s.address));
  const end = Math.max(...sections.map((s) => s.address + s.size));
  const bytes = new Uint8Array(end - base);
  for (const section of sections) bytes.set(section.bytes, section.address - base);
  return { base, bytes };
}
