// Multi-byte NOP padding exactly as GNU as 2.40 emits it with --32 (measured for every length
// 1..31 and beyond): the i386 "nopl-free" patterns 90 / 66 90 / 8d 76 00 / 8d 74 26 00 /
// 8d b6 00000000 / 8d b4 26 00000000 (no 5-byte form: 4 + 1), longest first; above 20 bytes a short
// `jmp` over the NOPs (eb NN) is emitted first, above 129 bytes a near `jmp` (e9 rel32).
// Must not know: sections, alignment rules. Models tc-i386's NOP tables (facts only, measured).

const PATTERNS: readonly (readonly number[] | undefined)[] = [
  undefined,
  [0x90],
  [0x66, 0x90],
  [0x8d, 0x76, 0x00],
  [0x8d, 0x74, 0x26, 0x00],
  undefined,
  [0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00],
  [0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00],
];

export const MAX_SINGLE_NOP = 7;

function writeNops(out: Uint8Array, at: number, count: number, maxSingle: number): void {
  const largest = Math.min(Math.max(1, maxSingle), MAX_SINGLE_NOP);
  while (count > 0) {
    let size = Math.min(count, largest);
    while (!PATTERNS[size]) size--;
    const pattern = PATTERNS[size]!;
    for (let i = 0; i < size; i++) out[at + i] = pattern[i]!;
    at += size;
    count -= size;
  }
}

/** `count` bytes of NOP padding; `maxSingle` limits the longest single NOP (`.nops size, control`). */
export function nopPadding(count: number, maxSingle: number = MAX_SINGLE_NOP): Uint8Array {
  const out = new Uint8Array(count);
  const jumps = maxSingle >= MAX_SINGLE_NOP;
  if (jumps && count > 20 && count <= 129) {
    out[0] = 0xeb;
    out[1] = count - 2;
    writeNops(out, 2, count - 2, maxSingle);
  } else if (jumps && count > 129) {
    out[0] = 0xe9;
    new DataView(out.buffer).setInt32(1, count - 5, true);
    writeNops(out, 5, count - 5, maxSingle);
  } else {
    writeNops(out, 0, count, maxSingle);
  }
  return out;
}
