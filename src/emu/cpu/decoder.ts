// The instruction decoder (prefixes, opcode maps built from the instruction table, ModRM/SIB,
// displacements, immediates). This placeholder raises #UD for every opcode until the table-driven
// decoder lands; it keeps the run loop's contract: decodeInstruction(cpu, fetcher) -> Instruction.
import type { CpuState } from './cpuState';
import type { CodeFetcher } from './codeFetch';
import type { Instruction } from './instruction';
import { invalidOpcode } from './faults';

export function decodeInstruction(_cpu: CpuState, fetcher: CodeFetcher): Instruction {
  throw invalidOpcode(`opcode 0x${fetcher.byte(0).toString(16).padStart(2, '0')} is not decoded yet`);
}
