// The host CPU as the oracle for user-level instructions: more than 200,000 cases generated from the
// instruction table (ALU, shifts and rotates with count edge cases, multiply/divide including #DE,
// BCD, bit operations, string operations with REP, flags, CMOVcc/SETcc, XADD/CMPXCHG/CMPXCHG8B,
// BSWAP, LEA, MOVZX/MOVSX, stack and near-branch instructions, x87 control, invalid encodings) run
// natively as 32-bit code (gcc -m32, one binary per batch) and in the emulator; registers, the data
// buffer, the fault class and EFLAGS (minus the flags Intel leaves undefined) must agree.
// Skips when gcc cannot build and run 32-bit programs (gcc-multilib).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeI386SkipReason } from '../helpers/tools';
import { generateBatches, coveredOps } from './native/caseCatalog';
import { runNativeBatch, plannedAddresses, type NativeBatch } from './native/nativeRunner';
import { EmulatorRunner } from './native/emulatorRunner';
import { compareOutcomes, describeCase } from './native/compareOutcomes';
import type { NativeCase } from './native/nativeLayout';

const SEED = 0x1386;
const CASES_PER_MAKER = 260;
const BATCH_SIZE = 25_000;
const PARALLEL_BUILDS = 2;

interface MismatchGroup {
  count: number;
  examples: string[];
}

/** Runs the native batches with a bounded number of builds in flight, in order. */
async function* nativeResults(batches: readonly (readonly NativeCase[])[]): AsyncGenerator<[readonly NativeCase[], NativeBatch]> {
  const pending: Promise<NativeBatch>[] = [];
  let next = 0;
  const launch = () => {
    if (next < batches.length) pending.push(runNativeBatch(batches[next++]!));
  };
  for (let i = 0; i < PARALLEL_BUILDS; i++) launch();
  for (let done = 0; done < batches.length; done++) {
    const result = await pending.shift()!;
    launch();
    yield [batches[done]!, result];
  }
}

test('user-level instructions agree with the host CPU', { skip: nativeI386SkipReason() }, async (t) => {
  const batches = generateBatches({ seed: SEED, casesPerMaker: CASES_PER_MAKER, batchSize: BATCH_SIZE });
  const emulator = new EmulatorRunner();
  const groups = new Map<string, MismatchGroup>();
  let total = 0;
  let mismatches = 0;
  let faults = 0;
  for await (const [cases, native] of nativeResults(batches)) {
    const addresses = plannedAddresses(cases);
    assert.deepEqual(native.caseAddresses, addresses, 'the linker placed the cases where the generator laid them out');
    emulator.loadCode(native.codeStart, native.code, addresses.map((address, n) => address + cases[n]!.code.length));
    cases.forEach((testCase, n) => {
      const expected = native.outcomes[n]!;
      const difference = compareOutcomes(testCase, expected, emulator.run(testCase, addresses[n]!));
      total++;
      if (expected.signal !== 0) faults++;
      if (difference === undefined) return;
      mismatches++;
      const group = groups.get(testCase.name) ?? { count: 0, examples: [] };
      group.count++;
      if (group.examples.length < 3) group.examples.push(`${describeCase(testCase)}\n      => ${difference}`);
      groups.set(testCase.name, group);
    });
  }
  t.diagnostic(`native differential: ${total} cases (${faults} faulting natively), ${mismatches} mismatches, ${coveredOps().size} table ops covered`);
  const report = [...groups.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 30)
    .map(([name, group]) => `${group.count} x ${name}\n    ${group.examples.join('\n    ')}`).join('\n');
  assert.equal(mismatches, 0, `emulator and host CPU disagree:\n${report}`);
  assert.ok(total >= 200_000, `only ${total} cases were generated`);
});

test('the native cases cover every user-level family the host can run', () => {
  const covered = coveredOps();
  const expected = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test', 'inc', 'dec', 'neg', 'not', 'mul', 'imul', 'div', 'idiv',
    'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'daa', 'das', 'aaa', 'aas', 'aam', 'aad',
    'movs', 'cmps', 'stos', 'lods', 'scas', 'clc', 'stc', 'cmc', 'cld', 'std', 'lahf', 'sahf', 'cmovcc', 'setcc', 'xadd', 'cmpxchg', 'cmpxchg8b',
    'bswap', 'lea', 'movzx', 'movsx', 'mov', 'xchg', 'cbw', 'cwd', 'salc', 'xlat', 'push', 'pop', 'pusha', 'popa', 'enter', 'leave', 'bound',
    'jmp', 'jcc', 'call', 'ret', 'jmp_indirect', 'call_indirect', 'loop', 'loope', 'loopne', 'jcxz', 'nop'];
  assert.deepEqual(expected.filter((op) => !covered.has(op)), []);
});
