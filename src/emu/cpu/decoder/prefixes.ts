// Legacy prefix bytes as the decoder sees them: which byte is which kind of prefix, and which segment
// an override names. Owns: the prefix classification only. Must not know: opcodes, handlers.
// Models Intel SDM Vol. 2A §2.1.1 (instruction prefixes: groups 1-4, any order, repeats allowed).
import { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS } from '../../isa/registers';

export const PREFIX_NONE = 0;
export const PREFIX_OPERAND_SIZE = 1;
export const PREFIX_ADDRESS_SIZE = 2;
export const PREFIX_LOCK = 3;
export const PREFIX_REP = 4;
export const PREFIX_SEGMENT = 5;

/** PREFIX_KIND[byte]: PREFIX_NONE for anything that is not a prefix. */
export const PREFIX_KIND: Uint8Array = (() => {
  const kinds = new Uint8Array(256);
  kinds[0x66] = PREFIX_OPERAND_SIZE;
  kinds[0x67] = PREFIX_ADDRESS_SIZE;
  kinds[0xf0] = PREFIX_LOCK;
  kinds[0xf2] = PREFIX_REP;
  kinds[0xf3] = PREFIX_REP;
  for (const byte of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) kinds[byte] = PREFIX_SEGMENT;
  return kinds;
})();

/** The segment register a segment-override prefix byte selects (valid where PREFIX_KIND is SEGMENT). */
export const OVERRIDE_SEGMENT: Int8Array = (() => {
  const segments = new Int8Array(256).fill(-1);
  segments[0x26] = SEG_ES;
  segments[0x2e] = SEG_CS;
  segments[0x36] = SEG_SS;
  segments[0x3e] = SEG_DS;
  segments[0x64] = SEG_FS;
  segments[0x65] = SEG_GS;
  return segments;
})();
