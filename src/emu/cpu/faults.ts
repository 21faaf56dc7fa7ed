// Exceptions as values: a CpuFault is thrown by any check that fails and caught by the run loop,
// which rolls EIP back to the instruction start and delivers the exception through the IDT.
// Owns: vector numbers, which vectors push an error code, exception classes for double-fault rules,
// and constructors for common faults. Must not know: delivery (interrupts.ts).
// Models Intel SDM Vol. 3A §6.3 (exception classes), §6.13 (error codes), Table 6-5 (double faults).

export const EXC_DE = 0;
export const EXC_DB = 1;
export const EXC_NMI = 2;
export const EXC_BP = 3;
export const EXC_OF = 4;
export const EXC_BR = 5;
export const EXC_UD = 6;
export const EXC_NM = 7;
export const EXC_DF = 8;
export const EXC_TS = 10;
export const EXC_NP = 11;
export const EXC_SS = 12;
export const EXC_GP = 13;
export const EXC_PF = 14;
export const EXC_MF = 16;
export const EXC_AC = 17;
export const EXC_MC = 18;

export const EXCEPTION_NAMES: readonly string[] = [
  '#DE divide error', '#DB debug', 'NMI', '#BP breakpoint', '#OF overflow', '#BR bound range exceeded',
  '#UD invalid opcode', '#NM device not available', '#DF double fault', 'coprocessor segment overrun',
  '#TS invalid TSS', '#NP segment not present', '#SS stack-segment fault', '#GP general protection',
  '#PF page fault', 'reserved (15)', '#MF x87 floating-point error', '#AC alignment check', '#MC machine check',
];

/** Vectors for which the CPU pushes an error code (8, 10-14, 17). */
export function pushesErrorCode(vector: number): boolean {
  return vector === 8 || (vector >= 10 && vector <= 14) || vector === 17;
}

export type ExceptionClass = 'benign' | 'contributory' | 'pageFault' | 'doubleFault';

export function exceptionClass(vector: number): ExceptionClass {
  if (vector === EXC_PF) return 'pageFault';
  if (vector === EXC_DF) return 'doubleFault';
  if (vector === EXC_DE || (vector >= EXC_TS && vector <= EXC_GP)) return 'contributory';
  return 'benign';
}

/**
 * A fault or trap raised by an instruction. `errorCode` is -1 when none is pushed. Not an Error
 * subclass on purpose: throwing it must stay cheap (no stack capture), it is control flow.
 */
export class CpuFault {
  constructor(
    readonly vector: number,
    readonly errorCode: number,
    readonly description: string,
  ) {}
}

export function faultName(vector: number): string {
  return EXCEPTION_NAMES[vector] ?? `vector ${vector}`;
}

export function generalProtection(errorCode: number, why: string): CpuFault {
  return new CpuFault(EXC_GP, errorCode, why);
}

export function invalidOpcode(why: string): CpuFault {
  return new CpuFault(EXC_UD, -1, why);
}

export function stackFault(errorCode: number, why: string): CpuFault {
  return new CpuFault(EXC_SS, errorCode, why);
}

export function segmentNotPresent(errorCode: number, why: string): CpuFault {
  return new CpuFault(EXC_NP, errorCode, why);
}

export function invalidTss(errorCode: number, why: string): CpuFault {
  return new CpuFault(EXC_TS, errorCode, why);
}

export function divideError(why: string): CpuFault {
  return new CpuFault(EXC_DE, -1, why);
}

export function deviceNotAvailable(why: string): CpuFault {
  return new CpuFault(EXC_NM, -1, why);
}

/** #PF error code bits (Intel SDM Vol. 3A §4.7). */
export const PF_PROTECTION = 1;
export const PF_WRITE = 2;
export const PF_USER = 4;
export const PF_RESERVED = 8;
