// Handlers for the BCD adjustments DAA DAS AAA AAS (27 2F 37 3F) and AAM/AAD with their base byte
// (D4 ib, D5 ib). Owns: nothing but the binding. Must not know: the arithmetic (aluDecimal.ts).
// Models Intel SDM Vol. 2 (DAA, DAS, AAA, AAS, AAM, AAD).
import type { CpuState } from '../../cpuState';
import type { Handler, Instruction } from '../../instruction';
import { asciiAdjustAdd, asciiAdjustDivide, asciiAdjustMultiply, asciiAdjustSubtract, decimalAdjustAdd, decimalAdjustSubtract } from '../../aluDecimal';

export const DECIMAL_HANDLERS: Readonly<Record<string, Handler>> = {
  daa: (cpu: CpuState) => decimalAdjustAdd(cpu),
  das: (cpu: CpuState) => decimalAdjustSubtract(cpu),
  aaa: (cpu: CpuState) => asciiAdjustAdd(cpu),
  aas: (cpu: CpuState) => asciiAdjustSubtract(cpu),
  aam: (cpu: CpuState, i: Instruction) => asciiAdjustMultiply(cpu, i.imm & 0xff),
  aad: (cpu: CpuState, i: Instruction) => asciiAdjustDivide(cpu, i.imm & 0xff),
};
