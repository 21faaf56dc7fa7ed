// The shape of a statement: a string key that names everything the encoder's choices depend on
// (row, operand size, arrangement, prefixes, ModRM/SIB form, displacement and immediate field sizes,
// and which statements are rejected), leaving out only the values that merely fill the fields. Two
// statements with the same key encode through the same plan (encodingPlan.ts), so a plan found once
// can be reused; the operands' constant values are evaluated here once for both uses.
// What the key holds, and why it is enough (bench/encoderMicro.ts `verify` checks it):
//  - the code size and the prefix words (each one the encoder knows), and after a `#` the mnemonic
//    as written (nothing before the `#` contains one, so keys of different statements never meet);
//  - a register operand: its canonical name and the `*`;
//  - an immediate: symbolic, or for a constant the immediate types GNU as gives it at each guess
//    size (8/16/32; the types decide rows and fields, the guess itself follows from the rest of the
//    key) and whether it fits a 16-bit far offset;
//  - a memory operand: `*`, segment, base, index (canonical names), scale, and its displacement:
//    absent, symbolic, or a constant with the facts the encoder tests on it (zero as written, fits
//    a rel8 as written, and none/disp8/full after GNU as's 32- and 16-bit normalisation).
// Expressions enter only through their values. A statement with a register or prefix name the
// encoder does not know gets no key (it is never encoded from memory).
// Owns: the key and the operand constants. Must not know: rows or how plans are made.
// Models GNU as 2.40's value-dependent choices (tc-i386 immediate and displacement optimisation).
import type { Operand, ParsedInstruction } from '../instructionSyntax';
import type { EncodeContext } from './encoderContract';
import { constantImmediateTypes } from './immediateTypes';
import { normalizeDisplacement } from './modrm';
import { lookUpRegister } from './operandClassification';
import { PREFIX_WORDS } from './prefixes';

export interface StatementShape {
  /** Undefined when some name is unknown (the statement will be rejected). */
  readonly key: string | undefined;
  /** Per AT&T operand: an immediate's constant value, a memory operand's constant displacement (0 when
   *  absent), undefined for registers and symbolic values. */
  readonly constants: readonly (bigint | undefined)[];
}

const CACHE_LIMIT = 4096;

/** Remembers `compute(key)` for up to CACHE_LIMIT keys. */
function cached<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

const fitsWord = (value: bigint) => value >= -0x8000n && value <= 0xffffn;
const fitsSigned8 = (value: bigint) => value >= -128n && value <= 127n;

/** The immediate facts selection and layout test: types at each guess size, 16-bit far offset. */
const immediateClass = cached((value: bigint): string => {
  const types = [8, 16, 32].map((guess) => constantImmediateTypes(value, guess as 8 | 16 | 32));
  return `i${types.join('.')}${fitsWord(value) ? 'w' : ''}`;
});

/** none/disp8/full for a displacement normalised as GNU as does for a `wide`-byte field. */
function displacementSizeClass(value: bigint, wide: 2 | 4): string {
  const normalized = normalizeDisplacement(value, wide);
  return normalized === 0 ? 'z' : normalized >= -128 && normalized <= 127 ? 'b' : 'f';
}

const displacementClass = cached((value: bigint): string =>
  `c${value === 0n ? '0' : ''}${fitsSigned8(value) ? 'r' : ''}${displacementSizeClass(value, 4)}${displacementSizeClass(value, 2)}`);

/** The optional register of a memory operand: '' when absent, undefined when unknown. */
function optionalRegister(written: string | undefined): string | undefined {
  if (written === undefined) return '';
  return lookUpRegister(written)?.name;
}

/** `r` and the canonical name of a register as written; null when unknown. */
const registerKey = cached((written: string): string | null => {
  const register = lookUpRegister(written);
  return register ? `r${register.name}` : null;
});

/** One operand's part of the key (undefined for an unknown register), its constant stored at `index`. */
function operandKey(operand: Operand, index: number, context: EncodeContext, constants: (bigint | undefined)[]): string | undefined {
  switch (operand.kind) {
    case 'register': {
      const key = registerKey(operand.register);
      return key === null ? undefined : operand.indirect ? `${key}*` : key;
    }
    case 'immediate': {
      const constant = (constants[index] = context.constantValue(operand.value));
      return constant === undefined ? 's' : immediateClass(constant);
    }
    case 'memory': {
      const constant = (constants[index] = operand.displacement ? context.constantValue(operand.displacement) : 0n);
      const segment = optionalRegister(operand.segment);
      const base = optionalRegister(operand.base);
      const indexRegister = optionalRegister(operand.index);
      if (segment === undefined || base === undefined || indexRegister === undefined) return undefined;
      const displacement = !operand.displacement ? 'n' : constant === undefined ? 's' : displacementClass(constant);
      return `m${operand.indirect ? '*' : ''}${segment}:${base},${indexRegister},${operand.scale}${displacement}`;
    }
  }
}

/**
 * The statement's key (when every name is known) and its operands' constants. Every part before
 * the `#` comes from a fixed alphabet without `#`, and the mnemonic as written follows it, so two
 * different statements never share a key by running their parts together.
 */
export function shapeOf(instruction: ParsedInstruction, mnemonic: string, context: EncodeContext): StatementShape {
  const { operands, prefixes } = instruction;
  const constants: (bigint | undefined)[] = [];
  let key: string | undefined = context.codeSize === 32 ? '32' : '16';
  for (const word of prefixes) {
    const lower = word.toLowerCase();
    key = key !== undefined && PREFIX_WORDS.has(lower) ? `${key} ${lower}` : undefined;
  }
  for (let i = 0; i < operands.length; i++) {
    const part = operandKey(operands[i]!, i, context, constants);
    key = key !== undefined && part !== undefined ? `${key}|${part}` : undefined;
  }
  return { key: key === undefined ? undefined : `${key}#${mnemonic}`, constants };
}
