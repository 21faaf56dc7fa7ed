// Native cases for near control transfer, laid out at a known address so targets and return
// addresses are the same natively and emulated: Jcc and JMP (short and near, taken or not, and
// with a 16-bit operand size that truncates EIP and so faults on the host's unmapped low memory),
// CALL/RET (RET imm16), indirect JMP/CALL through a register or memory, LOOP/LOOPE/LOOPNE and
// JCXZ/JECXZ with ECX or CX. The skipped byte is INC EAX (40), so EAX tells whether it ran.
// Must not know: the emulator. Models Intel SDM Vol. 2 (Jcc, JMP, CALL, RET, LOOP, JCXZ).
import type { InstructionForm } from '../../../src/emu/isa/instructionForm';
import { BUFFER_BASE, type NativeCase } from './nativeLayout';
import type { Random } from './randomSource';
import { CaseBuilder, REG_ECX, REG_ESP } from './caseBuilder';

export const BRANCH_CASE_OPS: ReadonlySet<string> = new Set(['jmp', 'jcc', 'call', 'ret', 'jmp_indirect', 'call_indirect', 'loop', 'loope', 'loopne', 'jcxz']);

const INC_EAX = 0x40;
const NOP = 0x90;

function relative(builder: CaseBuilder, row: InstructionForm, short: boolean, displacement: number, op16: boolean): void {
  if (op16) builder.emit(0x66);
  builder.emit(...row.opcode);
  builder.emitImmediate(displacement, short ? 1 : op16 ? 2 : 4);
}

/** Jcc/JMP over one INC EAX; now and then with a 16-bit operand size (EIP truncated). */
function jumpCase(builder: CaseBuilder, row: InstructionForm): void {
  const short = row.operands[0] === 'Jb';
  const op16 = builder.rng.chance(0.05);
  relative(builder, row, short, 1, op16);
  builder.emit(INC_EAX);
}

function callCase(builder: CaseBuilder, row: InstructionForm): void {
  const op16 = builder.rng.chance(0.05);
  relative(builder, row, false, builder.rng.chance(0.5) ? 0 : 1, op16);
  builder.emit(INC_EAX);
}

/** RET / RET imm16 to the case end, skipping an INC EAX; the return address is on the stack. */
function returnCase(builder: CaseBuilder, row: InstructionForm, address: number): void {
  const rng = builder.rng;
  const op16 = rng.chance(0.05);
  if (op16) builder.emit(0x66);
  builder.emit(row.opcode[0]!);
  if (row.operands[0] === 'Iw') builder.emitImmediate(rng.chance(0.8) ? rng.below(0x20) * 2 : rng.below(0x40), 2);
  builder.emit(INC_EAX);
  const end = address + builder.code.length;
  builder.setMemory(builder.regs[REG_ESP]! - BUFFER_BASE, end, 4);
}

/** JMP/CALL r/m32 to the case end, skipping an INC EAX. */
function indirectCase(builder: CaseBuilder, row: InstructionForm, address: number, memory: boolean): void {
  const rng = builder.rng;
  builder.emit(row.opcode[0]!);
  const target = 16 + rng.below(96);
  let register = -1;
  if (memory) builder.memoryModrm(row.extension!, target);
  else {
    register = rng.pick([0, 1, 2, 3, 5, 6, 7]);
    builder.registerModrm(row.extension!, register);
  }
  builder.emit(INC_EAX);
  const end = address + builder.code.length;
  if (memory) builder.setMemory(target, end, 4);
  else if (!builder.setRegister(register, end)) builder.code.length = 0;
}

/** LOOPcc back over a NOP (ZF stays as given), or JCXZ over INC EAX; CX with a 67 prefix. */
function countCase(builder: CaseBuilder, row: InstructionForm): void {
  const rng = builder.rng;
  const cx = rng.chance(0.25);
  const ecx = builder.regs[REG_ECX]!;
  if (row.op === 'jcxz') {
    builder.regs[REG_ECX] = rng.chance(0.5) ? rng.pick([0, 0x10000, 0xffff0000, 1]) : ecx;
    if (cx) builder.emit(0x67);
    builder.emit(0xe3, 1, INC_EAX);
    return;
  }
  builder.regs[REG_ECX] = cx ? (ecx & ~0xffff) | rng.below(6) : 1 + rng.below(6);
  builder.emit(NOP);
  if (cx) builder.emit(0x67);
  builder.emit(row.opcode[0]!, cx ? 0xfc : 0xfd);
}

export function branchCase(row: InstructionForm, rng: Random, address: number, memory: boolean): NativeCase {
  const builder = new CaseBuilder(rng);
  switch (row.op) {
    case 'jmp': case 'jcc': jumpCase(builder, row); break;
    case 'call': callCase(builder, row); break;
    case 'ret': returnCase(builder, row, address); break;
    case 'jmp_indirect': case 'call_indirect': indirectCase(builder, row, address, memory); break;
    default: countCase(builder, row); break;
  }
  return builder.build(`${row.mnemonic} ${row.operands.join(',')}${memory ? ' mem' : ''}`, row.op);
}
