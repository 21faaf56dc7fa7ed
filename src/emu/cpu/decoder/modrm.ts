// The memory form of a ModRM byte: SIB, displacement, and the default segment, for 32- and 16-bit
// addressing. Writes the effective-address fields of the Instruction being decoded and returns the
// index of the next instruction byte. Owns: Intel SDM Vol. 2A Tables 2-1 (16-bit) and 2-2/2-3
// (32-bit with SIB) and the SS default for EBP/ESP/BP bases (Vol. 1 §3.7.5). Must not know: opcodes.
import type { CodeFetcher } from '../codeFetch';
import type { Instruction } from '../instruction';
import { SEG_SS } from '../../isa/registers';

const REG_EBX = 3;
const REG_ESP = 4;
const REG_EBP = 5;
const REG_ESI = 6;
const REG_EDI = 7;

/** 16-bit forms by rm: base register, index register (-1 none). rm=6 with mod=0 is disp16 only. */
const BASE16 = [REG_EBX, REG_EBX, REG_EBP, REG_EBP, REG_ESI, REG_EDI, REG_EBP, REG_EBX];
const INDEX16 = [REG_ESI, REG_EDI, REG_ESI, REG_EDI, -1, -1, -1, -1];

export function readImmediate16(fetcher: CodeFetcher, at: number): number {
  return fetcher.byte(at) | (fetcher.byte(at + 1) << 8);
}

export function readImmediate32(fetcher: CodeFetcher, at: number): number {
  return fetcher.byte(at) | (fetcher.byte(at + 1) << 8) | (fetcher.byte(at + 2) << 16) | (fetcher.byte(at + 3) << 24);
}

/** Decodes a 32-bit-addressing memory operand (mod 0-2) whose ModRM byte ended before `at`. */
export function decodeMemory32(fetcher: CodeFetcher, instruction: Instruction, at: number, mod: number, rm: number): number {
  let base = rm;
  if (rm === 4) {
    const sib = fetcher.byte(at++);
    const index = (sib >> 3) & 7;
    instruction.eaIndex = index === REG_ESP ? -1 : index;
    instruction.eaScale = sib >> 6;
    base = sib & 7;
    if (base === REG_EBP && mod === 0) {
      base = -1;
      mod = 2; // disp32 follows
    }
  } else if (rm === REG_EBP && mod === 0) {
    base = -1;
    mod = 2;
  }
  instruction.eaBase = base;
  if (mod === 1) {
    instruction.eaDisp = (fetcher.byte(at++) << 24) >> 24;
  } else if (mod === 2) {
    instruction.eaDisp = readImmediate32(fetcher, at);
    at += 4;
  }
  if ((base === REG_ESP || base === REG_EBP) && instruction.segmentOverride < 0) instruction.segment = SEG_SS;
  return at;
}

/** Decodes a 16-bit-addressing memory operand (mod 0-2). */
export function decodeMemory16(fetcher: CodeFetcher, instruction: Instruction, at: number, mod: number, rm: number): number {
  if (mod === 0 && rm === 6) {
    instruction.eaDisp = readImmediate16(fetcher, at);
    return at + 2;
  }
  instruction.eaBase = BASE16[rm]!;
  instruction.eaIndex = INDEX16[rm]!;
  if (mod === 1) {
    instruction.eaDisp = (fetcher.byte(at++) << 24) >> 24;
  } else if (mod === 2) {
    instruction.eaDisp = readImmediate16(fetcher, at);
    at += 2;
  }
  if (BASE16[rm] === REG_EBP && instruction.segmentOverride < 0) instruction.segment = SEG_SS;
  return at;
}
