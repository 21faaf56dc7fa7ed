// Turns a fixup's value after layout into either bytes patched in place or an ELF REL relocation
// with its addend stored in place, following GNU as for i386 ELF: constants and PC-relative
// references to local labels of the same section are resolved; references to local labels elsewhere
// are relocated against the section symbol with the label offset as addend; global, weak and
// undefined symbols are relocated against the symbol itself (a fixed-size PC-relative field such as
// `call global` keeps its relocation even in the same section); `sym - L` with L in the fixup's
// section becomes PC-relative. Resolved 1- and 2-byte fields get GAS's range check.
// Must not know: syntax, ELF bytes. Models GAS write.c fixup_segment and tc-i386 md_apply_fix (behaviour).
import type { RelocationTarget, RelocationType } from '../object/objectModule';
import type { Value } from '../gas/expressionEvaluator';

export interface FieldPlace {
  readonly section: string;
  /** Section offset of the field. */
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly pcRelative: boolean;
  readonly range: 'signed' | 'unsigned' | 'either';
}

export type FieldResolution =
  | { readonly kind: 'patch'; readonly value: bigint }
  | { readonly kind: 'relocation'; readonly type: RelocationType; readonly target: RelocationTarget; readonly addend: bigint }
  | { readonly kind: 'error'; readonly message: string };

const TYPES: Readonly<Record<number, readonly [RelocationType, RelocationType]>> = {
  1: ['R_386_8', 'R_386_PC8'],
  2: ['R_386_16', 'R_386_PC16'],
  4: ['R_386_32', 'R_386_PC32'],
};

function relocation(place: FieldPlace, pcRelative: boolean, target: RelocationTarget, addend: bigint): FieldResolution {
  const types = TYPES[place.size];
  if (!types) return { kind: 'error', message: `cannot represent a relocation of ${place.size} bytes in an i386 ELF object` };
  return { kind: 'relocation', type: types[pcRelative ? 1 : 0], target, addend };
}

/** Where a relocation against `value.add` points, and the part of the addend the target adds. */
function targetOf(value: Value): { target: RelocationTarget; base: bigint } {
  const add = value.add!;
  if (add.symbol === null && add.section !== null) return { target: { kind: 'section', section: add.section }, base: add.offset };
  return { target: { kind: 'symbol', name: add.symbol ?? '' }, base: 0n };
}

/** The encoder's PC-relative fields hold `value - end of field`. */
function resolvePcRelative(place: FieldPlace, value: Value): FieldResolution {
  if (value.sub) return { kind: 'error', message: 'can\'t make a PC-relative value from a difference of symbols' };
  const end = BigInt(place.offset + place.size);
  if (!value.add) return relocation(place, true, { kind: 'absolute' }, value.constant - BigInt(place.size));
  const add = value.add;
  if (add.symbol === null && add.section === place.section) return { kind: 'patch', value: add.offset + value.constant - end };
  const { target, base } = targetOf(value);
  return relocation(place, true, target, base + value.constant - BigInt(place.size));
}

export function resolveField(place: FieldPlace, value: Value): FieldResolution {
  if (place.pcRelative) return resolvePcRelative(place, value);
  if (!value.add && !value.sub) return { kind: 'patch', value: value.constant };
  if (value.sub) {
    const sub = value.sub;
    if (!value.add || sub.section !== place.section || sub.section === null) {
      return { kind: 'error', message: `can't resolve the difference: ${value.add ? 'the symbols are in different sections' : 'a symbol is subtracted from a constant'}` };
    }
    const { target, base } = targetOf(value);
    return relocation(place, true, target, base + value.constant + BigInt(place.offset) - sub.offset);
  }
  const { target, base } = targetOf(value);
  return relocation(place, false, target, base + value.constant);
}

/** GAS's overflow check for resolved fields narrower than 4 bytes; the message or undefined. */
export function rangeError(place: FieldPlace, value: bigint): string | undefined {
  if (place.size >= 4) return undefined;
  const bits = BigInt(place.size * 8);
  const unsigned = BigInt.asUintN(64, value);
  let bad: boolean;
  if (place.range === 'signed') {
    const mask = BigInt.asUintN(64, ~0n << (bits - 1n));
    bad = (unsigned & mask) !== 0n && (unsigned & mask) !== mask;
  } else if (place.range === 'unsigned') {
    bad = value < 0n || value >= 1n << bits;
  } else {
    const mask = BigInt.asUintN(64, ~0n << bits);
    bad = (unsigned & mask) !== 0n && (BigInt.asUintN(64, -value) & mask) !== 0n;
  }
  if (!bad) return undefined;
  const shown = value > 1000n ? BigInt.asUintN(32, value).toString(16).padStart(8, '0') : value.toString();
  const at = place.offset.toString(16).padStart(8, '0');
  return `value of ${shown} too large for field of ${place.size} byte${place.size === 1 ? '' : 's'} at ${at}`;
}
