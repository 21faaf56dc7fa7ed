// The debug engine: run control over the machine in slices (so a pause gets in), stepping by source
// line (a macro call or .rept line is one line), by instruction, over calls and interrupts, and out
// of a routine; source breakpoints through the line table; and inspection (location, registers,
// memory, expressions). Emits typed events after the state they describe is final.
// Owns: stepping policy and breakpoint bookkeeping. Must not know: DAP (debugSession.ts translates).
import type { Cpu } from '../emu/cpu/cpu';
import { peekTranslate } from '../emu/cpu/paging';
import type { LineEntry } from '../emu/asm/program';
import type { MachineStopReason } from '../emu/machine/pcMachine';
import type { DebugTarget } from './launchTarget';
import { readRegister, registerGroups, type RegisterGroup } from './registerView';
import { displayLocation, resolveBreakpoint, stepKey } from './sourceMapping';

export type EngineStopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception';

export type EngineEvent =
  | { readonly type: 'stopped'; readonly reason: EngineStopReason; readonly description?: string }
  | { readonly type: 'exited'; readonly exitCode: number; readonly description: string }
  | { readonly type: 'output'; readonly text: string };

export interface BreakpointState {
  readonly line: number;
  readonly verified: boolean;
  readonly message?: string;
}

export interface CodeLocation {
  readonly address: number;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly symbol?: string;
}

type StepPolicy = 'instruction' | 'line' | 'over' | 'out';

/** Instructions per slice of a continue, and single steps per slice of a step. */
const RUN_SLICE = 200_000;
const STEP_SLICE = 20_000;
/** A line step that never reaches another line ends after this many instructions. */
const STEP_LIMIT = 10_000_000;

export class DebugEngine {
  readonly cpu: Cpu;
  private readonly userBreakpoints = new Map<string, readonly number[]>();
  private readonly breakpointCounts = new Map<number, number>();
  private running = false;
  private pauseRequested = false;
  private finished = false;
  private pendingOutput = '';

  constructor(
    private readonly target: DebugTarget,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.cpu = target.machine.cpu as Cpu;
  }

  /** COM1 bytes from the machine (wired by the session when it creates the target). */
  serialByte(byte: number): void {
    this.pendingOutput += String.fromCharCode(byte);
    if (byte === 10) this.flushOutput();
  }

  get isRunning(): boolean {
    return this.running;
  }

  // ------------------------------------------------------------------ breakpoints

  setSourceBreakpoints(file: string, lines: readonly number[]): BreakpointState[] {
    for (const address of this.userBreakpoints.get(file) ?? []) this.releaseBreakpoint(address);
    const table = this.target.program?.lineTable;
    const states: BreakpointState[] = [];
    const addresses: number[] = [];
    for (const line of lines) {
      if (!table) {
        states.push({ line, verified: false, message: 'no line table: the program is an image, not an assembly source' });
        continue;
      }
      const resolved = resolveBreakpoint(table, file, line);
      if (resolved.addresses.length === 0) states.push({ line, verified: false, message: 'no code at or after this line' });
      else states.push({ line: resolved.line, verified: true });
      addresses.push(...resolved.addresses);
    }
    for (const address of addresses) this.holdBreakpoint(address);
    this.userBreakpoints.set(file, addresses);
    return states;
  }

  private holdBreakpoint(address: number): void {
    const count = this.breakpointCounts.get(address) ?? 0;
    if (count === 0) this.cpu.addBreakpoint(address);
    this.breakpointCounts.set(address, count + 1);
  }

  private releaseBreakpoint(address: number): void {
    const count = this.breakpointCounts.get(address) ?? 0;
    if (count <= 1) {
      this.breakpointCounts.delete(address);
      this.cpu.removeBreakpoint(address);
    } else this.breakpointCounts.set(address, count - 1);
  }

  // ------------------------------------------------------------------ run control

  start(stopOnEntry: boolean): void {
    if (stopOnEntry) this.announceStop('entry');
    else this.resume(undefined);
  }

  continue(): void {
    this.resume(undefined);
  }

  step(policy: StepPolicy): void {
    this.resume(policy);
  }

  pause(): void {
    if (this.running) this.pauseRequested = true;
  }

  private resume(policy: StepPolicy | undefined): void {
    if (this.running || this.finished) return;
    this.running = true;
    this.pauseRequested = false;
    const stepper = policy ? this.makeStepper(policy) : undefined;
    const slice = () => {
      if (this.finished) return;
      if (this.pauseRequested) return this.announceStop('pause');
      const more = stepper ? stepper() : this.runSlice();
      if (more) setImmediate(slice);
    };
    setImmediate(slice);
  }

  /** One slice of a continue; true to go on. */
  private runSlice(): boolean {
    return this.handleMachineStop(this.target.machine.run(RUN_SLICE));
  }

  /** Maps a machine stop to engine events; true when running should go on. */
  private handleMachineStop(stop: MachineStopReason): boolean {
    switch (stop.kind) {
      case 'budget':
      case 'halted':
      case 'step':
      case 'stopRequested':
        return true;
      case 'breakpoint':
        this.announceStop('breakpoint');
        return false;
      case 'exit':
        this.finish(stop.code, `the guest wrote ${stop.value} to isa-debug-exit`);
        return false;
      case 'exception':
      case 'tripleFault':
      case 'haltedForever':
      case 'reset':
        this.announceStop('exception', stop.description);
        return false;
      case 'internalError':
        this.announceStop('exception', stop.message);
        return false;
      case 'watchpoint':
        this.announceStop('breakpoint', `watchpoint at 0x${stop.address.toString(16)}`);
        return false;
    }
  }

  /** A stepping slice function for the policy, closed over the state the step started from. */
  private makeStepper(policy: StepPolicy): () => boolean {
    const machine = this.target.machine;
    const startKey = this.currentStepKey();
    const startEsp = this.cpu.regs[4]! >>> 0;
    let executed = 0;
    let returnTarget: number | undefined;
    return () => {
      for (let i = 0; i < STEP_SLICE; i++) {
        if (policy === 'over' && returnTarget === undefined) returnTarget = this.callReturnAddress();
        const wasReturn = policy === 'out' && this.isReturnInstruction();
        const stop = machine.step();
        executed++;
        if (stop.kind !== 'step' && stop.kind !== 'budget' && !this.handleMachineStop(stop)) return false;
        if (policy === 'instruction') return this.announceStop('step');
        if (returnTarget !== undefined) {
          if (this.linearEip() !== returnTarget || (this.cpu.regs[4]! >>> 0) < startEsp) continue;
          returnTarget = undefined;
        }
        if (policy === 'out') {
          if (wasReturn && (this.cpu.regs[4]! >>> 0) > startEsp) return this.announceStop('step');
          continue;
        }
        const key = this.currentStepKey();
        if (key !== undefined && key !== startKey) return this.announceStop('step');
        if (executed >= STEP_LIMIT) return this.announceStop('step', 'the step ran 10 million instructions without reaching another source line');
      }
      return true;
    };
  }

  private announceStop(reason: EngineStopReason, description?: string): false {
    this.running = false;
    this.flushOutput();
    this.emit(description === undefined ? { type: 'stopped', reason } : { type: 'stopped', reason, description });
    return false;
  }

  private finish(exitCode: number, description: string): void {
    this.running = false;
    this.finished = true;
    this.flushOutput();
    this.emit({ type: 'exited', exitCode, description });
  }

  private flushOutput(): void {
    if (this.pendingOutput === '') return;
    const text = this.pendingOutput;
    this.pendingOutput = '';
    this.emit({ type: 'output', text });
  }

  // ------------------------------------------------------------------ inspection

  linearEip(): number {
    return (this.cpu.segBase[1]! + this.cpu.eip) >>> 0;
  }

  private entryAtEip(): LineEntry | undefined {
    return this.target.program?.lineTable.lookup(this.linearEip());
  }

  /** The step key of the instruction at EIP when EIP is the start of a mapped instruction. */
  private currentStepKey(): string | undefined {
    const entry = this.entryAtEip();
    return entry && entry.address === this.linearEip() && (entry.kind === 'instruction' || entry.kind === 'prefix') ? stepKey(entry) : undefined;
  }

  location(): CodeLocation {
    const address = this.linearEip();
    const entry = this.entryAtEip();
    const symbol = this.symbolFor(address);
    if (!entry) return { address, ...(symbol ? { symbol } : {}) };
    const where = displayLocation(entry);
    return { address, file: where.file, line: where.line, column: where.column, ...(symbol ? { symbol } : {}) };
  }

  /** `name+0xoffset` of the closest symbol at or below `address`. */
  symbolFor(address: number): string | undefined {
    let best: { name: string; value: number } | undefined;
    for (const symbol of this.target.program?.symbols ?? []) {
      if (symbol.section === null || symbol.type === 'section' || symbol.name.startsWith('.L')) continue;
      if (symbol.value <= address && (!best || symbol.value > best.value)) best = symbol;
    }
    if (!best) return undefined;
    return address === best.value ? best.name : `${best.name}+0x${(address - best.value).toString(16)}`;
  }

  registers(): RegisterGroup[] {
    return registerGroups(this.cpu);
  }

  /** A register, a symbol, or a number; undefined when the expression means nothing here. */
  evaluate(expression: string): number | undefined {
    const text = expression.trim().replace(/^\$/, '');
    const register = readRegister(this.cpu, text);
    if (register !== undefined) return register;
    const symbol = this.target.program?.symbols.find((s) => s.name === text && s.binding !== 'local') ?? this.target.program?.symbols.find((s) => s.name === text);
    if (symbol) return symbol.value >>> 0;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text) >>> 0;
    return undefined;
  }

  /** Bytes at linear addresses without side effects; unmapped bytes are missing (undefined). One
   *  translation per page: a step over a call reads 16 bytes on every stepped instruction. */
  readMemory(address: number, count: number): (number | undefined)[] {
    const bytes: (number | undefined)[] = [];
    let page = -1;
    let frame: number | undefined;
    for (let i = 0; i < count; i++) {
      const linear = (address + i) >>> 0;
      if (linear >>> 12 !== page) {
        page = linear >>> 12;
        frame = peekTranslate(this.cpu, linear & ~0xfff);
      }
      bytes.push(frame === undefined ? undefined : this.cpu.memory.read8(frame + (linear & 0xfff)));
    }
    return bytes;
  }


  /** The return address when the instruction at EIP is a call or INT (step over it), else undefined. */
  private callReturnAddress(): number | undefined {
    const bytes = this.readMemory(this.linearEip(), 16);
    let i = 0;
    while (i < 15 && [0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf2, 0xf3].includes(bytes[i] ?? -1)) i++;
    const opcode = bytes[i];
    const reg = ((bytes[i + 1] ?? 0) >> 3) & 7;
    const isCall = opcode === 0xe8 || opcode === 0x9a || opcode === 0xcd || opcode === 0xcc || opcode === 0xce || (opcode === 0xff && (reg === 2 || reg === 3));
    if (!isCall) return undefined;
    const entry = this.entryAtEip();
    // The length comes from the line table when the instruction is ours, else from a quick decode.
    const length = entry && entry.address === this.linearEip() ? entry.size : undefined;
    return length === undefined ? undefined : (this.linearEip() + length) >>> 0;
  }

  private isReturnInstruction(): boolean {
    const opcode = this.readMemory(this.linearEip(), 1)[0];
    return opcode === 0xc3 || opcode === 0xc2 || opcode === 0xcb || opcode === 0xca || opcode === 0xcf;
  }
}
