// What the machine, the loaders, the Host model and the debugger may ask of the CPU.
// Owns: stop reasons, the entry-state description, segment-cache shape, watchpoint specs.
// Must not know: how the CPU executes. Models Intel SDM Vol. 3A §3.4 (segment descriptor caches)
// and §9.1 (processor state after reset is not used: QEMU's multiboot entry state is).

/**
 * A segment register with its hidden descriptor cache. `flags` is the descriptor's high dword masked
 * with 0x00F0FF00 (type, S, DPL, P, AVL, D/B, G). QEMU's `-d cpu` logs print the high dword masked
 * with 0x00FFFF00 (limit bits 19:16 too), so comparisons mask those bits. `limit` is the effective
 * byte limit (granularity already applied).
 */
export interface SegmentCache {
  selector: number;
  base: number;
  limit: number;
  flags: number;
}

export interface DescriptorTableRegister {
  base: number;
  limit: number;
}

export interface GeneralRegisters {
  eax: number;
  ecx: number;
  edx: number;
  ebx: number;
  esp: number;
  ebp: number;
  esi: number;
  edi: number;
}

/** The full architectural state a loader sets at entry (and a debugger can read). */
export interface ProtectedModeEntryState {
  readonly registers: Readonly<GeneralRegisters>;
  readonly eip: number;
  readonly eflags: number;
  readonly segments: Readonly<Record<'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs', SegmentCache>>;
  readonly ldtr?: SegmentCache;
  readonly tr?: SegmentCache;
  readonly gdtr: DescriptorTableRegister;
  readonly idtr: DescriptorTableRegister;
  readonly cr0: number;
  readonly cr2?: number;
  readonly cr3: number;
  readonly cr4: number;
}

export type WatchAccess = 'read' | 'write' | 'readwrite';

export interface Watchpoint {
  readonly space: 'linear' | 'physical';
  readonly address: number;
  readonly length: number;
  readonly access: WatchAccess;
}

/**
 * Why `run` or `step` returned. Architectural state is always consistent at a stop: for
 * 'breakpoint' and 'exception' EIP is the start of the instruction not yet executed (an exception
 * stop happens before delivery; resuming delivers it); for 'watchpoint' the accessing instruction
 * has completed.
 */
export type StopReason =
  | { readonly kind: 'budget' }
  | { readonly kind: 'step' }
  | { readonly kind: 'halted' }
  | { readonly kind: 'breakpoint'; readonly address: number }
  | {
      readonly kind: 'watchpoint';
      readonly watchpoint: Watchpoint;
      readonly address: number;
      readonly access: 'read' | 'write';
      readonly size: number;
      /** The value written (for writes) or read. */
      readonly value: number;
    }
  | { readonly kind: 'exception'; readonly vector: number; readonly errorCode?: number; readonly description: string }
  | { readonly kind: 'tripleFault'; readonly description: string }
  | { readonly kind: 'stopRequested'; readonly reason: string }
  | { readonly kind: 'internalError'; readonly message: string };

/** The run interface of the CPU as the machine drives it. */
export interface CpuRunner {
  /** Executes at most `maxInstructions` instructions. */
  run(maxInstructions: number): StopReason;
  /** Executes exactly one instruction (or delivers one pending event). */
  step(): StopReason;
  /** Asks the running loop to stop after the current instruction with 'stopRequested'. */
  requestStop(reason: string): void;
  /** Instructions retired since reset (also the deterministic TSC source). */
  readonly instructionCount: number;
  /** True while the CPU sits in HLT waiting for an interrupt. */
  readonly halted: boolean;
  /** True when the CPU could leave HLT: an unmasked INTR or an NMI is pending. */
  readonly canWake: boolean;
  setEntryState(state: ProtectedModeEntryState): void;
  reset(): void;
}
