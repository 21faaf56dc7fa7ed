// The x87 state a kernel saves and restores (FNSAVE/FRSTOR, FNSTENV/FLDENV) and inspects
// (FNSTSW/FNSTCW). Owns: control/status/tag words, the eight 80-bit registers as raw bytes, and the
// last-instruction pointers. Must not know: arithmetic (this CPU implements the x87 control
// instructions only). Models Intel SDM Vol. 1 §8.1 and §8.1.10 (FNSAVE image layout).

export class FpuState {
  controlWord = 0x037f;
  statusWord = 0;
  tagWord = 0xffff;
  /** ST0..ST7 as 10 bytes each, in physical register order R0..R7. */
  readonly registers = new Uint8Array(80);
  instructionPointer = 0;
  instructionSelector = 0;
  lastOpcode = 0;
  operandPointer = 0;
  operandSelector = 0;

  /** FNINIT: the state after initialization. */
  initialize(): void {
    this.controlWord = 0x037f;
    this.statusWord = 0;
    this.tagWord = 0xffff;
    this.instructionPointer = 0;
    this.instructionSelector = 0;
    this.lastOpcode = 0;
    this.operandPointer = 0;
    this.operandSelector = 0;
  }
}
