// Self-checks of the instruction table: row shape, no accidental duplicate encodings, agreement with
// iced-x86's decoder on every row, every assembler-emittable row reachable through the encoder, and
// the derived views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, Mnemonic, OpCodeOperandKind } from 'iced-x86';
import type { InstructionForm } from '../../src/emu/isa/instructionForm';
import {
  CANONICAL_MNEMONICS, ENCODABLE_FORMS, FORMS_BY_MNEMONIC, FORMS_BY_OP, INSTRUCTION_TABLE, describeOpcode, formsOfMnemonic,
} from '../../src/emu/isa/instructionTable';
import { OPERAND_KIND_INFO, isOperandSizeDependent, rmMode } from '../../src/emu/isa/operandKinds';
import { expectedIcedView } from './icedOperandKinds';
import { isShadowedRegisterVariant, isVariantGnuAsNeverEmits, reachingStatement } from './rowReachability';
import { decode32, rowSamples } from './rowSamples';

const describe = (row: InstructionForm) => `${row.mnemonic} ${describeOpcode(row)} [${row.operands.join(',')}]`;

test('every row has a summary, a known op key and well-formed attributes', () => {
  const problems: string[] = [];
  for (const row of INSTRUCTION_TABLE) {
    if (!/^[A-Z].{9,}\.$/.test(row.summary)) problems.push(`${describe(row)}: summary`);
    if (!/^[a-z][a-z0-9_]*$/.test(row.op)) problems.push(`${describe(row)}: op '${row.op}'`);
    if (!/^[a-z][a-z0-9]*$/.test(row.mnemonic)) problems.push(`${describe(row)}: mnemonic`);
    if (row.opcode.length === 0 || row.opcode.length > 2 || (row.opcode.length === 2 && row.opcode[0] !== 0x0f)) problems.push(`${describe(row)}: opcode`);
    if (row.extension !== undefined && row.modrm !== undefined) problems.push(`${describe(row)}: both extension and modrm`);
    if (row.condition !== undefined && !['jcc', 'setcc', 'cmovcc'].includes(row.op)) problems.push(`${describe(row)}: condition on ${row.op}`);
    if (row.lockable && rmMode(row) === 'register') problems.push(`${describe(row)}: lockable without memory form`);
  }
  assert.deepEqual(problems, []);
});

/** Keys of the encodings a row claims: prefix, opcode (each +r value), ModRM space, sizes. */
function encodingKeys(row: InstructionForm): string[] {
  const last = row.opcode[row.opcode.length - 1]!;
  const plusR = row.operands.some((k) => OPERAND_KIND_INFO[k].location === 'opcodeRegister');
  const opcodes = (plusR ? [0, 1, 2, 3, 4, 5, 6, 7] : [0]).map((r) => [...row.opcode.slice(0, -1), last + r].join('.'));
  const mode = rmMode(row);
  const spaces = row.modrm !== undefined ? [`modrm=${row.modrm}`] : mode === undefined ? ['-'] : mode === 'either' ? ['reg', 'mem'] : [mode === 'register' ? 'reg' : 'mem'];
  const ext = row.extension ?? (row.modrm !== undefined ? 'fixed' : '-');
  const sizes = row.operandSize ? [row.operandSize] : [16, 32];
  const addressSizes = row.addressSize ? [row.addressSize] : [16, 32];
  const keys: string[] = [];
  for (const opcode of opcodes) for (const space of spaces) for (const size of sizes) for (const address of addressSizes) {
    keys.push(`${row.prefix ?? ''}|${opcode}|/${ext}|${space}|o${size}|a${address}`);
  }
  return keys;
}

/** Deliberate aliases: NOP is the XCHG eAX,eAX encoding (90), claimed by both rows. */
const DELIBERATE_ALIASES = new Set(['nop 90 []|xchg 90+r [Zv,eAX]']);

test('no two rows claim the same encoding unless deliberately aliased', () => {
  const owners = new Map<string, InstructionForm>();
  const clashes = new Set<string>();
  for (const row of INSTRUCTION_TABLE) {
    for (const key of encodingKeys(row)) {
      const owner = owners.get(key);
      if (owner && owner !== row) {
        const pair = [describe(owner), describe(row)].sort().join('|');
        if (!DELIBERATE_ALIASES.has(pair)) clashes.add(`${pair} at ${key}`);
      } else owners.set(key, row);
    }
  }
  assert.deepEqual([...clashes], []);
});

test('iced-x86 decodes every row sample as the same instruction, length and operand kinds', () => {
  const problems: string[] = [];
  let checked = 0;
  for (const row of INSTRUCTION_TABLE) {
    for (const sample of rowSamples(row)) {
      // A WAIT-prefixed form decodes as WAIT, then the no-wait form.
      const bytes = row.prefix !== undefined ? sample.bytes.subarray(1) : sample.bytes;
      const seen = decode32(bytes, (instruction, length) => {
        const opCode = instruction.opCode;
        const kinds = Array.from({ length: opCode.opCount }, (_, i) => OpCodeOperandKind[opCode.opKind(i)]!);
        opCode.free();
        return { code: instruction.code, mnemonic: Mnemonic[instruction.mnemonic]!.toLowerCase(), length, kinds };
      });
      const expected = expectedIcedView(row, sample.size);
      const where = `${describe(row)} size ${sample.size ?? '-'} ${sample.variant}`;
      if (seen.code === Code.INVALID) problems.push(`${where}: invalid`);
      else if (seen.length !== bytes.length) problems.push(`${where}: length ${seen.length} != ${bytes.length}`);
      else if (seen.mnemonic !== expected.mnemonic) problems.push(`${where}: mnemonic ${seen.mnemonic}`);
      else if (seen.kinds.join(',') !== expected.kinds.join(',')) problems.push(`${where}: kinds ${seen.kinds.join(',')} != ${expected.kinds.join(',')}`);
      checked++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > INSTRUCTION_TABLE.length, `${checked} samples`);
});

test('every row GNU as can emit is produced by the encoder', () => {
  const unreachableRows: string[] = [];
  const unexpected: string[] = [];
  let reached = 0;
  for (const row of ENCODABLE_FORMS) {
    let rowReached = false;
    for (const sample of rowSamples(row)) {
      const reachable = reachingStatement(sample) !== undefined;
      rowReached ||= reachable;
      if (reachable) reached++;
      // Every variant is produced, except the ones GNU as itself never writes.
      const expectedUnreachable = isVariantGnuAsNeverEmits(sample) || isShadowedRegisterVariant(sample);
      if (reachable === expectedUnreachable) unexpected.push(`${describe(row)} size ${sample.size ?? '-'} ${sample.variant}: ${reachable ? 'reachable' : 'unreachable'}`);
    }
    if (!rowReached) unreachableRows.push(describe(row));
  }
  assert.deepEqual(unreachableRows, []);
  assert.deepEqual(unexpected, []);
  assert.ok(reached > ENCODABLE_FORMS.length);
});

test('derived views cover the table', () => {
  const byMnemonic = [...FORMS_BY_MNEMONIC.values()].reduce((n, rows) => n + rows.length, 0);
  const byOp = [...FORMS_BY_OP.values()].reduce((n, rows) => n + rows.length, 0);
  assert.equal(byMnemonic, INSTRUCTION_TABLE.length);
  assert.equal(byOp, INSTRUCTION_TABLE.length);
  assert.deepEqual([...CANONICAL_MNEMONICS], [...new Set(CANONICAL_MNEMONICS)].sort());
  assert.equal(ENCODABLE_FORMS.length, INSTRUCTION_TABLE.filter((row) => !row.decodeOnly).length);
  assert.deepEqual(formsOfMnemonic('no-such-mnemonic'), []);
  for (const name of ['add', 'jne', 'setg', 'cmovae', 'iretd', 'movsd', 'lgdt', 'fnstsw', 'bswap', 'cmpxchg8b', 'sysenter']) {
    assert.ok(CANONICAL_MNEMONICS.includes(name), name);
  }
  for (const op of ['add', 'jcc', 'setcc', 'cmovcc', 'push_sreg', 'pop_sreg', 'mov_sreg_rm', 'mov_rm_sreg', 'lgdt', 'jmp_far_indirect', 'call_far_indirect']) {
    assert.ok(FORMS_BY_OP.has(op), op);
  }
});

test('the table covers the i386 integer set, 486/Pentium/P6 additions and the x87 control forms', () => {
  const ops = new Set(INSTRUCTION_TABLE.map((row) => row.op));
  const required = [
    'daa', 'das', 'aaa', 'aas', 'aam', 'aad', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'shld', 'shrd', 'xlat', 'lahf', 'sahf',
    'bound', 'enter', 'leave', 'pusha', 'popa', 'pushf', 'popf', 'arpl', 'lar', 'lsl', 'verr', 'verw', 'sldt', 'str', 'lldt', 'ltr',
    'sgdt', 'sidt', 'lgdt', 'lidt', 'smsw', 'lmsw', 'clts', 'invd', 'wbinvd', 'invlpg', 'bswap', 'cmpxchg', 'cmpxchg8b', 'xadd',
    'cpuid', 'rdtsc', 'rdmsr', 'wrmsr', 'rdpmc', 'sysenter', 'sysexit', 'ud2', 'fninit', 'fnsave', 'frstor', 'fnstsw', 'fnstcw',
    'fldcw', 'fnstenv', 'fldenv', 'fnclex', 'wait', 'int1', 'into', 'int3', 'int', 'iret', 'loop', 'loope', 'loopne', 'jcxz',
    'mov_r_cr', 'mov_cr_r', 'mov_r_dr', 'mov_dr_r', 'mov_r_tr', 'mov_tr_r', 'jmp_far', 'call_far', 'retf', 'ins', 'outs',
  ];
  assert.deepEqual(required.filter((op) => !ops.has(op)), []);
  assert.ok(INSTRUCTION_TABLE.filter((row) => row.decodeOnly).every((row) => row.summary.length > 0));
  assert.ok(INSTRUCTION_TABLE.some((row) => isOperandSizeDependent(row)));
});
