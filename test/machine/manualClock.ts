// A Clock the test sets by hand (nanoseconds). Test helper only.
import type { Clock } from '../../src/emu/machine/deviceContracts';

export class ManualClock implements Clock {
  constructor(public time = 0) {}
  now(): number {
    return this.time;
  }
}
