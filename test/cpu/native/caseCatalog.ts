// Generates the native differential cases from the instruction table: every user-level row the
// host can run is instantiated at each operand size and register/memory form it allows, many times
// with random operands, by the family that knows its inputs; plus the hand-shaped specials (x87
// sequences, invalid encodings, random addressing forms). Cases are laid out back to back from
// TESTCODE_BASE, so families that need their own address (branches) get it.
// Must not know: how cases are run or compared.
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import { INSTRUCTION_TABLE } from '../../../src/emu/isa/instructionTable';
import { isOperandSizeDependent } from '../../../src/emu/isa/operandKinds';
import { CASE_EPILOGUE_BYTES, TESTCODE_BASE, type NativeCase } from './nativeLayout';
import { Random } from './randomSource';
import { OPERAND_CASE_OPS, memoryChoices, operandCase } from './operandCases';
import { STRING_CASE_OPS, stringCase } from './stringCases';
import { STACK_CASE_OPS, stackCase } from './stackCases';
import { BRANCH_CASE_OPS, branchCase } from './branchCases';
import { boundCase, hintNopCase, invalidCase, leaCase, x87Case, xlatCase } from './specialCases';

/** One way to make cases: called with the address the next case will have. */
type CaseMaker = (rng: Random, address: number) => NativeCase;

function sizesOf(row: InstructionForm): boolean[] {
  if (row.operandSize !== undefined) return [row.operandSize === 32];
  if (STACK_CASE_OPS.has(row.op)) return [true, false]; // 66 changes the slot size of every push/pop
  return isOperandSizeDependent(row) ? [true, false] : [true];
}

/** The makers for one row (empty when the host cannot run it as user code). */
function makersFor(row: InstructionForm): CaseMaker[] {
  if (row.prefix !== undefined) return [];
  const makers: CaseMaker[] = [];
  for (const op32 of sizesOf(row)) {
    for (const memory of memoryChoices(row)) {
      if (OPERAND_CASE_OPS.has(row.op)) makers.push((rng) => operandCase(row, rng, op32, memory));
      else if (STACK_CASE_OPS.has(row.op)) makers.push((rng) => stackCase(row, rng, op32, memory));
      else if (BRANCH_CASE_OPS.has(row.op) && op32) makers.push((rng, address) => branchCase(row, rng, address, memory));
    }
  }
  if (STRING_CASE_OPS.has(row.op)) makers.push((rng) => stringCase(row, rng));
  if (row.op === 'xlat') makers.push((rng) => xlatCase(row, rng));
  if (row.op === 'bound') for (const op32 of [true, false]) makers.push((rng) => boundCase(row, rng, op32));
  if (row.op === 'lea') makers.push((rng) => leaCase(row, rng));
  return makers;
}

/** Makers that are not one table row each. */
const SPECIAL_MAKERS: readonly CaseMaker[] = [(rng) => hintNopCase(rng), (rng) => invalidCase(rng), (rng) => x87Case(rng)];

export interface CatalogOptions {
  readonly seed: number;
  /** Cases per maker (each row/size/form combination). */
  readonly casesPerMaker: number;
  /** Cases per batch (one native binary each). */
  readonly batchSize: number;
}

/** All cases in batches; each batch is laid out from TESTCODE_BASE. */
export function generateBatches(options: CatalogOptions): NativeCase[][] {
  const rng = new Random(options.seed);
  const makers = [...INSTRUCTION_TABLE.flatMap(makersFor), ...SPECIAL_MAKERS];
  const batches: NativeCase[][] = [];
  let batch: NativeCase[] = [];
  let address = TESTCODE_BASE;
  for (let round = 0; round < options.casesPerMaker; round++) {
    for (const maker of makers) {
      const made = maker(rng, address);
      batch.push(made);
      address += made.code.length + CASE_EPILOGUE_BYTES;
      if (batch.length === options.batchSize) {
        batches.push(batch);
        batch = [];
        address = TESTCODE_BASE;
      }
    }
  }
  if (batch.length !== 0) batches.push(batch);
  return batches;
}

/** The table ops the catalog covers (for the report and a coverage assertion). */
export function coveredOps(): Set<string> {
  const ops = new Set<string>();
  for (const row of INSTRUCTION_TABLE) if (makersFor(row).length !== 0) ops.add(row.op);
  return ops;
}
