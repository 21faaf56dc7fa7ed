// Port 0x80, the POST diagnostic port: writes are kept (the last code is visible to a debugger)
// and otherwise ignored, reads float high as on QEMU. Often used as a short I/O delay.
// Owns: the last code written. Must not know: anything else.
import type { AccessSize, PortDevice } from '../deviceContracts';

export class PostCodePort implements PortDevice {
  lastCode: number | undefined;

  readPort(_port: number, _size: AccessSize): number {
    return 0xff;
  }

  writePort(_port: number, _size: AccessSize, value: number): void {
    this.lastCode = value & 0xff;
  }
}
