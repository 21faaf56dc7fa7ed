// Checks that the encoder can produce each (row, operand size, register/memory) variant of a table
// row through some GNU as spelling: it writes an AT&T statement that should select exactly that row,
// encodes it, and compares the iced-x86 Code of the result with the Code of the row's sample encoding.
import { Code } from 'iced-x86';
import { encodeInstruction } from '../../src/emu/asm/encoder/encodeInstruction';
import { GAS_SPELLINGS, type GasSpelling } from '../../src/emu/asm/encoder/gasMnemonics';
import type { InstructionForm, OperandKind } from '../../src/emu/isa/instructionForm';
import { OPERAND_KIND_INFO } from '../../src/emu/isa/operandKinds';
import { evaluateConstant, parseStatement } from '../asm/corpus/attStatementParser';
import { decode32, type RowSample } from './rowSamples';

const BRANCH_STEMS = new Set(['jmp', 'call', 'ljmp', 'lcall']);

/** An operand that selects this kind and no competing row (ECX/EDX rather than EAX, wide immediates). */
function operandText(kind: OperandKind, size: 16 | 32, variant: RowSample['variant']): string | undefined {
  const wide = size === 16;
  if (OPERAND_KIND_INFO[kind].location === 'rm' && variant === 'memory') return '(%ebx)';
  switch (kind) {
    case 'Eb': return '%cl';
    case 'Ew': return '%cx';
    case 'Ed': case 'Rd': case 'Zd': return '%ecx';
    case 'Ev': case 'MwRv': case 'Zv': return wide ? '%cx' : '%ecx';
    case 'Zb': return '%cl';
    case 'Gb': return '%dl';
    case 'Gw': return '%dx';
    case 'Gd': return '%edx';
    case 'Gv': return wide ? '%dx' : '%edx';
    case 'Sw': return '%ds';
    case 'Cd': return '%cr0';
    case 'Dd': return '%db7';
    case 'Td': return '%tr6';
    case 'Ib': case 'sIb': return '$0x12';
    case 'Iw': return '$0x1234';
    case 'Id': return '$0x12345678';
    case 'Iv': return wide ? '$0x1234' : '$0x12345678';
    case 'Jb': case 'Jv': return 'ext_target';
    case 'Ap': return wide ? '$0x10,$0x1234' : '$0x10,$0x12345678';
    case 'Ob': case 'Ov': return '0x1000';
    case 'AL': return '%al';
    case 'AX': return '%ax';
    case 'eAX': return wide ? '%ax' : '%eax';
    case 'CL': return '%cl';
    case 'DX': return '(%dx)';
    case 'ES': case 'CS': case 'SS': case 'DS': case 'FS': case 'GS': return `%${kind.toLowerCase()}`;
    default: return undefined; // '1' and string operands are left out
  }
}

function statementFor(row: InstructionForm, sample: RowSample, spelling: GasSpelling, suffix: string): string {
  const star = BRANCH_STEMS.has(spelling.stem);
  // String instructions are written without operands; the suffix or stem gives the size.
  const texts = (row.rep !== undefined ? [] : row.operands)
    .map((kind) => {
      const text = operandText(kind, sample.size ?? 32, sample.variant);
      return text !== undefined && star && OPERAND_KIND_INFO[kind].location === 'rm' ? `*${text}` : text;
    })
    .filter((t): t is string => t !== undefined);
  const ordered = spelling.intelOperandOrder ? texts : texts.reverse();
  return `${spelling.stem}${suffix}${ordered.length ? ` ${ordered.join(',')}` : ''}`;
}

/** The Codes of every instruction in `bytes` (a WAIT-prefixed x87 form decodes as two). */
function codesOf(bytes: Uint8Array): string {
  const codes: Code[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const [code, length] = decode32(bytes.subarray(offset), (instruction, size) => [instruction.code, size] as const);
    codes.push(code);
    offset += Math.max(length, 1);
  }
  return codes.join(',');
}

/** The Codes our encoder produces for a statement (for a relaxable branch: its short or near form). */
function encodedCodes(text: string, wantShort: boolean): string | undefined {
  const result = encodeInstruction(parseStatement(text), { constantValue: evaluateConstant, codeSize: 32 });
  if (!result.ok) return undefined;
  const branch = result.instruction.branch;
  if (!branch) return codesOf(result.instruction.bytes);
  const opcode = wantShort ? branch.shortOpcode : branch.longOpcode;
  const displacement = wantShort ? 1 : branch.longDisplacementSize ?? 4;
  return codesOf(Uint8Array.from([...branch.prefixes, ...opcode, ...new Array<number>(displacement).fill(0)]));
}

/** A statement through which the encoder produces this sample's encoding, or undefined. */
export function reachingStatement(sample: RowSample): string | undefined {
  const { row } = sample;
  const expected = codesOf(sample.bytes);
  // A 16-bit near jump is only written with data16 (GNU as has no suffix for it).
  const prefixes = sample.size === 16 && row.operands[0] === 'Jv' ? ['data16 '] : [''];
  for (const spelling of GAS_SPELLINGS.values()) {
    if (!spelling.forms.includes(row)) continue;
    for (const prefix of prefixes) {
      for (const suffix of ['', ...spelling.suffixes]) {
        const text = prefix + statementFor(row, sample, spelling, suffix);
        if (encodedCodes(text, row.operands[0] === 'Jb') === expected) return text;
      }
    }
  }
  return undefined;
}

/**
 * Register forms GNU as never picks because another row encodes the same operands as short or
 * shorter and comes first: reg,reg uses the store direction (01, 89 ... not 03, 8B ...), mov $imm,%reg
 * uses B0+r/B8+r, inc/dec/push/pop %reg use 40+r/48+r/50+r/58+r.
 */
export function isShadowedRegisterVariant(sample: RowSample): boolean {
  const { row, variant } = sample;
  if (variant !== 'register') return false;
  const [first, second] = row.operands;
  if ((first === 'Gb' && second === 'Eb') || (first === 'Gv' && second === 'Ev')) return row.operands.length === 2 && row.op !== 'bsf' && row.op !== 'bsr' && row.op !== 'imul' && row.op !== 'cmovcc' && row.op !== 'lar' && row.op !== 'lsl';
  if (row.op === 'mov' && (row.opcode[0] === 0xc6 || row.opcode[0] === 0xc7)) return true;
  return row.opcode[0] === 0xff && (row.op === 'inc' || row.op === 'dec' || row.op === 'push') || (row.opcode[0] === 0x8f && row.op === 'pop');
}

/**
 * Variants GNU as never emits although the row is valid: it writes no 0x66 for a segment-register
 * load, nor for the memory word of SLDT/STR/SMSW/MOV Ew,Sw (the 32-bit form stores the same word).
 */
export function isVariantGnuAsNeverEmits(sample: RowSample): boolean {
  const { row, size, variant } = sample;
  if (size !== 16) return false;
  if (row.op === 'mov_sreg_rm') return true;
  return variant === 'memory' && row.operands.includes('MwRv') && row.op !== 'lar' && row.op !== 'lsl';
}
