// A scripted stand-in for the CPU (the real one is being written): executes a list of
// port/MMIO/flag operations one per "instruction", takes INTR through the machine's
// InterruptAcknowledge when IF is set, and honours HLT. Enough to test the machine loop, routing
// and device timing deterministically. Must not be used outside tests.
import type { CpuRunner, ProtectedModeEntryState, StopReason } from '../../src/emu/cpu/cpuContracts';
import type { AccessSize, InterruptPins } from '../../src/emu/machine/deviceContracts';
import type { CpuContext } from '../../src/emu/machine/pcMachine';

export type FakeOp =
  | { readonly op: 'nop' }
  | { readonly op: 'out'; readonly port: number; readonly value: number; readonly size?: AccessSize }
  | { readonly op: 'in'; readonly port: number; readonly size?: AccessSize }
  | { readonly op: 'write'; readonly address: number; readonly value: number }
  | { readonly op: 'read'; readonly address: number }
  | { readonly op: 'sti' }
  | { readonly op: 'cli' }
  | { readonly op: 'hlt' }
  | { readonly op: 'jmp'; readonly to: number };

export interface DeliveredInterrupt {
  readonly vector: number;
  readonly instructionCount: number;
  readonly time: number;
}

export class FakeCpu implements CpuRunner, InterruptPins {
  instructionCount = 0;
  halted = false;
  interruptFlag = false;
  intr = false;
  nmiPending = false;
  pc = 0;
  readonly delivered: DeliveredInterrupt[] = [];
  readonly nmis: number[] = [];
  readonly inputs: number[] = [];
  entryState: ProtectedModeEntryState | undefined;
  private stopReason: string | undefined;

  /** `onInterrupt` plays the handler (e.g. sends EOI) and returns nothing; IRET is implied. */
  constructor(
    readonly context: CpuContext,
    public program: FakeOp[],
    private readonly onInterrupt: (vector: number, cpu: FakeCpu) => void = () => {},
  ) {}

  get canWake(): boolean {
    return (this.intr && this.interruptFlag) || this.nmiPending;
  }

  setIntr(asserted: boolean): void {
    this.intr = asserted;
  }

  raiseNmi(): void {
    this.nmiPending = true;
  }

  requestStop(reason: string): void {
    this.stopReason = reason;
  }

  setEntryState(state: ProtectedModeEntryState): void {
    this.entryState = state;
  }

  reset(): void {
    this.instructionCount = 0;
    this.pc = 0;
  }

  step(): StopReason {
    if (this.deliverEvents()) return { kind: 'step' };
    if (this.halted) return { kind: 'halted' };
    this.execute();
    return this.halted ? { kind: 'halted' } : { kind: 'step' };
  }

  run(maxInstructions: number): StopReason {
    const end = this.instructionCount + maxInstructions;
    while (this.instructionCount < end) {
      if (this.stopReason !== undefined) {
        const reason = this.stopReason;
        this.stopReason = undefined;
        return { kind: 'stopRequested', reason };
      }
      this.deliverEvents();
      if (this.halted) return { kind: 'halted' };
      this.execute();
      if (this.halted) return { kind: 'halted' };
    }
    return { kind: 'budget' };
  }

  private deliverEvents(): boolean {
    if (this.nmiPending) {
      this.nmiPending = false;
      this.halted = false;
      this.nmis.push(this.instructionCount);
      return true;
    }
    if (!this.intr || !this.interruptFlag) return false;
    const vector = this.context.interruptAcknowledge.acknowledgeInterrupt();
    this.halted = false;
    this.delivered.push({ vector, instructionCount: this.instructionCount, time: this.context.clock.now() });
    this.onInterrupt(vector, this);
    return true;
  }

  private execute(): void {
    const op = this.program[this.pc];
    if (!op) throw new Error(`fake CPU ran off its program at ${this.pc}`);
    this.pc++;
    this.instructionCount++;
    switch (op.op) {
      case 'out': this.context.io.write(op.port, op.size ?? 1, op.value); break;
      case 'in': this.inputs.push(this.context.io.read(op.port, op.size ?? 1)); break;
      case 'write': this.context.memory.write32(op.address, op.value); break;
      case 'read': this.inputs.push(this.context.memory.read32(op.address)); break;
      case 'sti': this.interruptFlag = true; break;
      case 'cli': this.interruptFlag = false; break;
      case 'hlt': this.halted = true; break;
      case 'jmp': this.pc = op.to; break;
      default: break;
    }
  }
}

/** Ops that run `body` forever: body then a jump back to its start at `at`. */
export function loop(at: number, body: FakeOp[]): FakeOp[] {
  return [...body, { op: 'jmp', to: at }];
}
