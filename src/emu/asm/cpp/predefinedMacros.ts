// The macros `gcc -m32 -E -x assembler-with-cpp` predefines (GCC 12 on i686 Linux, checked with
// `gcc -m32 -E -dM -x assembler-with-cpp /dev/null`), minus compiler-feature noise that assembly
// never tests: floating-point limits, atomics, IEC 559 and PIC/PIE (kernel code is built without
// PIC). Owns: that list as `#define` text. Must not know: how it is processed.

const SYSTEM_AND_VERSION = [
  '__ASSEMBLER__ 1', '__STDC__ 1', '__STDC_HOSTED__ 1',
  '__GNUC__ 12', '__GNUC_MINOR__ 2', '__GNUC_PATCHLEVEL__ 0', '__VERSION__ "12.2.0"',
  '__i386__ 1', '__i386 1', 'i386 1', '__i686__ 1', '__i686 1', '__pentiumpro__ 1', '__pentiumpro 1',
  '__linux__ 1', '__linux 1', 'linux 1', '__gnu_linux__ 1', '__unix__ 1', '__unix 1', 'unix 1', '__ELF__ 1',
  '__ILP32__ 1', '_ILP32 1', '__code_model_32__ 1', '__SEG_FS 1', '__SEG_GS 1',
  '__REGISTER_PREFIX__ ', '__USER_LABEL_PREFIX__ ', '__NO_INLINE__ 1', '__GCC_HAVE_DWARF2_CFI_ASM 1',
  '__BIGGEST_ALIGNMENT__ 16', '__CHAR_BIT__ 8',
  '__ORDER_LITTLE_ENDIAN__ 1234', '__ORDER_BIG_ENDIAN__ 4321', '__ORDER_PDP_ENDIAN__ 3412',
  '__BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__', '__FLOAT_WORD_ORDER__ __ORDER_LITTLE_ENDIAN__',
];

const SIZES = [
  '__SIZEOF_INT__ 4', '__SIZEOF_LONG__ 4', '__SIZEOF_LONG_LONG__ 8', '__SIZEOF_SHORT__ 2', '__SIZEOF_POINTER__ 4',
  '__SIZEOF_FLOAT__ 4', '__SIZEOF_DOUBLE__ 8', '__SIZEOF_LONG_DOUBLE__ 12', '__SIZEOF_SIZE_T__ 4',
  '__SIZEOF_WCHAR_T__ 4', '__SIZEOF_WINT_T__ 4', '__SIZEOF_PTRDIFF_T__ 4',
];

const LIMITS = [
  '__SCHAR_MAX__ 0x7f', '__SHRT_MAX__ 0x7fff', '__INT_MAX__ 0x7fffffff', '__LONG_MAX__ 0x7fffffffL',
  '__LONG_LONG_MAX__ 0x7fffffffffffffffLL', '__WCHAR_MAX__ 0x7fffffffL', '__WCHAR_MIN__ (-__WCHAR_MAX__ - 1)',
  '__WINT_MAX__ 0xffffffffU', '__WINT_MIN__ 0U', '__PTRDIFF_MAX__ 0x7fffffff', '__SIZE_MAX__ 0xffffffffU',
  '__SIG_ATOMIC_MAX__ 0x7fffffff', '__SIG_ATOMIC_MIN__ (-__SIG_ATOMIC_MAX__ - 1)',
  '__INTMAX_MAX__ 0x7fffffffffffffffLL', '__UINTMAX_MAX__ 0xffffffffffffffffULL',
  '__INTPTR_MAX__ 0x7fffffff', '__UINTPTR_MAX__ 0xffffffffU',
  '__INT8_MAX__ 0x7f', '__INT16_MAX__ 0x7fff', '__INT32_MAX__ 0x7fffffff', '__INT64_MAX__ 0x7fffffffffffffffLL',
  '__UINT8_MAX__ 0xff', '__UINT16_MAX__ 0xffff', '__UINT32_MAX__ 0xffffffffU', '__UINT64_MAX__ 0xffffffffffffffffULL',
  '__INT_LEAST8_MAX__ 0x7f', '__INT_LEAST16_MAX__ 0x7fff', '__INT_LEAST32_MAX__ 0x7fffffff', '__INT_LEAST64_MAX__ 0x7fffffffffffffffLL',
  '__UINT_LEAST8_MAX__ 0xff', '__UINT_LEAST16_MAX__ 0xffff', '__UINT_LEAST32_MAX__ 0xffffffffU', '__UINT_LEAST64_MAX__ 0xffffffffffffffffULL',
  '__INT_FAST8_MAX__ 0x7f', '__INT_FAST16_MAX__ 0x7fffffff', '__INT_FAST32_MAX__ 0x7fffffff', '__INT_FAST64_MAX__ 0x7fffffffffffffffLL',
  '__UINT_FAST8_MAX__ 0xff', '__UINT_FAST16_MAX__ 0xffffffffU', '__UINT_FAST32_MAX__ 0xffffffffU', '__UINT_FAST64_MAX__ 0xffffffffffffffffULL',
];

const WIDTHS = [
  '__SCHAR_WIDTH__ 8', '__SHRT_WIDTH__ 16', '__INT_WIDTH__ 32', '__LONG_WIDTH__ 32', '__LONG_LONG_WIDTH__ 64',
  '__PTRDIFF_WIDTH__ 32', '__SIZE_WIDTH__ 32', '__WCHAR_WIDTH__ 32', '__WINT_WIDTH__ 32', '__SIG_ATOMIC_WIDTH__ 32',
  '__INTMAX_WIDTH__ 64', '__INTPTR_WIDTH__ 32',
  '__INT_LEAST8_WIDTH__ 8', '__INT_LEAST16_WIDTH__ 16', '__INT_LEAST32_WIDTH__ 32', '__INT_LEAST64_WIDTH__ 64',
  '__INT_FAST8_WIDTH__ 8', '__INT_FAST16_WIDTH__ 32', '__INT_FAST32_WIDTH__ 32', '__INT_FAST64_WIDTH__ 64',
];

const TYPES = [
  '__SIZE_TYPE__ unsigned int', '__PTRDIFF_TYPE__ int', '__WCHAR_TYPE__ long int', '__WINT_TYPE__ unsigned int',
  '__INTMAX_TYPE__ long long int', '__UINTMAX_TYPE__ long long unsigned int', '__INTPTR_TYPE__ int',
  '__UINTPTR_TYPE__ unsigned int', '__CHAR16_TYPE__ short unsigned int', '__CHAR32_TYPE__ unsigned int',
  '__SIG_ATOMIC_TYPE__ int',
  '__INT8_TYPE__ signed char', '__INT16_TYPE__ short int', '__INT32_TYPE__ int', '__INT64_TYPE__ long long int',
  '__UINT8_TYPE__ unsigned char', '__UINT16_TYPE__ short unsigned int', '__UINT32_TYPE__ unsigned int',
  '__UINT64_TYPE__ long long unsigned int',
  '__INT_LEAST8_TYPE__ signed char', '__INT_LEAST16_TYPE__ short int', '__INT_LEAST32_TYPE__ int', '__INT_LEAST64_TYPE__ long long int',
  '__UINT_LEAST8_TYPE__ unsigned char', '__UINT_LEAST16_TYPE__ short unsigned int', '__UINT_LEAST32_TYPE__ unsigned int',
  '__UINT_LEAST64_TYPE__ long long unsigned int',
  '__INT_FAST8_TYPE__ signed char', '__INT_FAST16_TYPE__ int', '__INT_FAST32_TYPE__ int', '__INT_FAST64_TYPE__ long long int',
  '__UINT_FAST8_TYPE__ unsigned char', '__UINT_FAST16_TYPE__ unsigned int', '__UINT_FAST32_TYPE__ unsigned int',
  '__UINT_FAST64_TYPE__ long long unsigned int',
  '__INT8_C(c) c', '__INT16_C(c) c', '__INT32_C(c) c', '__INT64_C(c) c ## LL', '__INTMAX_C(c) c ## LL',
  '__UINT8_C(c) c', '__UINT16_C(c) c', '__UINT32_C(c) c ## U', '__UINT64_C(c) c ## ULL', '__UINTMAX_C(c) c ## ULL',
];

/** Every predefined macro as `NAME[(params)] value`, in the form `#define` takes. */
export const PREDEFINED_MACROS: readonly string[] = [...SYSTEM_AND_VERSION, ...SIZES, ...LIMITS, ...WIDTHS, ...TYPES];

/** The `<built-in>` buffer: one #define per predefined macro. */
export function predefinedMacroText(): string {
  return PREDEFINED_MACROS.map((definition) => `#define ${definition}\n`).join('');
}

/** The `<command-line>` buffer for `-D` options (a missing value means 1, as `-D NAME`). */
export function commandLineDefineText(defines: Readonly<Record<string, string>>): string {
  return Object.entries(defines)
    .map(([name, value]) => `#define ${name} ${(value ?? '1').split('\n')[0]}\n`)
    .join('');
}
