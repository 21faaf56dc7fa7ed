// A 16550A UART (COM1 at 0x3F8-0x3FF, IRQ 4 on the PC): transmit to a sink, receive from a queue
// fed by the host, FIFOs, the interrupt identification priority chain, modem control loopback.
// Owns: RBR/THR, IER, IIR/FCR, LCR (DLAB and the divisor latch), MCR, LSR, MSR, SCR.
// Must not know: the PIC (its interrupt output is a callback) or where output bytes go.
// Models the National Semiconductor PC16550D datasheet (register map, IIR priorities, FIFO
// trigger levels). Transmission completes instantly (the transmitter is always ready again, as
// with QEMU's file and stdio backends), so no timing is modelled. Like QEMU, the IRQ output is
// not gated by MCR OUT2, and the modem lines read CTS, DSR and DCD asserted.
import type { AccessSize, PortDevice } from '../deviceContracts';

export const IER_RDI = 0x01; // received data available
export const IER_THRI = 0x02; // transmitter holding register empty
export const IER_RLSI = 0x04; // receiver line status
export const IER_MSI = 0x08; // modem status

export const IIR_NO_INT = 0x01;
export const IIR_MSI = 0x00;
export const IIR_THRI = 0x02;
export const IIR_RDI = 0x04;
export const IIR_RLSI = 0x06;
export const IIR_TIMEOUT = 0x0c;
export const IIR_FIFO_ENABLED = 0xc0;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;

export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

const LCR_DLAB = 0x80;
const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];

export class Uart16550 implements PortDevice {
  ier = 0;
  lcr = 0;
  mcr = MCR_OUT2;
  scr = 0;
  divisor = 0x0c;
  fifoEnabled = false;
  private triggerLevel = 1;
  private lsrErrors = 0;
  /** MSR bits 0-3 (delta flags) plus the external modem input lines (bits 4-7). */
  private msrDeltas = 0;
  private externalModemLines = 0xb0; // DCD | DSR | CTS
  private readonly rxFifo: number[] = [];
  /** Host input not yet taken into the receiver (the host side never overruns it). */
  private readonly inputQueue: number[] = [];
  private thrInterruptPending = false;
  private irqLevel = false;

  /**
   * `transmit` receives each byte the guest sends (not called in loopback mode); `setIrq`
   * follows the interrupt output.
   */
  constructor(
    readonly base: number,
    private readonly transmit: (byte: number) => void,
    private readonly setIrq: (level: boolean) => void,
  ) {}

  /** Queues bytes from the host for the guest to receive. */
  enqueueInput(bytes: Iterable<number>): void {
    for (const byte of bytes) this.inputQueue.push(byte & 0xff);
    this.fillReceiver();
    this.update();
  }

  /** Bytes received by the host side but not yet read by the guest. */
  get pendingInput(): number {
    return this.inputQueue.length + this.rxFifo.length;
  }

  private get capacity(): number {
    return this.fifoEnabled ? FIFO_SIZE : 1;
  }

  private fillReceiver(): void {
    if (this.mcr & MCR_LOOP) return; // loopback disconnects the serial input
    while (this.rxFifo.length < this.capacity && this.inputQueue.length > 0) this.rxFifo.push(this.inputQueue.shift()!);
  }

  private receiveLoopback(byte: number): void {
    if (this.rxFifo.length >= this.capacity) this.lsrErrors |= LSR_OE;
    else this.rxFifo.push(byte);
  }

  lsr(): number {
    return (this.rxFifo.length > 0 ? LSR_DR : 0) | this.lsrErrors | LSR_THRE | LSR_TEMT;
  }

  msr(): number {
    let lines = this.externalModemLines;
    if (this.mcr & MCR_LOOP) {
      // Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
      lines = ((this.mcr & MCR_RTS) << 3) | ((this.mcr & MCR_DTR) << 5) | ((this.mcr & MCR_OUT1) << 4) | ((this.mcr & MCR_OUT2) << 4);
    }
    return lines | this.msrDeltas;
  }

  /** The IIR value: the highest-priority pending, enabled source. */
  interruptIdentification(): number {
    const fifoBits = this.fifoEnabled ? IIR_FIFO_ENABLED : 0;
    if (this.ier & IER_RLSI && this.lsrErrors) return IIR_RLSI | fifoBits;
    if (this.ier & IER_RDI && this.rxFifo.length > 0) {
      if (!this.fifoEnabled || this.rxFifo.length >= this.triggerLevel) return IIR_RDI | fifoBits;
      // Below the trigger level with nothing more arriving: the character timeout indication.
      if (this.inputQueue.length === 0) return IIR_TIMEOUT | fifoBits;
    }
    if (this.ier & IER_THRI && this.thrInterruptPending) return IIR_THRI | fifoBits;
    if (this.ier & IER_MSI && this.msrDeltas) return IIR_MSI | fifoBits;
    return IIR_NO_INT | fifoBits;
  }

  private update(): void {
    const level = (this.interruptIdentification() & IIR_NO_INT) === 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.setIrq(level);
    }
  }

  readPort(port: number, _size: AccessSize): number {
    const value = this.readRegister(port - this.base);
    this.update();
    return value;
  }

  private readRegister(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: return dlab ? this.divisor & 0xff : this.readReceiver();
      case 1: return dlab ? (this.divisor >> 8) & 0xff : this.ier;
      case 2: return this.readIir();
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: {
        const value = this.lsr();
        this.lsrErrors = 0;
        return value;
      }
      case 6: {
        const value = this.msr();
        this.msrDeltas = 0;
        return value;
      }
      case 7: return this.scr;
      default: return 0xff;
    }
  }

  private readReceiver(): number {
    const byte = this.rxFifo.shift() ?? 0;
    this.fillReceiver();
    return byte;
  }

  private readIir(): number {
    const iir = this.interruptIdentification();
    // Reading IIR while it reports THRE clears that source.
    if ((iir & 0x0f) === IIR_THRI) this.thrInterruptPending = false;
    return iir;
  }

  writePort(port: number, _size: AccessSize, value: number): void {
    this.writeRegister(port - this.base, value & 0xff);
    this.update();
  }

  private writeRegister(offset: number, value: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) this.divisor = (this.divisor & 0xff00) | value;
        else this.transmitByte(value);
        break;
      case 1:
        if (dlab) this.divisor = (this.divisor & 0xff) | (value << 8);
        else this.writeIer(value);
        break;
      case 2: this.writeFcr(value); break;
      case 3: this.lcr = value; break;
      case 4: this.writeMcr(value); break;
      case 7: this.scr = value; break;
      default: break; // LSR and MSR writes are ignored (factory test only)
    }
  }

  private transmitByte(byte: number): void {
    if (this.mcr & MCR_LOOP) this.receiveLoopback(byte);
    else this.transmit(byte);
    // The holding register empties at once and signals THRE again.
    this.thrInterruptPending = true;
  }

  private writeIer(value: number): void {
    const enablingThri = (value & IER_THRI) !== 0 && (this.ier & IER_THRI) === 0;
    this.ier = value & 0x0f;
    // Enabling the THRE interrupt while the holding register is empty raises it (16550 behaviour).
    if (enablingThri) this.thrInterruptPending = true;
  }

  private writeFcr(value: number): void {
    const enable = (value & 0x01) !== 0;
    if (enable !== this.fifoEnabled) {
      this.rxFifo.length = 0; // changing the FIFO mode clears both FIFOs
      this.fifoEnabled = enable;
    }
    if (value & 0x02) this.rxFifo.length = 0;
    this.triggerLevel = TRIGGER_LEVELS[(value >> 6) & 3]!;
    this.fillReceiver();
  }

  private writeMcr(value: number): void {
    const before = this.msr() & 0xf0;
    this.mcr = value & 0x1f;
    const after = this.msr() & 0xf0;
    if (this.mcr & MCR_LOOP) {
      const changed = before ^ after;
      // Delta bits: CTS, DSR and DCD on any change; RI (TERI) on its trailing edge.
      this.msrDeltas |= ((changed & 0x10) >> 4) | ((changed & 0x20) >> 4) | ((changed & 0x80) >> 4) | ((before & ~after & 0x40) >> 4);
    }
    this.fillReceiver();
  }
}
