// Adapts our PcMachine and its Cpu to the lockstep comparator: reads the architectural state in
// the shape QEMU's log uses, steps one instruction, reads linear memory for disassembly.
// Owns: the mapping from CpuState fields to ComparableState. Must not know: QEMU.
import type { Cpu } from '../../../src/emu/cpu/cpu';
import { translate } from '../../../src/emu/cpu/paging';
import type { SegmentCache } from '../../../src/emu/cpu/cpuContracts';
import type { PcMachine } from '../../../src/emu/machine/pcMachine';
import type { ComparableState, LockstepTarget } from './lockstepComparator';

const SEGMENTS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

export function readCpuState(cpu: Cpu): ComparableState {
  const r = cpu.regs;
  const segment = (index: number): SegmentCache => ({
    selector: cpu.segSel[index]!,
    base: cpu.segBase[index]! >>> 0,
    limit: cpu.segLimit[index]! >>> 0,
    flags: cpu.segFlags[index]! >>> 0,
  });
  return {
    registers: { eax: r[0]! >>> 0, ecx: r[1]! >>> 0, edx: r[2]! >>> 0, ebx: r[3]! >>> 0, esp: r[4]! >>> 0, ebp: r[5]! >>> 0, esi: r[6]! >>> 0, edi: r[7]! >>> 0 },
    eip: cpu.eip >>> 0,
    eflags: cpu.eflags >>> 0,
    cpl: cpu.cpl,
    segments: Object.fromEntries(SEGMENTS.map((name, i) => [name, segment(i)])) as ComparableState['segments'],
    ldtr: { ...cpu.ldtr },
    tr: { ...cpu.tr },
    gdtr: { base: cpu.gdtrBase >>> 0, limit: cpu.gdtrLimit },
    idtr: { base: cpu.idtrBase >>> 0, limit: cpu.idtrLimit },
    cr0: cpu.cr0 >>> 0,
    cr2: cpu.cr2 >>> 0,
    cr3: cpu.cr3 >>> 0,
    cr4: cpu.cr4 >>> 0,
  };
}

/** A LockstepTarget over a machine whose CPU is the emulator's Cpu. */
export function machineTarget(machine: PcMachine): LockstepTarget {
  const cpu = machine.cpu as unknown as Cpu;
  return {
    readState: () => readCpuState(cpu),
    step: () => machine.step(),
    get instructionCount() {
      return cpu.instructionCount;
    },
    readLinear: (address, length) => {
      const bytes: number[] = [];
      for (let i = 0; i < length; i++) {
        try {
          const linear = (address + i) >>> 0;
          bytes.push(machine.memory.read8((cpu.cr0 & 0x80000000) !== 0 ? translate(cpu, linear, false, false) : linear));
        } catch {
          break;
        }
      }
      return Uint8Array.from(bytes);
    },
  };
}
