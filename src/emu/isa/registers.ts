// The i386 register file as both the assembler and the emulator name it.
// Owns: register names, their encoding numbers and widths, segment register order.
// Must not know: instructions, state. Models Intel SDM Vol. 1 §3.4 and Vol. 2 Table 2-1/2-2.

export type RegisterClass = 'gpr8' | 'gpr16' | 'gpr32' | 'segment' | 'control' | 'debug' | 'test' | 'x87';

export interface RegisterInfo {
  readonly name: string;
  readonly class: RegisterClass;
  /** The 3-bit number used in ModRM/opcode encodings (for x87, the stack index). */
  readonly number: number;
  /** Width in bits. */
  readonly bits: number;
}

const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;
const GPR8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'] as const;
/** Intel's segment register numbering (ModRM reg field of 8C/8E): ES=0 CS=1 SS=2 DS=3 FS=4 GS=5. */
export const SEGMENT_REGISTERS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
const CONTROL = ['cr0', 'cr1', 'cr2', 'cr3', 'cr4', 'cr5', 'cr6', 'cr7'] as const;
const DEBUG = ['db0', 'db1', 'db2', 'db3', 'db4', 'db5', 'db6', 'db7'] as const;
const TEST = ['tr0', 'tr1', 'tr2', 'tr3', 'tr4', 'tr5', 'tr6', 'tr7'] as const;

export const SEG_ES = 0;
export const SEG_CS = 1;
export const SEG_SS = 2;
export const SEG_DS = 3;
export const SEG_FS = 4;
export const SEG_GS = 5;

export const REG_EAX = 0;
export const REG_ECX = 1;
export const REG_EDX = 2;
export const REG_EBX = 3;
export const REG_ESP = 4;
export const REG_EBP = 5;
export const REG_ESI = 6;
export const REG_EDI = 7;

export type RegisterName = string;

function build(): Map<string, RegisterInfo> {
  const table = new Map<string, RegisterInfo>();
  const add = (names: readonly string[], cls: RegisterClass, bits: number) =>
    names.forEach((name, number) => table.set(name, { name, class: cls, number, bits }));
  add(GPR32, 'gpr32', 32);
  add(GPR16, 'gpr16', 16);
  add(GPR8, 'gpr8', 8);
  add(SEGMENT_REGISTERS, 'segment', 16);
  add(CONTROL, 'control', 32);
  add(DEBUG, 'debug', 32);
  add(TEST, 'test', 32);
  // GAS also accepts %dr0-%dr7 for the debug registers.
  DEBUG.forEach((_, number) => table.set(`dr${number}`, { name: `dr${number}`, class: 'debug', number, bits: 32 }));
  for (let i = 0; i < 8; i++) table.set(`st(${i})`, { name: `st(${i})`, class: 'x87', number: i, bits: 80 });
  table.set('st', { name: 'st', class: 'x87', number: 0, bits: 80 });
  return table;
}

export const REGISTERS: ReadonlyMap<string, RegisterInfo> = build();

/** Looks up a register by its name without the `%` (case-insensitive). */
export function registerInfo(name: string): RegisterInfo | undefined {
  return REGISTERS.get(name.toLowerCase());
}

export const GPR32_NAMES: readonly string[] = GPR32;
export const GPR16_NAMES: readonly string[] = GPR16;
export const GPR8_NAMES: readonly string[] = GPR8;
