// Generates the differential corpus from the instruction table: every row GNU as can emit, at each
// operand size, under each GNU as spelling that selects it, with and without size suffixes, with
// each operand varied through its samples (operandSamples.ts) while the others stay at their base
// sample, plus omitted implicit operands, wrong suffixes and LOCK/REP/segment/size prefixes.
// Must not know: the encoder (the corpus is compared against GNU as, not against expectations).
import type { InstructionForm, OperandKind } from '../../../src/emu/isa/instructionForm';
import { ENCODABLE_FORMS } from '../../../src/emu/isa/instructionTable';
import { OPERAND_KIND_INFO, isOperandSizeDependent } from '../../../src/emu/isa/operandKinds';
import { GAS_SPELLINGS, type GasSpelling } from '../../../src/emu/asm/encoder/gasMnemonics';
import { samplesFor } from './operandSamples';

export interface CorpusStatement {
  readonly text: string;
  /** The row the statement was generated for (statistics only: GNU as may pick another). */
  readonly form?: InstructionForm;
}

function spellingsOf(row: InstructionForm): GasSpelling[] {
  return [...GAS_SPELLINGS.values()].filter((spelling) => spelling.forms.includes(row));
}

const BRANCH_STEMS = new Set(['jmp', 'call', 'ljmp', 'lcall']);

function sizesOf(row: InstructionForm): readonly (16 | 32)[] {
  if (row.operandSize !== undefined) return [row.operandSize];
  return isOperandSizeDependent(row) ? [32, 16] : [32];
}

/** The suffix letter that names this row at this size (`l` for a 32-bit Ev, `s` for a 16-bit x87 image). */
function naturalSuffix(row: InstructionForm, size: 16 | 32): string | undefined {
  if (row.operands.some((k) => k === 'Menv' || k === 'Mstate')) return size === 16 ? 's' : 'l';
  if (isOperandSizeDependent(row)) return size === 16 ? 'w' : 'l';
  const primary = row.operands.find((k) => OPERAND_KIND_INFO[k].location !== 'immediate' && typeof OPERAND_KIND_INFO[k].width === 'number');
  const width = primary ? OPERAND_KIND_INFO[primary].width : undefined;
  return width === 8 ? 'b' : width === 16 ? 'w' : width === 32 ? 'l' : undefined;
}

function slotSamples(row: InstructionForm, size: 16 | 32, spelling: GasSpelling): string[][] {
  const star = BRANCH_STEMS.has(spelling.stem);
  return row.operands.map((kind: OperandKind) => {
    const samples = samplesFor(kind, size);
    return star && OPERAND_KIND_INFO[kind].location === 'rm' ? samples.map((s) => `*${s}`) : [...samples];
  });
}

/** Base operands, then each slot varied in turn (Intel order; undefined = left out). */
function operandLists(samples: readonly string[][]): (string | undefined)[][] {
  const base = samples.map((list) => list[0]!);
  const lists: (string | undefined)[][] = [base];
  samples.forEach((list, slot) => {
    for (const sample of list.slice(1)) lists.push(base.map((b, i) => (i === slot ? sample : b)));
  });
  return lists;
}

/** Variants that leave out operands GNU as lets you omit (shift count 1, string operands, AL/eAX of in/out ...). */
function omissionLists(row: InstructionForm, samples: readonly string[][]): (string | undefined)[][] {
  const base = samples.map((list) => list[0]!);
  const optional = row.operands.map((kind) =>
    kind === '1' || kind === 'CL' || kind === 'AX' || kind === 'Ib' || ['Xb', 'Xv', 'Yb', 'Yv', 'AL', 'eAX', 'DX'].includes(kind));
  const lists: (string | undefined)[][] = [];
  optional.forEach((isOptional, slot) => {
    if (isOptional) lists.push(base.map((b, i) => (i === slot ? undefined : b)));
  });
  if (optional.filter(Boolean).length >= 2) lists.push(base.map((b, i) => (optional[i] ? undefined : b)));
  return lists;
}

function statementText(mnemonic: string, spelling: GasSpelling, operands: readonly (string | undefined)[], prefix = ''): string {
  const written = operands.filter((o): o is string => o !== undefined);
  const ordered = spelling.intelOperandOrder ? written : [...written].reverse();
  const head = prefix ? `${prefix} ${mnemonic}` : mnemonic;
  return ordered.length > 0 ? `${head} ${ordered.join(',')}` : head;
}

function statementsForSize(row: InstructionForm, size: 16 | 32, spelling: GasSpelling, primary: boolean): string[] {
  const samples = slotSamples(row, size, spelling);
  const natural = naturalSuffix(row, size);
  const suffixes = ['', ...(natural && spelling.suffixes.includes(natural) ? [natural] : [])];
  const lists = primary ? [...operandLists(samples), ...omissionLists(row, samples)] : [operandLists(samples)[0]!];
  const texts: string[] = [];
  for (const suffix of suffixes) for (const list of lists) texts.push(statementText(spelling.stem + suffix, spelling, list));
  if (!primary) return texts;
  const base = lists[0]!;
  for (const wrong of ['b', 'w', 'l', 's']) if (wrong !== natural) texts.push(statementText(spelling.stem + wrong, spelling, base));
  // Prefixes on the base operands, and again with memory in the ModRM slot (LOCK needs it).
  const rmSlot = row.operands.findIndex((kind) => OPERAND_KIND_INFO[kind].rm === 'registerOrMemory');
  const withMemory = rmSlot >= 0 ? base.map((b, i) => (i === rmSlot ? (b!.startsWith('*') ? '*(%ecx)' : '(%ecx)') : b)) : undefined;
  for (const prefix of ['lock', 'rep', 'repne', 'data16', 'addr16', 'fs', 'ds', 'ss']) {
    texts.push(statementText(spelling.stem, spelling, base, prefix));
    if (withMemory) texts.push(statementText(spelling.stem + (natural ?? ''), spelling, withMemory, prefix));
  }
  return texts;
}

/** Statements GNU as treats specially that the table walk does not produce. */
const EXTRA_STATEMENTS: readonly string[] = [
  'rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'cs', 'ds', 'es', 'fs', 'gs', 'ss', 'data16', 'addr16',
  'rep movsl', 'rep stosl', 'repne scasb', 'repe cmpsb', 'lock incl (%eax)', 'lock xchg %eax,(%ebx)', 'lock cmpxchg8b (%esi)',
  'fs lodsl', 'ss movsb', 'data16 pushl %eax', 'data16 movw %ax,%bx', 'cs ds nop', 'ds jne ext_target', 'addr16 jecxz ext_target',
  'xlat', 'xlatb', 'xlat (%ebx)', 'xlat %fs:(%ebx)', 'xlat %ds:(%bx)', 'movsd', 'cmpsd', 'smovl', 'slodb', 'sstow', 'scmpl', 'sscab',
  'movzx (%eax),%ebx', 'movsx (%eax),%ebx', 'movzxb (%eax),%ebx', 'movzxw (%eax),%ebx', 'movzbw %al,%bx', 'movzwl %ax,%ebx',
  'imul $5,%eax', 'imul $1000,%ebx', 'imulw $-1,%cx', 'imul $ext_imm,%edx', 'shld %eax,%ebx', 'shrdw %ax,(%ecx)',
  'jmpw ext_target', 'jmpl ext_target', 'callw ext_target', 'calll ext_target', 'data16 call ext_target', 'loopw ext_target', 'loopl ext_target',
  'loopel ext_target', 'loopnzw ext_target', 'aam', 'aad', 'inb $0x60', 'inb (%dx)', 'outb $0x80', 'outl (%dx)', 'in $0x60', 'fnstsw', 'fstsw',
  'pushl %es', 'movl %esp,0x1014(%eax)', 'lgdt 0x1020(%eax)', 'lidt 0x1018(%eax)', 'ltr %dx', 'andb $0xFD,0x85(%edx)', 'movl %ebx,%cr3',
  'leal (%edx,%ebx,8),%eax', 'movzwl (%eax),%edx', 'xorw %ax,%ax', 'jmp *%edx', 'lcall *lguest_entry', 'int $0x1F', 'movl lguest_data,%eax',
  'movl %eax,lguest_data', 'movl $0,lguest_data', 'movl $0x200,lguest_data', 'movl %eax,%ss:lguest_data', 'movl 12(%esp),%eax',
  'andl $0xfffff000,%eax', 'subl $0xfb8,%eax', 'movl $0x58,%eax', 'pushl $0', 'pushl $0x80'
];

export function generateCorpus(): CorpusStatement[] {
  const seen = new Set<string>();
  const statements: CorpusStatement[] = [];
  const add = (text: string, form?: InstructionForm) => {
    if (seen.has(text)) return;
    seen.add(text);
    statements.push(form ? { text, form } : { text });
  };
  for (const row of ENCODABLE_FORMS) {
    spellingsOf(row).forEach((spelling, i) => {
      for (const size of sizesOf(row)) for (const text of statementsForSize(row, size, spelling, i === 0)) add(text, row);
    });
  }
  for (const text of EXTRA_STATEMENTS) add(text);
  return statements;
}
