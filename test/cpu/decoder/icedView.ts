// iced-x86's reading of an encoding, reduced to what the cross-check compares: validity, length,
// mnemonic and operands as canonical strings (registers by name, memory as seg:[base+index*scale+
// disp], immediates masked to their width, branch targets). iced is a devDependency used only here,
// never in the emulator. Must not know: our decoder.
import { Code, Decoder, DecoderOptions, Mnemonic, OpKind, Register, type Instruction as IcedInstruction } from 'iced-x86';

/** i386-P6 reading: MOV to/from test registers exist; F3 90, F3 0F BC/BD, F3 0F 09 are the old instructions. */
export const ICED_OPTIONS = DecoderOptions.MovTr | DecoderOptions.NoPause | DecoderOptions.NoMPFX_0FBC | DecoderOptions.NoMPFX_0FBD | DecoderOptions.NoWbnoinvd;

export interface DecodedView {
  readonly valid: boolean;
  readonly length: number;
  readonly mnemonic: string;
  /** iced's Code name, e.g. 'Movsd_m32_m32' (string MOVSD) vs 'Movsd_xmm_xmmm64' (SSE2). */
  readonly code: string;
  readonly operands: readonly string[];
}

const SIXTEEN_BIT_REGISTERS = new Set(['bx', 'bp', 'si', 'di']);

function registerName(register: Register): string {
  return register === Register.None ? '' : Register[register]!.toLowerCase();
}

export function memoryText(segment: string, base: string, index: string, scale: number, displacement: number, address16: boolean): string {
  const disp = address16 ? displacement & 0xffff : displacement >>> 0;
  return `m[${segment}:${base}+${index}*${index ? scale : 1}+${disp.toString(16)}]`;
}

function memoryOperand(instruction: IcedInstruction): string {
  const base = registerName(instruction.memoryBase);
  const index = registerName(instruction.memoryIndex);
  const address16 = SIXTEEN_BIT_REGISTERS.has(base) || SIXTEEN_BIT_REGISTERS.has(index) || instruction.memoryDisplSize === 2;
  const displacement = Number(BigInt.asUintN(32, instruction.memoryDisplacement));
  return memoryText(registerName(instruction.memorySegment), base, index, instruction.memoryIndexScale, displacement, address16);
}

function immediateMask(kind: OpKind): number {
  switch (kind) {
    case OpKind.Immediate8: case OpKind.Immediate8_2nd: return 0xff;
    case OpKind.Immediate16: case OpKind.Immediate8to16: return 0xffff;
    default: return 0xffffffff;
  }
}

function operandText(instruction: IcedInstruction, n: number): string {
  const kind = instruction.opKind(n);
  switch (kind) {
    case OpKind.Register: return registerName(instruction.opRegister(n));
    case OpKind.Memory: return memoryOperand(instruction);
    case OpKind.NearBranch16: return `near ${instruction.nearBranch16.toString(16)}`;
    case OpKind.NearBranch32: return `near ${(instruction.nearBranch32 >>> 0).toString(16)}`;
    case OpKind.FarBranch16: return `far ${instruction.farBranchSelector.toString(16)}:${instruction.farBranch16.toString(16)}`;
    case OpKind.FarBranch32: return `far ${instruction.farBranchSelector.toString(16)}:${(instruction.farBranch32 >>> 0).toString(16)}`;
    case OpKind.MemorySegSI: case OpKind.MemorySegESI:
      return `m[${registerName(instruction.memorySegment)}:${kind === OpKind.MemorySegSI ? 'si' : 'esi'}]`;
    case OpKind.MemoryESDI: case OpKind.MemoryESEDI:
      return `m[es:${kind === OpKind.MemoryESDI ? 'di' : 'edi'}]`;
    default: {
      const value = Number(BigInt.asUintN(32, instruction.immediate(n)));
      return `i${((value & immediateMask(kind)) >>> 0).toString(16)}`;
    }
  }
}

/** Decodes many encodings laid out `stride` bytes apart in one buffer, reusing one iced instruction. */
export class IcedReader {
  private readonly decoder: Decoder;
  private readonly instruction: IcedInstruction;

  constructor(private readonly bytes: Uint8Array, private readonly baseAddress: number) {
    this.decoder = new Decoder(32, bytes, ICED_OPTIONS);
    this.instruction = this.decoder.decode();
  }

  read(offset: number, withOperands: (mnemonic: string, code: string) => boolean): DecodedView {
    this.decoder.position = offset;
    this.decoder.ip = BigInt(this.baseAddress + offset);
    this.decoder.decodeOut(this.instruction);
    const instruction = this.instruction;
    if (instruction.isInvalid) return { valid: false, length: instruction.length, mnemonic: '', code: '', operands: [] };
    const mnemonic = Mnemonic[instruction.mnemonic]!.toLowerCase();
    const code = Code[instruction.code]!;
    const operands: string[] = [];
    if (withOperands(mnemonic, code)) for (let n = 0; n < instruction.opCount; n++) operands.push(operandText(instruction, n));
    return { valid: true, length: instruction.length, mnemonic, code, operands };
  }

  free(): void {
    this.instruction.free();
    this.decoder.free();
  }

  get size(): number {
    return this.bytes.length;
  }
}
