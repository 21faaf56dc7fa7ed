// How the debugger relates addresses to what the user sees in a .S editor. Owns three rules:
// - the display location of an instruction is the outermost place in a source file that produced
//   it (the SWITCH_TO_HOST call line, the IRQ_STUBS line), not the macro body, so a line that
//   expands to many instructions reads and steps as one line;
// - a step key identifies one expansion instance of one line (stepping ends when it changes);
// - a breakpoint on a line goes on the first instruction of each expansion instance of that line,
//   and a line without code (a label, a comment) moves to the next line that has some.
// Must not know: DAP, the CPU. Reads the assembler's LineTable.
import type { LineEntry, LineTable } from '../emu/asm/program';
import type { ExpansionFrame, SourceLocation } from '../emu/asm/sourceLocation';

/** Frames that change what the user reads (macros, repetitions); #include frames do not. */
function codeFrames(entry: LineEntry): readonly ExpansionFrame[] {
  return entry.expansion.filter((frame) => frame.kind !== 'include');
}

/** Where the user sees this instruction: the outermost macro or repetition site, else the line itself. */
export function displayLocation(entry: LineEntry): SourceLocation {
  const frames = codeFrames(entry);
  return frames.length > 0 ? frames[frames.length - 1]!.site : entry.location;
}

/** Equal for instructions that belong to the same expansion instance of the same display line. */
export function stepKey(entry: LineEntry): string {
  const where = displayLocation(entry);
  const instance = codeFrames(entry)
    .map((f) => `${f.kind}:${f.name}:${f.site.line}:${f.site.column}:${f.iteration ?? ''}`)
    .join('|');
  return `${where.file}:${where.line}|${instance}`;
}

export interface ResolvedBreakpoint {
  /** The line requested. */
  readonly requestedLine: number;
  /** The line the breakpoint ended up on (the same, or the next line with code). */
  readonly line: number;
  readonly addresses: readonly number[];
}

/** How far a breakpoint may move down to find code. */
const MAX_MOVE = 50;

export function resolveBreakpoint(table: LineTable, file: string, line: number): ResolvedBreakpoint {
  for (let candidate = line; candidate < line + MAX_MOVE; candidate++) {
    const addresses = firstInstructionsOf(table, file, candidate);
    if (addresses.length > 0) return { requestedLine: line, line: candidate, addresses };
  }
  return { requestedLine: line, line, addresses: [] };
}

/**
 * Where the instruction whose bytes start at `address` really begins: a prefix written as its own
 * statement (`rep` on the line before `movsl`) is part of the instruction that follows it.
 */
export function instructionStart(table: LineTable, address: number): number {
  let start = address;
  for (;;) {
    const before = start > 0 ? table.lookup(start - 1) : undefined;
    if (!before || before.kind !== 'prefix' || before.address + before.size !== start) return start;
    start = before.address;
  }
}

/** Of the instruction addresses a line maps to, those that start an expansion instance. */
function firstInstructionsOf(table: LineTable, file: string, line: number): number[] {
  const starts: number[] = [];
  let previousKey: string | undefined;
  let previousEnd = -1;
  for (const mapped of table.addressesForLine(file, line)) {
    const address = instructionStart(table, mapped);
    const entry = table.lookup(address);
    if (!entry) continue;
    const key = stepKey(entry);
    const continuesInstance = key === previousKey && address === previousEnd;
    if (!continuesInstance && !starts.includes(address)) starts.push(address);
    previousKey = key;
    previousEnd = mapped + (table.lookup(mapped)?.size ?? 0);
  }
  return starts;
}
