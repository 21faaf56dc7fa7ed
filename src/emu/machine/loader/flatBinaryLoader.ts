// Loads a flat binary (raw bytes, no header) at a physical address and starts it in the same
// flat 32-bit protected mode a multiboot kernel gets, without the multiboot contract (EAX and EBX
// are zero). Owns: the bounds check. Must not know: the CPU (it returns a ProtectedModeEntryState).
import type { ProtectedModeEntryState } from '../../cpu/cpuContracts';
import type { PhysicalMemory } from '../physicalMemory';
import { hex, LoaderError } from './loaderError';
import { qemuMultibootEntryState, writeFirmwareTables } from './qemuFirmware';

export interface FlatBinaryOptions {
  /** Physical load address (default 0x100000). */
  readonly address?: number;
  /** Entry point (default: the load address). */
  readonly entry?: number;
}

export function loadFlatBinary(memory: PhysicalMemory, image: Uint8Array, options: FlatBinaryOptions = {}): ProtectedModeEntryState {
  const address = options.address ?? 0x100000;
  const entry = options.entry ?? address;
  if (image.length === 0) throw new LoaderError('the flat binary is empty');
  if (address < 0 || address + image.length > memory.ramSize) {
    throw new LoaderError(`the flat binary (${image.length} bytes at ${hex(address)}) does not fit in ${memory.ramSize / (1024 * 1024)} MiB of RAM`);
  }
  memory.writeBytes(address, image);
  writeFirmwareTables(memory);
  const state = qemuMultibootEntryState(entry, 0);
  return { ...state, registers: { ...state.registers, eax: 0, ebx: 0 } };
}
