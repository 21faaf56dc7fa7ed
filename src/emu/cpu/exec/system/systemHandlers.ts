// System-level instruction handlers (segment loads, far transfers, gates and tasks, interrupts
// and IRET, descriptor-table and control registers, I/O with its permission checks, MSRs,
// SYSENTER/SYSEXIT, HLT/CLI/STI/PUSHF/POPF), keyed by the instruction table's `op`.
// Owns: the merge of the system families. Must not know: encodings (the decoder binds by `op`).
// Models Intel SDM Vol. 3A chapters 2-7 through the files it gathers.
import type { Handler } from '../../instruction';
import { segmentLoadHandlers } from './segmentLoads';
import { farTransferHandlers } from './farTransfers';
import { farReturnHandlers } from './farReturns';
import { interruptControlHandlers } from './interruptControl';
import { controlHandlers } from './controlInstructions';
import { descriptorHandlers } from './descriptorInstructions';
import { portHandlers } from './portInstructions';
import { modelSpecificHandlers } from './modelSpecific';

export const systemHandlers: Readonly<Record<string, Handler>> = {
  ...segmentLoadHandlers,
  ...farTransferHandlers,
  ...farReturnHandlers,
  ...interruptControlHandlers,
  ...controlHandlers,
  ...descriptorHandlers,
  ...portHandlers,
  ...modelSpecificHandlers,
};

/** The `op` keys this family implements (the table check and the user-level family read it). */
export const SYSTEM_OPS: readonly string[] = Object.keys(systemHandlers);
