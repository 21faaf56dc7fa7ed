// Hardware task switching (task gates in the IDT, JMP/CALL to a TSS or task gate, IRET with NT).
// Owns: the TSS save/restore sequence and busy/NT/back-link bookkeeping.
// Models Intel SDM Vol. 3A §7.3. (Being completed by the system-level work; until then a task
// switch stops the machine with an internal error rather than doing something wrong.)
import type { CpuState } from './cpuState';

export function switchTaskThroughGate(_cpu: CpuState, tssSelector: number, _errorCode: number, _ext: number): void {
  throw new Error(`task switch through a task gate (TSS selector 0x${tssSelector.toString(16)}) is not implemented yet`);
}
