// System-level instruction handlers (segment loads, far transfers, gates and tasks, interrupts
// and IRET, descriptor-table and control registers, I/O with its permission checks, MSRs,
// SYSENTER/SYSEXIT, HLT/CLI/STI/PUSHF/POPF), keyed by the instruction table's `op`.
import type { Handler } from '../../instruction';

export const systemHandlers: Readonly<Record<string, Handler>> = {};
