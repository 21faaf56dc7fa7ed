// The I/O permission check of IN, OUT, INS and OUTS in protected mode: allowed when CPL <= IOPL,
// otherwise only when the current 32-bit TSS has an I/O permission bitmap within its limit whose
// bits for every byte of the access are clear. Owns: that rule. Must not know: the devices.
// Models Intel SDM Vol. 1 §19.5 (I/O privilege level) and §19.5.2 (I/O permission bit map).
//
// lguest's Guest TSS sets io_bitmap_base to 104, just past its limit 0x67: there is no bitmap, so
// port I/O from the Guest (CPL 1 or 3, IOPL 0) raises #GP(0).
import type { CpuState } from './cpuState';
import { CR0_PE } from './cpuState';
import { EFLAGS_IOPL } from './eflags';
import { generalProtection } from './faults';
import { readSystem16 } from './memoryAccess';

const TSS_IO_MAP_BASE = 0x66;
const TSS32_MIN_LIMIT = 0x67;

export function checkIoPermission(cpu: CpuState, port: number, size: number): void {
  if (!(cpu.cr0 & CR0_PE)) return;
  if (cpu.cpl <= (cpu.flags & EFLAGS_IOPL) >>> 12) return;
  const tr = cpu.tr;
  const type = (tr.flags >>> 8) & 0xf;
  const why = `port 0x${port.toString(16)} (${size} byte${size > 1 ? 's' : ''}) at CPL ${cpu.cpl} with IOPL ${(cpu.flags & EFLAGS_IOPL) >>> 12}`;
  if (!(tr.flags & 0x8000) || (type & 0x9) !== 0x9 || tr.limit < TSS32_MIN_LIMIT) {
    throw generalProtection(0, `${why}: no 32-bit TSS with an I/O bitmap`);
  }
  const mapBase = readSystem16(cpu, (tr.base + TSS_IO_MAP_BASE) | 0);
  const byteOffset = mapBase + (port >>> 3);
  if (byteOffset + 1 > tr.limit) throw generalProtection(0, `${why}: the I/O bitmap (base 0x${mapBase.toString(16)}) is beyond the TSS limit`);
  const bits = readSystem16(cpu, (tr.base + byteOffset) | 0) >>> (port & 7);
  if (bits & ((1 << size) - 1)) throw generalProtection(0, `${why}: denied by the TSS I/O bitmap`);
}
