// Per-row facts the encoder needs again and again, computed once at module load for every table row
// and listed per GNU as spelling: which operand a size suffix names, whether the operand-size prefix
// matters and the sizes to try, which operands GNU as lets a statement leave out (shift count 1,
// string operands, in/out's accumulator, aam's base...) as ready-made slot arrangements per operand
// count, the operand classes each slot may take, where the ModRM, opcode-register and trailing
// fields come from, and which written prefixes a control transfer keeps.
// Owns: those derived facts. Must not know: statements being encoded.
// Models GNU as 2.40's AT&T operand conventions over Intel SDM Vol. 2 rows.
import type { InstructionForm, OperandKind } from '../../isa/instructionForm';
import { INSTRUCTION_TABLE } from '../../isa/instructionTable';
import { OPERAND_KIND_INFO, isOperandSizeDependent, usesModRM, type OperandKindInfo } from '../../isa/operandKinds';
import { GAS_SPELLINGS, type GasSpelling } from './gasMnemonics';
import { acceptedClasses, primaryOperandIndex, widthAt } from './operandMatching';
import { acceptsRep } from './prefixes';

/** Written prefixes a control transfer keeps (GNU as drops the rest): bits for segment/address/data and the CS/DS hints. */
export const KEEP_SEGMENT = 1;
export const KEEP_ADDRESS = 2;
export const KEEP_DATA = 4;
export const KEEP_HINT = 8;
/** Every written prefix is kept. */
export const KEEP_ALL = -1;

/** Facts of one row. The row's own fields the encoder reads often are copied here too: rows come in
 *  many object shapes, facts in one, which keeps property reads fast. */
export interface FormFacts {
  readonly row: InstructionForm;
  readonly operands: readonly OperandKind[];
  readonly op: string;
  readonly opcode: readonly number[];
  readonly extension: number | undefined;
  /** The row's fixed complete ModRM byte, if any. */
  readonly fixedModrm: number | undefined;
  readonly addressSize: 16 | 32 | undefined;
  /** The mandatory WAIT prefix of the waiting x87 forms. */
  readonly waitPrefix: number | undefined;
  readonly lockable: boolean;
  /** REP/REPNE may precede it (prefixes.ts acceptsRep). */
  readonly takesRep: boolean;
  /** Index (Intel order) of the operand a size suffix names, or -1. */
  readonly primary: number;
  /** Its width when fixed (8/16/32), for rows whose size does not follow the operand size. */
  readonly primaryWidth: number | undefined;
  readonly sizeDependent: boolean;
  /** Operand sizes to try, GNU as's default first: with a default of 32, and with a default of 16. */
  readonly sizesWhenDefault32: readonly (16 | 32 | undefined)[];
  readonly sizesWhenDefault16: readonly (16 | 32 | undefined)[];
  /** By written operand count: for each way to spread them over the slots (leaving out the slots
   *  GNU as lets a statement omit; omitting none first), the written position each slot takes
   *  (-1 = left out). Empty when the row cannot take that many. */
  readonly arrangements: readonly (readonly (readonly number[])[])[];
  /** Per slot, the kind's structural info. */
  readonly kinds: readonly OperandKindInfo[];
  /** Per slot, the operand classes that may fit it (operandMatching.ts acceptedClasses). */
  readonly slotClasses: readonly number[];
  /** Width of the second operand at the default size (movzx/movsx source), if any. */
  readonly sourceWidth: number | undefined;
  /** A far row (ljmp/lcall/lret only take these). */
  readonly far: boolean;
  /** `Ap`: a direct far pointer, written as two immediates. */
  readonly farPointer: boolean;
  /** Slot indices of the operands in ModRM.reg, ModRM.rm and the opcode's low bits, or -1. */
  readonly regSlot: number;
  readonly rmSlot: number;
  readonly opcodeRegisterSlot: number;
  readonly modrm: boolean;
  /** KEEP_* bits of the written prefixes the row keeps, or KEEP_ALL. */
  readonly keptPrefixes: number;
  /** Rows with a BSWAP-style 32-bit opcode register need the operand-size prefix in .code16. */
  readonly fixed32Register: boolean;
  /** Slot of an MwRv operand, or -1. */
  readonly mwRvSlot: number;
  /** A loop/jecxz-style row (a lone Jb): address-size prefix before a branch hint. */
  readonly shortLoopOrder: boolean;
}

/** movs/cmps/ins/outs take both operands or none; stos/lods/scas may also give only the memory one. */
const ALL_OR_NOTHING_STRING_OPS: ReadonlySet<string> = new Set(['movs', 'cmps', 'ins', 'outs']);
const MEMORY_ONLY_STRING_OPS: ReadonlySet<string> = new Set(['stos', 'lods', 'scas']);

function isSingleOmissible(row: InstructionForm, kind: string): boolean {
  if (kind === '1') return true;
  if ((row.op === 'in' || row.op === 'out') && (kind === 'AL' || kind === 'eAX')) return true;
  if ((row.op === 'aam' || row.op === 'aad') && kind === 'Ib') return true;
  if (row.op === 'fnstsw' && kind === 'AX') return true;
  return (row.op === 'shld' || row.op === 'shrd') && kind === 'CL';
}

function omissionsOf(row: InstructionForm): (readonly number[])[] {
  const all = row.operands.map((_, i) => i);
  if (ALL_OR_NOTHING_STRING_OPS.has(row.op)) return [[], all];
  if (MEMORY_ONLY_STRING_OPS.has(row.op)) {
    const accumulator = row.operands.findIndex((kind) => kind === 'AL' || kind === 'eAX');
    return [[], [accumulator], all];
  }
  const single = row.operands.findIndex((kind) => isSingleOmissible(row, kind));
  return single >= 0 ? [[], [single]] : [[]];
}

/** Per written count, each omission as slot -> written position (in omission order). */
function arrangementsOf(row: InstructionForm, omissions: readonly (readonly number[])[]): number[][][] {
  const byCount: number[][][] = [];
  for (let count = 0; count <= row.operands.length + 1; count++) byCount.push([]);
  for (const omitted of omissions) {
    let next = 0;
    const positions = row.operands.map((_, i) => (omitted.includes(i) ? -1 : next++));
    byCount[next]!.push(positions);
  }
  return byCount;
}

function slotAt(row: InstructionForm, location: string): number {
  return row.operands.findIndex((kind) => OPERAND_KIND_INFO[kind].location === location);
}

/**
 * GNU as keeps only some written prefixes on control transfers (and warns "skipping prefixes"):
 * relaxable jmp/jcc keep data16 and the CS/DS branch hints, call rel32 and far direct jumps keep
 * data16, loop/jecxz keep addr16 and the hints.
 */
function keptPrefixesOf(row: InstructionForm): number {
  const only = row.operands.length === 1 ? row.operands[0] : undefined;
  if (only === 'Ap') return KEEP_DATA;
  if (only === 'Jv' && row.op === 'call') return KEEP_DATA;
  if ((only === 'Jb' || only === 'Jv') && (row.op === 'jmp' || row.op === 'jcc')) return KEEP_DATA | KEEP_HINT;
  if (only === 'Jb') return KEEP_ADDRESS | KEEP_HINT;
  return KEEP_ALL;
}

function sizesOf(row: InstructionForm, sizeDependent: boolean, defaultSize: 16 | 32): (16 | 32 | undefined)[] {
  if (row.operandSize !== undefined) return [row.operandSize];
  if (!sizeDependent) return [undefined];
  return defaultSize === 32 ? [32, 16] : [16, 32];
}

function factsOf(row: InstructionForm): FormFacts {
  const primary = primaryOperandIndex(row);
  const primaryKind: OperandKind | undefined = primary >= 0 ? row.operands[primary]! : undefined;
  const width = primaryKind ? OPERAND_KIND_INFO[primaryKind].width : undefined;
  const sizeDependent = isOperandSizeDependent(row);
  const source = row.operands[1];
  const only = row.operands.length === 1 ? row.operands[0] : undefined;
  return {
    row,
    operands: row.operands,
    op: row.op,
    opcode: row.opcode,
    extension: row.extension,
    fixedModrm: row.modrm,
    addressSize: row.addressSize,
    waitPrefix: row.prefix,
    lockable: row.lockable === true,
    takesRep: acceptsRep(row),
    primary,
    primaryWidth: typeof width === 'number' ? width : undefined,
    sizeDependent,
    sizesWhenDefault32: sizesOf(row, sizeDependent, 32),
    sizesWhenDefault16: sizesOf(row, sizeDependent, 16),
    arrangements: arrangementsOf(row, omissionsOf(row)),
    kinds: row.operands.map((kind) => OPERAND_KIND_INFO[kind]),
    slotClasses: row.operands.map(acceptedClasses),
    sourceWidth: source !== undefined ? widthAt(OPERAND_KIND_INFO[source], undefined) : undefined,
    far: row.op.includes('_far') || row.op === 'retf',
    farPointer: only === 'Ap',
    regSlot: slotAt(row, 'reg'),
    rmSlot: slotAt(row, 'rm'),
    opcodeRegisterSlot: slotAt(row, 'opcodeRegister'),
    modrm: usesModRM(row),
    keptPrefixes: keptPrefixesOf(row),
    fixed32Register: row.operands.includes('Zd'),
    mwRvSlot: row.operands.indexOf('MwRv'),
    shortLoopOrder: only === 'Jb',
  };
}

const FORM_FACTS: ReadonlyMap<InstructionForm, FormFacts> = new Map(INSTRUCTION_TABLE.map((row) => [row, factsOf(row)]));

function facts(row: InstructionForm): FormFacts {
  return FORM_FACTS.get(row) ?? factsOf(row);
}

const FACTS_BY_SPELLING: ReadonlyMap<GasSpelling, readonly FormFacts[]> = new Map([...GAS_SPELLINGS.values()].map((spelling) => [spelling, spelling.forms.map(facts)]));

/** The facts of a spelling's rows, in its table order. */
export function spellingFacts(spelling: GasSpelling): readonly FormFacts[] {
  return FACTS_BY_SPELLING.get(spelling) ?? spelling.forms.map(facts);
}

const NO_ARRANGEMENTS: readonly (readonly number[])[] = [];

/** The row's arrangements of `count` written operands (empty when it cannot take that many). */
export function arrangementsFor(rowFacts: FormFacts, count: number): readonly (readonly number[])[] {
  return rowFacts.arrangements[count] ?? NO_ARRANGEMENTS;
}
