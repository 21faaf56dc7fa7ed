// Steps our machine in lockstep with a QEMU `-d cpu` trace and reports the first divergence:
// which fields differ (ours vs QEMU's), at which logged instruction, our instruction count, EIP
// and the disassembly of the instruction there and of the one before it.
// Owns: step alignment and the comparison rules. Must not know: how our CPU exposes its state
// (a LockstepTarget adapter supplies it) or how the trace was produced.
// Alignment: QEMU logs the state before each instruction inside the -dfilter range; when it
// takes an interrupt or exception it logs a line and the next dump is the handler's first
// instruction. Our `step` may deliver an event as a step of its own, so after each executed
// instruction we allow one extra step per event QEMU logged in between, and we run through
// instructions outside the range (BIOS, out-of-range code) without comparing them.
import type { SegmentCache } from '../../../src/emu/cpu/cpuContracts';
import type { QemuCpuState, QemuStep } from './qemuLogParser';
import { disassembleOne } from './disassemble';

/** The architectural state both sides can show: QEMU's dump without its log bookkeeping and debug
 *  registers, with CPL optional (our side derives it from CS). */
export type ComparableState = Omit<QemuCpuState, 'kind' | 'line' | 'halted' | 'cpl' | 'dr' | 'dr6' | 'dr7' | 'efer'> & { readonly cpl?: number };

/** What the comparator needs from our side. */
export interface LockstepTarget {
  readState(): ComparableState;
  /** One instruction or one event delivery; returns a description when execution cannot go on. */
  step(): { readonly kind: string; readonly description?: string; readonly message?: string };
  readonly instructionCount: number;
  /** Bytes at a linear address (for disassembly); may return fewer near unmapped memory. */
  readLinear(address: number, length: number): Uint8Array;
}

export interface LockstepOptions {
  /** Field paths left out, e.g. 'cr2', 'eflags', 'segments.cs.flags', 'ldtr', 'cpl'. */
  readonly ignore?: readonly string[];
  /** Bits of EFLAGS compared (default all). */
  readonly eflagsMask?: number;
  /** Bits of segment `flags` compared (default 0x00F0FF00, the whole cached attribute word). */
  readonly segmentFlagsMask?: number;
  /** The traced range: our instructions outside it are run through, not compared. */
  readonly range?: { readonly start: number; readonly length: number };
  /** Give up after this many of our steps outside the range in a row (default 1,000,000). */
  readonly maxOutOfRangeSteps?: number;
}

export interface FieldDifference {
  readonly field: string;
  readonly ours: number;
  readonly qemu: number;
}

export interface Divergence {
  readonly qemuStep: number;
  readonly qemuLine: number;
  readonly instructionCount: number;
  readonly eip: number;
  readonly differences: readonly FieldDifference[];
  readonly disassembly: string;
  readonly previous: string | undefined;
  readonly message: string;
}

export interface LockstepResult {
  readonly compared: number;
  readonly divergence: Divergence | undefined;
}

const hex8 = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

/** Lists the fields where `ours` and `qemu` differ. */
export function diffStates(ours: ComparableState, qemu: QemuCpuState, options: LockstepOptions = {}): FieldDifference[] {
  const ignore = new Set(options.ignore ?? []);
  const out: FieldDifference[] = [];
  const check = (field: string, a: number, b: number): void => {
    if (ignore.has(field) || ignore.has(field.split('.')[0]!)) return;
    if (a >>> 0 !== b >>> 0) out.push({ field, ours: a >>> 0, qemu: b >>> 0 });
  };
  for (const name of ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const) check(name, ours.registers[name], qemu.registers[name]);
  check('eip', ours.eip, qemu.eip);
  const mask = options.eflagsMask ?? 0xffffffff;
  check('eflags', ours.eflags & mask, qemu.eflags & mask);
  if (ours.cpl !== undefined) check('cpl', ours.cpl, qemu.cpl);
  const flagsMask = options.segmentFlagsMask ?? 0x00f0ff00;
  const segment = (name: string, a: SegmentCache, b: SegmentCache): void => {
    check(`${name}.selector`, a.selector, b.selector);
    check(`${name}.base`, a.base, b.base);
    check(`${name}.limit`, a.limit, b.limit);
    check(`${name}.flags`, a.flags & flagsMask, b.flags & flagsMask);
  };
  for (const name of ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const) segment(`segments.${name}`, ours.segments[name], qemu.segments[name]);
  segment('ldtr', ours.ldtr, qemu.ldtr);
  segment('tr', ours.tr, qemu.tr);
  for (const name of ['gdtr', 'idtr'] as const) {
    check(`${name}.base`, ours[name].base, qemu[name].base);
    check(`${name}.limit`, ours[name].limit, qemu[name].limit);
  }
  for (const name of ['cr0', 'cr2', 'cr3', 'cr4'] as const) check(name, ours[name], qemu[name]);
  return out;
}

function linearPc(state: ComparableState): number {
  return (state.segments.cs.base + state.eip) >>> 0;
}

function describeAt(target: LockstepTarget, state: ComparableState): string {
  const pc = linearPc(state);
  const { text } = disassembleOne(target.readLinear(pc, 15), pc);
  return `${hex8(pc)}  ${text}`;
}

/** Runs the comparison over QEMU's steps; stops at the first divergence. */
export function compareLockstep(target: LockstepTarget, steps: Iterable<QemuStep>, options: LockstepOptions = {}): LockstepResult {
  let compared = 0;
  let previous: string | undefined;
  // QEMU logs the instruction after an `out` to isa-debug-exit before the exit takes effect, so after
  // our machine exits, exactly one more logged state (the one it stopped at) is compared.
  let exited = false;
  let comparedAfterExit = 0;
  for (const step of steps) {
    if (exited && comparedAfterExit === 1) {
      return { compared, divergence: stoppedEarly(target, step, 'exit', '', previous, `QEMU ran on after our machine exited (QEMU step ${step.index})`) };
    }
    const state = exited ? target.readState() : alignWithStep(target, step, options);
    const differences = diffStates(state, step.state, options);
    if (differences.length > 0) return { compared, divergence: buildDivergence(target, step, state, differences, previous) };
    compared++;
    if (exited) {
      comparedAfterExit++;
      continue;
    }
    previous = describeAt(target, state);
    const stop = target.step();
    if (stop.kind === 'exit') {
      exited = true;
      continue;
    }
    if (!['budget', 'step', 'halted', 'breakpoint', 'watchpoint', 'exception'].includes(stop.kind)) {
      const why = stop.description ?? stop.message ?? '';
      return { compared, divergence: stoppedEarly(target, step, stop.kind, why, previous) };
    }
  }
  return { compared, divergence: undefined };
}

function stoppedEarly(target: LockstepTarget, step: QemuStep, kind: string, why: string, previous: string | undefined, headline?: string): Divergence {
  const state = target.readState();
  const at = describeAt(target, state);
  const message = `${headline ?? `our machine stopped (${kind}${why ? `: ${why}` : ''}) after QEMU step ${step.index}`}\n  after: ${previous}\n  at:    ${at}`;
  return { qemuStep: step.index, qemuLine: step.state.line, instructionCount: target.instructionCount, eip: state.eip, differences: [], disassembly: at, previous, message };
}

/**
 * Brings our machine to the state QEMU logged for `step`: first through any code outside the
 * traced range, then up to one extra step per interrupt/exception QEMU logged before it.
 */
function alignWithStep(target: LockstepTarget, step: QemuStep, options: LockstepOptions): ComparableState {
  let state = target.readState();
  const range = options.range;
  if (range) {
    const limit = options.maxOutOfRangeSteps ?? 1_000_000;
    for (let i = 0; i < limit && !inRange(linearPc(state), range); i++) {
      target.step();
      state = target.readState();
    }
  }
  const allowance = step.events.filter((e) => e.kind === 'interrupt').length;
  for (let i = 0; i < allowance && state.eip !== step.state.eip; i++) {
    target.step();
    state = target.readState();
  }
  return state;
}

function inRange(pc: number, range: { start: number; length: number }): boolean {
  return pc >= range.start && pc - range.start < range.length;
}

function buildDivergence(target: LockstepTarget, step: QemuStep, state: ComparableState, differences: FieldDifference[], previous: string | undefined): Divergence {
  const disassembly = describeAt(target, state);
  const rows = differences.map((d) => `  ${d.field.padEnd(22)} ${hex8(d.ours)}  ${hex8(d.qemu)}`);
  const events = step.events.filter((e) => e.kind !== 'note').map((e) => `  QEMU event before it: ${JSON.stringify({ ...e, state: undefined })}`);
  const message = [
    `first divergence at QEMU step ${step.index} (log line ${step.state.line}), our instruction count ${target.instructionCount}, EIP ${hex8(state.eip)}`,
    `  after: ${previous ?? '(start)'}`,
    `  at:    ${disassembly}`,
    ...events,
    `  ${'field'.padEnd(22)} ${'ours'.padEnd(10)}  qemu`,
    ...rows,
  ].join('\n');
  return { qemuStep: step.index, qemuLine: step.state.line, instructionCount: target.instructionCount, eip: state.eip, differences, disassembly, previous, message };
}
