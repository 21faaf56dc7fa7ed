// Runs a batch of cases in the emulator: the native batch's testcode bytes loaded at the same
// address (each case's trailing `jmp case_done` patched to HLT), the data buffer at the same
// address, registers and EFLAGS as given, exception stops on every vector so a fault is reported
// (with EIP rolled back to the faulting instruction) instead of delivered.
// Must not know: the host CPU.
import { createFlatCpu } from '../../helpers/cpuFixture';
import { setEflags, getEflags } from '../../../src/emu/cpu/eflags';
import { CR0_NE, CR0_PG } from '../../../src/emu/cpu/cpuState';
import { flushAllTranslations } from '../../../src/emu/cpu/paging';
import { BUFFER_BASE, BUFFER_BYTES, signalOfVector, type CaseOutcome, type NativeCase } from './nativeLayout';

const HLT = 0xf4;
/** Page directory and the tables for 0-4 MiB and 4-8 MiB (buffer at 2 MiB, code at 4 MiB). */
const PAGE_DIRECTORY = 0x3000;
const PAGE_TABLES = 0x4000;
const MAX_STEPS = 400_000;

export class EmulatorRunner {
  private readonly fixture = createFlatCpu({ memoryBytes: 16 * 1024 * 1024 });

  constructor() {
    this.fixture.cpu.setExceptionStops([...Array(32).keys()]);
  }

  /**
   * Loads a batch's code image, marks every case end with HLT, and turns paging on with only the
   * data buffer and the code mapped (CR0.NE set as Linux runs): an access the host would fault on
   * faults here too, instead of landing in the emulator's otherwise flat RAM.
   */
  loadCode(start: number, code: Uint8Array, caseEnds: readonly number[]): void {
    const image = Uint8Array.from(code);
    for (const end of caseEnds) image[end - start] = HLT;
    const { cpu, memory } = this.fixture;
    memory.writeBytes(start, image);
    memory.ram.fill(0, PAGE_DIRECTORY, PAGE_DIRECTORY + 0x3000);
    this.map(BUFFER_BASE);
    for (let page = start & ~0xfff; page < start + code.length; page += 0x1000) this.map(page);
    cpu.cr3 = PAGE_DIRECTORY;
    cpu.cr0 |= CR0_PG | CR0_NE;
    flushAllTranslations(cpu);
  }

  /** Identity-maps one 4 KiB page (read/write, supervisor; the cases run at CPL 0). */
  private map(linear: number): void {
    const memory = this.fixture.memory;
    const table = PAGE_TABLES + (linear >>> 22) * 0x1000;
    memory.write32(PAGE_DIRECTORY + (linear >>> 22) * 4, table | 0x3);
    memory.write32(table + ((linear >>> 12) & 0x3ff) * 4, (linear & ~0xfff) | 0x3);
  }

  run(testCase: NativeCase, address: number): CaseOutcome {
    const { cpu, memory } = this.fixture;
    cpu.regs.set(testCase.regs);
    setEflags(cpu, testCase.eflags);
    cpu.eip = address;
    cpu.halted = false;
    cpu.pendingFault = undefined;
    cpu.eventPending = true;
    cpu.fpu.initialize();
    memory.writeBytes(BUFFER_BASE, testCase.memory);
    const stop = cpu.run(MAX_STEPS);
    const regs = Int32Array.from(cpu.regs);
    const outcome = { regs, eflags: getEflags(cpu), memory: Uint8Array.from(memory.ram.subarray(BUFFER_BASE, BUFFER_BASE + BUFFER_BYTES)) };
    if (stop.kind === 'halted') return { signal: 0, eip: 0, ...outcome };
    if (stop.kind === 'exception') return { signal: signalOfVector(stop.vector), eip: cpu.eip, ...outcome };
    return { signal: -1, eip: cpu.eip, ...outcome, description: JSON.stringify(stop) };
  }
}
