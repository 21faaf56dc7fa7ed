// GNU as (AT&T, 32-bit) spellings of the table's instructions: which canonical rows a mnemonic as
// written selects, which size suffixes it takes and what they mean, and the prefix mnemonics.
// Owns: the spelling -> rows resolution, built once at module load from the instruction table (a
// mnemonic's resolution is remembered).
// Must not know: operands, encodings. Models GNU as 2.40's i386 AT&T mnemonic conventions (suffix
// b/w/l, AT&T names such as cltd/cwtl/ljmp/lret, condition-code aliases); rows come from Intel SDM
// Vol. 2 through instructionTable.ts.
import type { InstructionForm } from '../../isa/instructionForm';
import { CONDITION_SUFFIXES, formsOfMnemonic } from '../../isa/instructionTable';

/** What a size suffix letter means for a spelling. */
export type SuffixMeaning = 'operandSize' | 'addressSize' | 'sourceSize';

export interface GasSpelling {
  /** The stem GNU as names in its messages (`push` for `pushl`). */
  readonly stem: string;
  /** Candidate rows, in table order. */
  readonly forms: readonly InstructionForm[];
  /** Suffix letters GNU as accepts after the stem: any of b w l s. */
  readonly suffixes: string;
  readonly suffixMeaning: SuffixMeaning;
  /** A size spelled into the stem itself (`cwtl`, `movzbl`, `pushal`). */
  readonly impliedSize?: 8 | 16 | 32;
  /** Source width spelled into the stem (`movzb`, `movswl`). */
  readonly sourceSize?: 8 | 16;
  /** Address size spelled into the stem (`jcxz`). */
  readonly addressSize?: 16 | 32;
  /** Operands are written in Intel order even in AT&T syntax (`bound`, `enter`). */
  readonly intelOperandOrder?: boolean;
  /** `lcall`/`ljmp`/`lret`: only far rows. */
  readonly farOnly?: boolean;
  /** GNU as warns and uses another spelling (`movsd` -> `movsl`); kept for messages. */
  readonly assumed?: string;
  /** Only valid without operands (`movsd` with operands is the SSE2 instruction). */
  readonly operandless?: boolean;
}

export interface ResolvedMnemonic {
  readonly spelling: GasSpelling;
  /** The size the suffix asks for, if a suffix was written. */
  readonly suffixSize?: 8 | 16 | 32;
  readonly suffix?: string;
}

export type MnemonicResolution =
  | { readonly ok: true; readonly resolved: ResolvedMnemonic }
  | { readonly ok: false; readonly message: string };

const SUFFIX_SIZES: Readonly<Record<string, 8 | 16 | 32>> = { b: 8, w: 16, l: 32, s: 16 };

/** GNU as's condition-code aliases -> condition number. */
export const CONDITION_ALIASES: Readonly<Record<string, number>> = {
  o: 0, no: 1, b: 2, c: 2, nae: 2, ae: 3, nb: 3, nc: 3, e: 4, z: 4, ne: 5, nz: 5,
  be: 6, na: 6, a: 7, nbe: 7, s: 8, ns: 9, p: 10, pe: 10, np: 11, po: 11,
  l: 12, nge: 12, ge: 13, nl: 13, le: 14, ng: 14, g: 15, nle: 15,
};

type SpellingOptions = Partial<Omit<GasSpelling, 'stem' | 'forms'>>;

const spellings = new Map<string, GasSpelling>();

function rowsOf(canonical: readonly string[]): InstructionForm[] {
  return canonical.flatMap((name) => formsOfMnemonic(name).filter((row) => !row.decodeOnly));
}

function define(name: string, canonical: readonly string[], options: SpellingOptions = {}): void {
  const forms = rowsOf(canonical);
  if (forms.length === 0) throw new Error(`gas spelling '${name}' selects no rows`);
  spellings.set(name, { stem: name, forms, suffixes: '', suffixMeaning: 'operandSize', ...options });
}

/** Spellings whose stem is the canonical name itself. */
function defineSame(names: readonly string[], suffixes = ''): void {
  for (const name of names) define(name, [name], { suffixes });
}

function defineArithmetic(): void {
  defineSame(['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'inc', 'dec', 'neg', 'not', 'test'], 'bwl');
  defineSame(['mul', 'imul', 'div', 'idiv', 'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar'], 'bwl');
  define('sal', ['shl'], { suffixes: 'bwl' });
  defineSame(['daa', 'das', 'aaa', 'aas', 'aam', 'aad']);
  defineSame(['bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'shld', 'shrd'], 'wl');
}

function defineConditionFamilies(): void {
  for (const [alias, condition] of Object.entries(CONDITION_ALIASES)) {
    const primary = CONDITION_SUFFIXES[condition]!;
    define(`j${alias}`, [`j${primary}`]);
    define(`set${alias}`, [`set${primary}`], { suffixes: 'b' });
    define(`cmov${alias}`, [`cmov${primary}`], { suffixes: 'wl' });
  }
}

function defineDataTransfer(): void {
  defineSame(['mov', 'xchg', 'xadd', 'cmpxchg'], 'bwl');
  defineSame(['lea', 'lds', 'les', 'lfs', 'lgs', 'lss'], 'wl');
  defineSame(['cmpxchg8b', 'lahf', 'sahf']);
  define('bswap', ['bswap'], { suffixes: 'l' });
  define('movzx', ['movzx'], { suffixes: 'bw', suffixMeaning: 'sourceSize' });
  define('movsx', ['movsx'], { suffixes: 'bw', suffixMeaning: 'sourceSize' });
  define('movzb', ['movzx'], { suffixes: 'wl', sourceSize: 8 });
  define('movzw', ['movzx'], { suffixes: 'l', sourceSize: 16, impliedSize: 32 });
  define('movsbw', ['movsx'], { sourceSize: 8, impliedSize: 16 });
  define('movsbl', ['movsx'], { sourceSize: 8, impliedSize: 32 });
  define('movswl', ['movsx'], { sourceSize: 16, impliedSize: 32 });
  define('cbw', ['cbw']);
  define('cbtw', ['cbw']);
  define('cwde', ['cwde']);
  define('cwtl', ['cwde']);
  define('cwd', ['cwd']);
  define('cwtd', ['cwd']);
  define('cdq', ['cdq']);
  define('cltd', ['cdq']);
  define('xlat', ['xlatb']);
  define('xlatb', ['xlatb']);
}

function defineStack(): void {
  defineSame(['push', 'pop', 'leave'], 'wl');
  define('enter', ['enter'], { suffixes: 'wl', intelOperandOrder: true });
  define('pusha', ['pusha', 'pushad'], { suffixes: 'wl' });
  define('popa', ['popa', 'popad'], { suffixes: 'wl' });
  define('pushf', ['pushf', 'pushfd'], { suffixes: 'wl' });
  define('popf', ['popf', 'popfd'], { suffixes: 'wl' });
}

function defineControlFlow(): void {
  defineSame(['jmp', 'call'], 'wl');
  define('ljmp', ['jmp'], { suffixes: 'wl', farOnly: true });
  define('lcall', ['call'], { suffixes: 'wl', farOnly: true });
  define('ret', ['ret'], { suffixes: 'wl' });
  define('lret', ['retf'], { suffixes: 'wl' });
  define('retf', ['retf'], { suffixes: 'wl' });
  define('iret', ['iret', 'iretd'], { suffixes: 'wl' });
  for (const name of ['loop', 'loope', 'loopne']) define(name, [name], { suffixes: 'wl', suffixMeaning: 'addressSize' });
  define('loopz', ['loope'], { suffixes: 'wl', suffixMeaning: 'addressSize' });
  define('loopnz', ['loopne'], { suffixes: 'wl', suffixMeaning: 'addressSize' });
  define('jcxz', ['jcxz'], { addressSize: 16 });
  define('jecxz', ['jecxz'], { addressSize: 32 });
  defineSame(['int', 'int3', 'into', 'int1']);
  define('bound', ['bound'], { suffixes: 'wl', intelOperandOrder: true });
}

const STRING_STEMS: Readonly<Record<string, string>> = {
  movs: 'movs', cmps: 'cmps', scas: 'scas', lods: 'lods', stos: 'stos', ins: 'ins', outs: 'outs',
  smov: 'movs', scmp: 'cmps', ssca: 'scas', slod: 'lods', ssto: 'stos',
};

function defineStrings(): void {
  for (const [spelling, stem] of Object.entries(STRING_STEMS)) {
    define(spelling, [`${stem}b`, `${stem}w`, `${stem}d`], { suffixes: 'bwl' });
  }
  // Intel's dword names: GNU as warns and takes the `l` form.
  define('movsd', ['movsd'], { impliedSize: 32, assumed: 'movsl', operandless: true });
  define('cmpsd', ['cmpsd'], { impliedSize: 32, assumed: 'cmpsl', operandless: true });
  defineSame(['in', 'out'], 'bwl');
}

function defineSystem(): void {
  defineSame(['cmc', 'clc', 'stc', 'cli', 'sti', 'cld', 'std', 'hlt', 'ud2', 'clts', 'invd', 'wbinvd', 'invlpg']);
  defineSame(['cpuid', 'rdtsc', 'rdmsr', 'wrmsr', 'rdpmc', 'sysenter', 'sysexit']);
  define('ud2a', ['ud2']);
  define('nop', ['nop'], { suffixes: 'wl' });
  define('wait', ['wait']);
  define('fwait', ['wait']);
  define('arpl', ['arpl'], { suffixes: 'w' });
  defineSame(['lar', 'lsl', 'sldt', 'str', 'smsw', 'sgdt', 'sidt', 'lgdt', 'lidt'], 'wl');
  defineSame(['lldt', 'ltr', 'verr', 'verw', 'lmsw'], 'w');
}

function defineX87Control(): void {
  defineSame(['fninit', 'finit', 'fnclex', 'fclex']);
  defineSame(['fnstsw', 'fstsw', 'fnstcw', 'fstcw', 'fldcw'], 'w');
  defineSame(['fnstenv', 'fstenv', 'fldenv', 'fnsave', 'fsave', 'frstor'], 'sl');
}

defineArithmetic();
defineConditionFamilies();
defineDataTransfer();
defineStack();
defineControlFlow();
defineStrings();
defineSystem();
defineX87Control();

export const GAS_SPELLINGS: ReadonlyMap<string, GasSpelling> = spellings;

/**
 * Resolves a mnemonic as written. GNU as tries the whole name first, then the name without a final
 * size letter; a letter the stem does not take is "invalid instruction suffix".
 */
export function resolveGasMnemonic(mnemonic: string, statementText: string): MnemonicResolution {
  const known = resolutions.get(mnemonic);
  if (known) return known;
  const resolution = resolveAfresh(mnemonic, statementText);
  if (resolution.ok) resolutions.set(mnemonic, resolution);
  return resolution;
}

/** Successful resolutions by mnemonic (a bounded set: the spellings and their suffixed forms). */
const resolutions = new Map<string, MnemonicResolution>();

function resolveAfresh(mnemonic: string, statementText: string): MnemonicResolution {
  const whole = spellings.get(mnemonic);
  if (whole) return { ok: true, resolved: { spelling: whole } };
  const suffix = mnemonic.slice(-1);
  const stem = spellings.get(mnemonic.slice(0, -1));
  if (stem && SUFFIX_SIZES[suffix] !== undefined) {
    if (!stem.suffixes.includes(suffix)) return { ok: false, message: `invalid instruction suffix for \`${stem.stem}'` };
    return { ok: true, resolved: { spelling: stem, suffix, suffixSize: SUFFIX_SIZES[suffix] } };
  }
  return { ok: false, message: `no such instruction: \`${statementText || mnemonic}'` };
}

/** Every spelling GNU as accepts for the table's instructions, stems and suffixed forms: for completion. */
export function allGasSpellings(): string[] {
  const names: string[] = [];
  for (const [name, spelling] of spellings) {
    names.push(name);
    for (const suffix of spelling.suffixes) names.push(name + suffix);
  }
  return names;
}
