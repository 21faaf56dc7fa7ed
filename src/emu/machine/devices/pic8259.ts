// The two cascaded 8259A programmable interrupt controllers of the PC (master at 0x20/0x21, slave
// at 0xA0/0xA1 on master IRQ2) and the PIIX edge/level control registers (ELCR, 0x4D0/0x4D1).
// Owns: ICW1-ICW4 initialisation, OCW1-OCW3, IRR/ISR/IMR, priority rotation, specific and
// non-specific EOI, auto-EOI, special mask mode, poll mode, spurious IRQ7/IRQ15, the INT output.
// Must not know: the CPU or the APIC; its INT output goes to a callback, INTA comes as a call.
// Models the Intel 8259A datasheet (ICW/OCW formats, priority resolver) and, where the datasheet
// leaves room, QEMU's i8259 (IRR stays latched when an edge input falls before INTA).
import type { AccessSize, PortDevice } from '../deviceContracts';

const ICW1_IC4 = 0x01;
const ICW1_SNGL = 0x02;
const ICW1_LTIM = 0x08;
const ICW1_INIT = 0x10;
const ICW4_AEOI = 0x02;
const ICW4_SFNM = 0x10;
const OCW3_SELECT = 0x08;
const OCW3_POLL = 0x04;
const OCW3_ESMM = 0x40;
const OCW3_SMM = 0x20;

/** One 8259A chip. */
export class Pic8259Chip {
  irr = 0;
  isr = 0;
  imr = 0;
  /** Input line levels as last driven (edge detection). */
  lineLevels = 0;
  /** ELCR bits: 1 = level-triggered input. */
  elcr = 0;
  vectorBase = 0;
  /** The IRQ with the lowest priority is (priorityAdd - 1) & 7; rotation changes it. */
  priorityAdd = 0;
  readIsr = false;
  pollPending = false;
  specialMask = false;
  autoEoi = false;
  rotateOnAutoEoi = false;
  specialFullyNested = false;
  levelTriggeredAll = false;
  /** Which initialisation word comes next on the data port (0 = none: OCW1). */
  initStep = 0;
  needsIcw4 = false;
  singleMode = false;
  icw3 = 0;

  constructor(readonly elcrMask: number) {}

  /** Resets to the state right after ICW1 (datasheet: IMR cleared, IRQ7 lowest, IRR select). */
  private initialise(icw1: number): void {
    this.isr = 0;
    this.imr = 0;
    // The edge sense circuit resets: edge inputs need a fresh low-to-high transition.
    this.irr &= this.elcr;
    this.lineLevels = 0;
    this.priorityAdd = 0;
    this.readIsr = false;
    this.pollPending = false;
    this.specialMask = false;
    this.autoEoi = false;
    this.rotateOnAutoEoi = false;
    this.specialFullyNested = false;
    this.needsIcw4 = (icw1 & ICW1_IC4) !== 0;
    this.singleMode = (icw1 & ICW1_SNGL) !== 0;
    this.levelTriggeredAll = (icw1 & ICW1_LTIM) !== 0;
    this.initStep = 2;
  }

  isLevel(irq: number): boolean {
    return this.levelTriggeredAll || ((this.elcr >> irq) & 1) !== 0;
  }

  /** Drives input `irq` to `level`; edge inputs latch IRR on a rising edge. */
  setLine(irq: number, level: boolean): void {
    const mask = 1 << irq;
    if (this.isLevel(irq)) {
      if (level) this.irr |= mask;
      else this.irr &= ~mask;
    } else if (level && (this.lineLevels & mask) === 0) {
      this.irr |= mask;
    }
    this.lineLevels = level ? this.lineLevels | mask : this.lineLevels & ~mask;
  }

  /** Priority (0 = highest) of the highest-priority bit of `mask`, or 8 when empty. */
  private priorityOf(mask: number): number {
    if (mask === 0) return 8;
    let p = 0;
    while ((mask & (1 << ((p + this.priorityAdd) & 7))) === 0) p++;
    return p;
  }

  /** The IRQ this chip would signal now, or -1. `cascadeIrq` is 2 on the master, -1 on the slave. */
  pendingIrq(cascadeIrq: number): number {
    const priority = this.priorityOf(this.irr & ~this.imr);
    if (priority === 8) return -1;
    let inService = this.isr;
    if (this.specialMask) inService &= ~this.imr;
    // Special fully nested mode: a request through the cascade may nest inside the cascade's ISR.
    if (this.specialFullyNested && cascadeIrq >= 0) inService &= ~(1 << cascadeIrq);
    return priority < this.priorityOf(inService) ? (priority + this.priorityAdd) & 7 : -1;
  }

  /** INTA for `irq`: IRR to ISR (or auto-EOI), edge requests consumed. */
  acknowledge(irq: number): void {
    const mask = 1 << irq;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.priorityAdd = (irq + 1) & 7;
    } else this.isr |= mask;
    if (!this.isLevel(irq)) this.irr &= ~mask;
  }

  writeCommand(value: number): void {
    if (value & ICW1_INIT) {
      this.initialise(value);
    } else if (value & OCW3_SELECT) {
      this.writeOcw3(value);
    } else {
      this.writeOcw2(value);
    }
  }

  private writeOcw3(value: number): void {
    if (value & OCW3_POLL) this.pollPending = true;
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
    if (value & OCW3_ESMM) this.specialMask = (value & OCW3_SMM) !== 0;
  }

  /** OCW2: the R, SL, EOI bits (7-5) select the operation; bits 2-0 are the level. */
  private writeOcw2(value: number): void {
    const level = value & 7;
    switch (value >> 5) {
      case 0: this.rotateOnAutoEoi = false; break; // clear rotate in AEOI mode
      case 4: this.rotateOnAutoEoi = true; break; // set rotate in AEOI mode
      case 1: this.endOfInterrupt(-1, false); break; // non-specific EOI
      case 5: this.endOfInterrupt(-1, true); break; // rotate on non-specific EOI
      case 3: this.endOfInterrupt(level, false); break; // specific EOI
      case 7: this.endOfInterrupt(level, true); break; // rotate on specific EOI
      case 6: this.priorityAdd = (level + 1) & 7; break; // set priority: `level` becomes lowest
      default: break; // 2: no operation
    }
  }

  private endOfInterrupt(specificLevel: number, rotate: boolean): void {
    let irq = specificLevel;
    if (irq < 0) {
      const priority = this.priorityOf(this.isr);
      if (priority === 8) return;
      irq = (priority + this.priorityAdd) & 7;
    }
    this.isr &= ~(1 << irq);
    if (rotate) this.priorityAdd = (irq + 1) & 7;
  }

  writeData(value: number): void {
    switch (this.initStep) {
      case 2:
        this.vectorBase = value & 0xf8;
        this.initStep = this.singleMode ? (this.needsIcw4 ? 4 : 0) : 3;
        break;
      case 3:
        this.icw3 = value;
        this.initStep = this.needsIcw4 ? 4 : 0;
        break;
      case 4:
        this.autoEoi = (value & ICW4_AEOI) !== 0;
        this.specialFullyNested = (value & ICW4_SFNM) !== 0;
        this.initStep = 0;
        break;
      default:
        this.imr = value;
    }
  }

  readCommand(poll: () => number): number {
    if (this.pollPending) {
      this.pollPending = false;
      return poll();
    }
    return this.readIsr ? this.isr : this.irr;
  }
}

/** The master/slave pair wired as on the PC. */
export class Pic8259Pair implements PortDevice {
  readonly master = new Pic8259Chip(0xf8);
  readonly slave = new Pic8259Chip(0xde);
  private output = false;

  /** `onOutput` follows the master's INT pin (to the CPU's INTR or the APIC's LINT0). */
  constructor(private readonly onOutput: (asserted: boolean) => void) {}

  get outputAsserted(): boolean {
    return this.output;
  }

  /** Drives IRQ line 0-15. */
  setIrq(irq: number, level: boolean): void {
    if (irq < 8) this.master.setLine(irq, level);
    else this.slave.setLine(irq - 8, level);
    this.update();
  }

  /** A rising then falling edge: how an edge-triggered source signals one event. */
  pulseIrq(irq: number): void {
    this.setIrq(irq, true);
    this.setIrq(irq, false);
  }

  /** INTA cycle: returns the vector, performing the ISR/IRR bookkeeping (spurious IRQ7/15). */
  acknowledge(): number {
    const irq = this.master.pendingIrq(2);
    if (irq < 0) return this.master.vectorBase + 7; // spurious IRQ7: ISR untouched
    this.master.acknowledge(irq);
    let vector = this.master.vectorBase + irq;
    if (irq === 2) {
      const slaveIrq = this.slave.pendingIrq(-1);
      if (slaveIrq < 0) vector = this.slave.vectorBase + 7; // spurious IRQ15
      else {
        this.slave.acknowledge(slaveIrq);
        vector = this.slave.vectorBase + slaveIrq;
      }
    }
    this.update();
    return vector;
  }

  /** Recomputes the cascade line and the INT output. */
  private update(): void {
    const slaveWants = this.slave.pendingIrq(-1) >= 0;
    this.master.setLine(2, slaveWants);
    const asserted = this.master.pendingIrq(2) >= 0;
    if (asserted !== this.output) {
      this.output = asserted;
      this.onOutput(asserted);
    }
  }

  readPort(port: number, _size: AccessSize): number {
    let value: number;
    switch (port) {
      case 0x20: value = this.master.readCommand(() => this.pollChip(this.master, 2)); break;
      case 0x21: value = this.master.imr; break;
      case 0xa0: value = this.slave.readCommand(() => this.pollChip(this.slave, -1)); break;
      case 0xa1: value = this.slave.imr; break;
      case 0x4d0: value = this.master.elcr; break;
      case 0x4d1: value = this.slave.elcr; break;
      default: value = 0xff;
    }
    return value;
  }

  writePort(port: number, _size: AccessSize, value: number): void {
    value &= 0xff;
    switch (port) {
      case 0x20: this.master.writeCommand(value); break;
      case 0x21: this.master.writeData(value); break;
      case 0xa0: this.slave.writeCommand(value); break;
      case 0xa1: this.slave.writeData(value); break;
      case 0x4d0: this.master.elcr = value & this.master.elcrMask; break;
      case 0x4d1: this.slave.elcr = value & this.slave.elcrMask; break;
      default: return;
    }
    this.update();
  }

  /** Poll command: the read acts as INTA for this chip and returns 0x80 | level, or 0. */
  private pollChip(chip: Pic8259Chip, cascadeIrq: number): number {
    const irq = chip.pendingIrq(cascadeIrq);
    if (irq < 0) return 0;
    chip.acknowledge(irq);
    this.update();
    return 0x80 | irq;
  }

  /**
   * Programs both chips as SeaBIOS leaves them before a multiboot kernel runs under QEMU
   * (measured: vectors 0x08/0x70, 8086 mode, IMR 0xB8/0x8E, ELCR 0x00/0x0C).
   */
  programAsFirmwareLeavesIt(): void {
    const init = (chip: Pic8259Chip, base: number, icw3: number, imr: number): void => {
      chip.writeCommand(0x11);
      chip.writeData(base);
      chip.writeData(icw3);
      chip.writeData(0x01);
      chip.writeData(imr);
    };
    init(this.master, 0x08, 0x04, 0xb8);
    init(this.slave, 0x70, 0x02, 0x8e);
    this.slave.elcr = 0x0c;
    this.update();
  }
}
