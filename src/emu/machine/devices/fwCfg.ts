// QEMU's firmware configuration device, traditional port interface: a 16-bit selector at 0x510
// and an 8-bit data port at 0x511 that streams the selected item byte by byte.
// Owns: the item table (signature, interface ID, CPU counts, RAM size, the file directory) and
// the read cursor. Must not know: who reads it (firmware or a guest probing for QEMU).
// Models the QEMU documentation docs/specs/fw_cfg.txt (selector keys, the "QEMU" signature,
// big-endian file directory). The DMA interface is not offered (ID bit 1 clear).
import type { AccessSize, PortDevice } from '../deviceContracts';

export const FW_CFG_PORT_SELECTOR = 0x510;
export const FW_CFG_PORT_DATA = 0x511;

export const FW_CFG_SIGNATURE = 0x0000;
export const FW_CFG_ID = 0x0001;
export const FW_CFG_RAM_SIZE = 0x0003;
export const FW_CFG_NB_CPUS = 0x0005;
export const FW_CFG_MAX_CPUS = 0x000f;
export const FW_CFG_FILE_DIR = 0x0019;
export const FW_CFG_FILE_FIRST = 0x0020;

const FILE_NAME_BYTES = 56;

export interface FwCfgOptions {
  readonly ramBytes: number;
  readonly cpus?: number;
  /** Named blobs listed in the file directory ("etc/..."), selectable from FW_CFG_FILE_FIRST. */
  readonly files?: ReadonlyMap<string, Uint8Array>;
}

export class FwCfg implements PortDevice {
  private readonly items = new Map<number, Uint8Array>();
  private selected: Uint8Array = new Uint8Array(0);
  private cursor = 0;

  constructor(options: FwCfgOptions) {
    const cpus = options.cpus ?? 1;
    this.items.set(FW_CFG_SIGNATURE, new TextEncoder().encode('QEMU'));
    this.items.set(FW_CFG_ID, littleEndian(1, 4)); // traditional interface only
    this.items.set(FW_CFG_RAM_SIZE, littleEndian(options.ramBytes, 8));
    this.items.set(FW_CFG_NB_CPUS, littleEndian(cpus, 2));
    this.items.set(FW_CFG_MAX_CPUS, littleEndian(cpus, 2));
    this.items.set(FW_CFG_FILE_DIR, this.buildDirectory(options.files ?? new Map()));
  }

  private buildDirectory(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
    const names = [...files.keys()].sort();
    const directory = new Uint8Array(4 + 64 * names.length);
    const view = new DataView(directory.buffer);
    view.setUint32(0, names.length); // big-endian, as the specification requires
    names.forEach((name, i) => {
      const data = files.get(name)!;
      const select = FW_CFG_FILE_FIRST + i;
      const entry = 4 + 64 * i;
      view.setUint32(entry, data.length);
      view.setUint16(entry + 4, select);
      directory.set(new TextEncoder().encode(name).subarray(0, FILE_NAME_BYTES - 1), entry + 8);
      this.items.set(select, data);
    });
    return directory;
  }

  /** Selects an item; unknown keys select an empty item (reads return 0). */
  select(key: number): void {
    this.selected = this.items.get(key & 0x3fff) ?? new Uint8Array(0);
    this.cursor = 0;
  }

  readPort(port: number, size: AccessSize): number {
    if (port !== FW_CFG_PORT_DATA) return 0;
    let value = 0;
    for (let i = 0; i < size; i++) value |= this.nextByte() << (8 * i);
    return value >>> 0;
  }

  private nextByte(): number {
    return this.cursor < this.selected.length ? this.selected[this.cursor++]! : 0;
  }

  writePort(port: number, _size: AccessSize, value: number): void {
    if (port === FW_CFG_PORT_SELECTOR) this.select(value & 0xffff);
    // Writes to the data port are ignored (items are read-only since QEMU 2.4).
  }
}

function littleEndian(value: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt(value);
  for (let i = 0; i < bytes; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
