// Integer and character constants in #if (C11 §6.4.4.1, §6.4.4.4, §6.10.1p4): every integer has
// the type intmax_t or uintmax_t (64 bits, as `gcc -m32`), characters are `char` (signed on i386)
// or, for L'x', wchar_t (32-bit long). Messages follow GCC's cpp_classify_number and
// cpp_interpret_charconst. Owns: turning one number or character token into a value.
// Must not know: operators, macros or tokens other than the one it is given.

export interface PpValue {
  /** In [-2^63, 2^63) when signed, [0, 2^64) when unsigned. */
  readonly value: bigint;
  readonly unsigned: boolean;
}

export interface ConstantDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ParsedConstant {
  readonly value?: PpValue;
  readonly diagnostics: readonly ConstantDiagnostic[];
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;

const VALID_SUFFIXES = new Set(['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu']);

/** An integer pp-number as #if sees it. */
export function parseIntegerConstant(text: string): ParsedConstant {
  const lower = text.toLowerCase();
  let radix = 10;
  let start = 0;
  if (lower.startsWith('0x')) [radix, start] = [16, 2];
  else if (lower.startsWith('0b')) [radix, start] = [2, 2];
  else if (lower.startsWith('0')) radix = 8;
  const digitPattern = radix === 16 ? /[0-9a-f]/ : /[0-9]/;
  let end = start;
  while (end < lower.length && digitPattern.test(lower[end]!)) end++;
  const rest = lower.slice(end);
  if (rest.startsWith('.') || (radix === 16 ? rest.startsWith('p') : radix !== 2 && /^e[0-9+-]/.test(rest))) {
    return fail('floating constant in preprocessor expression');
  }
  const digits = lower.slice(start, end);
  const suffix = text.slice(end);
  if ((radix === 16 || radix === 2) && digits.length === 0) return fail(`invalid suffix "${text.slice(start - 1)}" on integer constant`);
  if (!isValidSuffix(suffix)) {
    if (/^[ij]/i.test(suffix) && isValidSuffix(suffix.slice(1))) return fail('imaginary number in preprocessor expression');
    return fail(`invalid suffix "${suffix}" on integer constant`);
  }
  const badDigit = [...digits].find((d) => parseInt(d, 16) >= radix);
  if (badDigit !== undefined) return fail(`invalid digit "${badDigit}" in ${radix === 8 ? 'octal' : 'binary'} constant`);
  return classifyMagnitude(digits.length === 0 ? 0n : BigInt(prefixFor(radix) + digits), radix, suffix.toLowerCase().includes('u'));
}

function isValidSuffix(suffix: string): boolean {
  if (/lL|Ll/.test(suffix)) return false;
  return VALID_SUFFIXES.has(suffix.toLowerCase());
}

function prefixFor(radix: number): string {
  return radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
}

function classifyMagnitude(magnitude: bigint, radix: number, unsignedSuffix: boolean): ParsedConstant {
  const diagnostics: ConstantDiagnostic[] = [];
  let value = magnitude;
  if (value > UINT64_MAX) {
    diagnostics.push({ severity: 'warning', message: 'integer constant is too large for its type' });
    value &= UINT64_MAX;
  }
  let unsigned = unsignedSuffix;
  if (!unsigned && value > INT64_MAX) {
    unsigned = true;
    if (radix === 10 && magnitude <= UINT64_MAX) diagnostics.push({ severity: 'warning', message: 'integer constant is so large that it is unsigned' });
  }
  return { value: { value, unsigned }, diagnostics };
}

function fail(message: string): ParsedConstant {
  return { diagnostics: [{ severity: 'error', message }] };
}

/** A character constant ('a', '\n', 'ab', L'x') as an int (or wchar_t) value. */
export function parseCharacterConstant(text: string): ParsedConstant {
  const wide = text.startsWith('L');
  const body = text.slice(wide ? 2 : 1, -1);
  const diagnostics: ConstantDiagnostic[] = [];
  const codes = decodeCharacters(body, diagnostics);
  if (codes.length === 0) return fail('empty character constant');
  if (wide) {
    if (codes.length > 1) diagnostics.push({ severity: 'warning', message: 'character constant too long for its type' });
    return { value: { value: BigInt.asIntN(32, BigInt(codes[codes.length - 1]!)), unsigned: false }, diagnostics };
  }
  if (codes.length > 4) diagnostics.push({ severity: 'warning', message: 'character constant too long for its type' });
  else if (codes.length > 1) diagnostics.push({ severity: 'warning', message: 'multi-character character constant' });
  let result = 0n;
  for (const code of codes.slice(-4)) result = (result << 8n) | BigInt(code & 0xff);
  const value = codes.length > 1 ? BigInt.asIntN(32, result) : BigInt.asIntN(8, result);
  return { value: { value, unsigned: false }, diagnostics };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, v: 11, b: 8, r: 13, f: 12, a: 7, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27, E: 27,
};

function decodeCharacters(body: string, diagnostics: ConstantDiagnostic[]): number[] {
  const codes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\' || i + 1 >= body.length) {
      codes.push(body.charCodeAt(i));
      continue;
    }
    const escape = body[++i]!;
    const numeric = /^([0-7]{1,3})/.exec(body.slice(i)) ?? (escape === 'x' ? /^x([0-9a-fA-F]+)/.exec(body.slice(i)) : null) ?? (escape === 'u' || escape === 'U' ? /^[uU]([0-9a-fA-F]{4,8})/.exec(body.slice(i)) : null);
    if (numeric) {
      codes.push(parseInt(numeric[1]!, escape >= '0' && escape <= '7' ? 8 : 16));
      i += numeric[0].length - 1;
    } else if (SIMPLE_ESCAPES[escape] !== undefined) {
      codes.push(SIMPLE_ESCAPES[escape]!);
    } else {
      if (escape === 'x') diagnostics.push({ severity: 'error', message: '\\x used with no following hex digits' });
      else diagnostics.push({ severity: 'warning', message: `unknown escape sequence: '\\${escape}'` });
      codes.push(body.charCodeAt(i));
    }
  }
  return codes;
}
