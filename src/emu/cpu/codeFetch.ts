// Instruction-byte fetch for the decoder: CS limit, the 15-byte maximum, and page translation with
// the current privilege (a fetch is a read for U/S purposes on i386). Records whether the
// instruction crossed into a second page (then it is not cached).
// Owns: fetch faults. Must not know: what the bytes mean. Models Intel SDM Vol. 3A §5.3 and §6.15
// (#GP for instructions longer than 15 bytes).
import type { CpuState } from './cpuState';
import { SEG_CS } from '../isa/registers';
import { generalProtection } from './faults';
import { translate } from './paging';

export const MAX_INSTRUCTION_LENGTH = 15;

export class CodeFetcher {
  private cpu!: CpuState;
  private startOffset = 0;
  private firstPhysical = 0;
  private bytesInFirstPage = 0;
  private secondPhysical = -1;
  private linear = 0;
  /** True once a byte came from the second page. */
  crossedPage = false;
  /** Physical address of the first byte. */
  get physicalStart(): number {
    return this.firstPhysical;
  }

  /** Starts fetching the instruction at CS:offset; may throw #GP (limit) or #PF. */
  begin(cpu: CpuState, offset: number): void {
    this.cpu = cpu;
    this.startOffset = offset;
    this.crossedPage = false;
    this.secondPhysical = -1;
    this.checkLimit(0);
    this.linear = (cpu.segBase[SEG_CS]! + offset) | 0;
    this.firstPhysical = translate(cpu, this.linear, false, cpu.cpl === 3);
    this.bytesInFirstPage = 0x1000 - (this.linear & 0xfff);
  }

  /** Byte `index` of the instruction. */
  byte(index: number): number {
    if (index >= MAX_INSTRUCTION_LENGTH) throw generalProtection(0, 'instruction longer than 15 bytes');
    this.checkLimit(index);
    if (index < this.bytesInFirstPage) return this.cpu.memory.read8(this.firstPhysical + index);
    if (this.secondPhysical < 0) {
      this.secondPhysical = translate(this.cpu, (this.linear | 0xfff) + 1, false, this.cpu.cpl === 3);
      this.crossedPage = true;
    }
    return this.cpu.memory.read8(this.secondPhysical + (index - this.bytesInFirstPage));
  }

  private checkLimit(index: number): void {
    const cpu = this.cpu;
    const offset = cpu.codeSize32 ? (this.startOffset + index) >>> 0 : (this.startOffset + index) & 0xffff;
    if (offset > cpu.segLimit[SEG_CS]!) {
      throw generalProtection(0, `instruction fetch at CS:0x${offset.toString(16)} beyond the CS limit 0x${cpu.segLimit[SEG_CS]!.toString(16)}`);
    }
  }
}
