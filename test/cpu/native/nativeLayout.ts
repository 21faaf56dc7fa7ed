// The memory layout and record formats shared by the native runner (host CPU) and the emulator
// runner: a 256-byte data buffer at the same linear address in both worlds, the test code at the
// same address, and fixed-size input/output records per case.
// Must not know: what the cases test.

/** The data buffer: mapped with MAP_FIXED natively, plain RAM in the emulator. */
export const BUFFER_BASE = 0x00200000;
export const BUFFER_BYTES = 256;
/** Offset of the default stack top inside the buffer (the stack grows down into it). */
export const STACK_TOP_OFFSET = 0xf0;
/** Where the linker places the `testcode` section (and the emulator loads it). */
export const TESTCODE_BASE = 0x00400000;
/** Every case ends with `jmp case_done` (E9 rel32); the emulator patches its first byte to HLT. */
export const CASE_EPILOGUE_BYTES = 5;

/** Input record: EAX..EDI, EFLAGS, buffer. */
export const INPUT_RECORD_BYTES = 32 + 4 + BUFFER_BYTES;
/** Output record: status (0 or the signal), EIP at a fault, EAX..EDI, EFLAGS, buffer. */
export const OUTPUT_RECORD_BYTES = 4 + 4 + 32 + 4 + BUFFER_BYTES;

/** Flags the comparison looks at: the six arithmetic flags and DF. */
export const COMPARED_FLAGS = 0x0cd5;

export interface NativeCase {
  /** Human-readable identity for mismatch reports ("adc Ev,Gv o16 mem"). */
  readonly name: string;
  /** The instruction table op whose undefined flags are masked. */
  readonly op: string;
  readonly code: readonly number[];
  readonly regs: Int32Array;
  readonly eflags: number;
  readonly memory: Uint8Array;
  /** Flags not compared (undefinedFlags.ts, per op and count). */
  readonly undefinedFlags: number;
  /** Registers whose final value is undefined (bit n = register n). */
  readonly undefinedRegisters: number;
}

export interface CaseOutcome {
  /** 0, or the signal natively / the signal the emulator's exception maps to. */
  readonly signal: number;
  /** EIP at a fault (0 when the case completed). */
  readonly eip: number;
  readonly regs: Int32Array;
  readonly eflags: number;
  readonly memory: Uint8Array;
  /** Why the emulator stopped, when it was neither HLT nor an exception. */
  readonly description?: string;
}

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

/** The signal Linux sends for an exception vector (what the native run reports). */
export function signalOfVector(vector: number): number {
  switch (vector) {
    case 0: case 16: return SIGFPE;
    case 1: case 3: return SIGTRAP;
    case 6: return SIGILL;
    case 17: return SIGBUS;
    default: return SIGSEGV;
  }
}
