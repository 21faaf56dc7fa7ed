// The CPU a machine gets when no factory is injected: the emulator's Cpu (src/emu/cpu/cpu.ts),
// given the machine's interrupt-acknowledge and MSR hooks and the clock's TSC mode.
// Owns: that wiring only. Must not know: the CPU's internals beyond its constructor.
import { Cpu } from '../cpu/cpu';
import type { CpuFactory } from './pcMachine';

export function loadDefaultCpuFactory(): CpuFactory {
  return (context) =>
    new Cpu(context.memory, context.io, {
      interruptAcknowledge: context.interruptAcknowledge,
      msrHandler: context.msrHandler,
      realtimeTsc: context.clock.mode === 'realtime',
    });
}

