// One-line disassembly (AT&T, as GNU as writes it) of the instruction at an address, for
// divergence reports. Owns: the iced-x86 decoder/formatter lifetime. Must not know: where the
// bytes come from.
import { Decoder, DecoderOptions, Formatter, FormatterSyntax } from 'iced-x86';

export function disassembleOne(bytes: Uint8Array, address: number): { text: string; length: number } {
  const decoder = new Decoder(32, bytes, DecoderOptions.None);
  const formatter = new Formatter(FormatterSyntax.Gas);
  try {
    decoder.ip = BigInt(address >>> 0);
    const instruction = decoder.decode();
    try {
      const text = instruction.isInvalid ? '(bad)' : formatter.format(instruction);
      return { text, length: instruction.length };
    } finally {
      instruction.free();
    }
  } finally {
    decoder.free();
    formatter.free();
  }
}
