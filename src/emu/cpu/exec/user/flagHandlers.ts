// Handlers for the user-level flag instructions: CLC STC CMC (F8 F9 F5), CLD STD (FC FD), LAHF and
// SAHF (9F 9E), and the undocumented SALC (D6: AL = CF ? FF : 00). Owns: which flags each one
// touches. Must not know: how flags are stored lazily (eflags.ts). Models Intel SDM Vol. 2 (CLC,
// STC, CMC, CLD, STD, LAHF, SAHF); SALC is in the opcode map as reserved, documented by AMD.
import type { CpuState } from '../../cpuState';
import type { Handler } from '../../instruction';
import { EFLAGS_AF, EFLAGS_CF, EFLAGS_DF, EFLAGS_PF, EFLAGS_SF, EFLAGS_ZF, getCF, getEflags, setFlagsEager } from '../../eflags';
import { getReg8, setReg8 } from './operands';

const AH = 4;
const SAHF_FLAGS = EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF;

function clc(cpu: CpuState): void {
  setFlagsEager(cpu, EFLAGS_CF, 0);
}

function stc(cpu: CpuState): void {
  setFlagsEager(cpu, EFLAGS_CF, EFLAGS_CF);
}

function cmc(cpu: CpuState): void {
  setFlagsEager(cpu, EFLAGS_CF, getCF(cpu) ^ EFLAGS_CF);
}

/** DF is never part of the lazy record. */
function cld(cpu: CpuState): void {
  cpu.flags &= ~EFLAGS_DF;
}

function std(cpu: CpuState): void {
  cpu.flags |= EFLAGS_DF;
}

/** AH = SF:ZF:0:AF:0:PF:1:CF. */
function lahf(cpu: CpuState): void {
  setReg8(cpu, AH, (getEflags(cpu) & SAHF_FLAGS) | 0x2);
}

function sahf(cpu: CpuState): void {
  setFlagsEager(cpu, SAHF_FLAGS, getReg8(cpu, AH));
}

/** SALC: AL = CF ? 0xFF : 0; flags unchanged. */
function salc(cpu: CpuState): void {
  setReg8(cpu, 0, getCF(cpu) ? 0xff : 0);
}

export const FLAG_HANDLERS: Readonly<Record<string, Handler>> = { clc, stc, cmc, cld, std, lahf, sahf, salc };
