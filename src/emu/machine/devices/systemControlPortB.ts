// Port 0x61, the PC's "system control port B": PIT channel 2's gate and speaker enable (bits 0
// and 1), the refresh toggle (bit 4, flips about every 15 us) and channel 2's output (bit 5).
// Owns: the two writable bits. Must not know: the PIT's internals (it uses the PIT's gate and
// output accessors). Models the IBM PC/AT technical reference (port 61h) and QEMU's pcspk.
import type { AccessSize, Clock, PortDevice } from '../deviceContracts';
import type { Pit8254 } from './pit8254';

const REFRESH_PERIOD_NS = 15_085;

export class SystemControlPortB implements PortDevice {
  private control = 0;

  constructor(
    private readonly pit: Pit8254,
    private readonly clock: Clock,
  ) {}

  readPort(_port: number, _size: AccessSize): number {
    const refresh = Math.floor(this.clock.now() / REFRESH_PERIOD_NS) & 1;
    return (this.control & 3) | (refresh << 4) | (this.pit.channel2Output() ? 0x20 : 0);
  }

  writePort(_port: number, _size: AccessSize, value: number): void {
    this.control = value & 3;
    this.pit.setChannel2Gate((value & 1) !== 0);
  }
}
