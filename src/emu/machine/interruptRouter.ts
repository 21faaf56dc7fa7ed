// Interrupt routing between the PC's interrupt controllers and the CPU's pins, wired as QEMU's
// pc machine does: the 8259 pair's INT output reaches the CPU through the local APIC's LINT0
// (as ExtINT, or directly while the APIC is globally disabled); the APIC's own interrupts share
// the INTR line and are answered first; NMI sources go through LINT1.
// Owns: the INTR level and the interrupt-acknowledge cycle. Must not know: register layouts of
// either controller or anything about the CPU beyond InterruptPins.
// Models Intel SDM Vol. 3A §10.5.1 (LINT0 ExtINT delivery) and the 8259A INTA sequence.
import type { InterruptAcknowledge, InterruptPins } from './deviceContracts';
import type { LocalApic } from './devices/localApic';
import type { Pic8259Pair } from './devices/pic8259';

export class InterruptRouter implements InterruptAcknowledge {
  private pic: Pic8259Pair | undefined;
  private apic: LocalApic | undefined;
  private pins: InterruptPins | undefined;
  private intr = false;

  connect(pic: Pic8259Pair, apic: LocalApic): void {
    this.pic = pic;
    this.apic = apic;
    this.update();
  }

  /** Connects the CPU and tells it the current INTR level. */
  attachCpu(pins: InterruptPins): void {
    this.pins = pins;
    pins.setIntr(this.intr);
  }

  /** The INTR level as last driven. */
  get intrAsserted(): boolean {
    return this.intr;
  }

  /** The 8259's INT output changed. */
  picOutputChanged(level: boolean): void {
    this.apic?.setLint0(level);
    this.update();
  }

  /** Recomputes INTR from both controllers. */
  update(): void {
    const pic = this.pic;
    const apic = this.apic;
    if (!pic || !apic) return;
    const level = apic.deliverableVector() >= 0 || (pic.outputAsserted && apic.passesExtInt());
    if (level === this.intr) return;
    this.intr = level;
    this.pins?.setIntr(level);
  }

  raiseNmi(): void {
    this.pins?.raiseNmi();
  }

  /** The CPU's INTA: the APIC's highest deliverable vector, else the 8259's, else a spurious one. */
  acknowledgeInterrupt(): number {
    const pic = this.pic!;
    const apic = this.apic!;
    let vector: number;
    if (apic.deliverableVector() >= 0) vector = apic.acknowledge();
    else if (pic.outputAsserted && apic.passesExtInt()) vector = pic.acknowledge();
    else if (apic.globallyEnabled && apic.softwareEnabled) vector = apic.svr & 0xff;
    else vector = pic.master.vectorBase + 7;
    this.update();
    return vector;
  }
}
