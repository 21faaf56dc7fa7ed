// Table rows for transfers of control: JMP and CALL (relative, indirect, far direct, far indirect),
// Jcc, LOOP/LOOPE/LOOPNE/JCXZ/JECXZ, RET/RETF, INT n/INT3/INTO/INT1, IRET/IRETD, BOUND.
// Owns: opcodes and operand kinds of these rows. Must not know: encoding, relaxation or execution.
// Models Intel SDM Vol. 2 (JMP, CALL, Jcc, LOOP/LOOPcc, RET, INT n/INTO/INT3/INT1, IRET/IRETD, BOUND)
// and Vol. 3 §6.12 (interrupt and exception handling).
import type { InstructionForm } from '../instructionForm';
import { conditionMnemonic, form, perCondition } from './formBuilder';

const JUMP_FORMS: readonly InstructionForm[] = [
  form('jmp', 0xeb, ['Jb'], 'jmp', 'Jump: EIP += sign-extended rel8.'),
  form('jmp', 0xe9, ['Jv'], 'jmp', 'Jump: EIP += rel32 (rel16 with a 16-bit operand size, which truncates EIP to 16 bits).'),
  form('jmp', 0xff, ['Ev'], 'jmp_indirect', 'Jump to the absolute offset held in a register or memory.', { extension: 4 }),
  form('jmp', 0xea, ['Ap'], 'jmp_far', 'Far jump to selector:offset given in the instruction (through a code segment, call gate, task gate or TSS).'),
  form('jmp', 0xff, ['Mp'], 'jmp_far_indirect', 'Far jump to the selector:offset pointer stored in memory (offset first).', { extension: 5 }),
];

const CALL_FORMS: readonly InstructionForm[] = [
  form('call', 0xe8, ['Jv'], 'call', 'Call: push the return EIP, then EIP += rel32.'),
  form('call', 0xff, ['Ev'], 'call_indirect', 'Call the absolute offset held in a register or memory.', { extension: 2 }),
  form('call', 0x9a, ['Ap'], 'call_far', 'Far call to selector:offset given in the instruction: push CS and EIP (more through a call gate).'),
  form('call', 0xff, ['Mp'], 'call_far_indirect', 'Far call through the selector:offset pointer stored in memory (offset first).', { extension: 3 }),
];

const JCC_SHORT_FORMS: readonly InstructionForm[] = perCondition((condition, _suffix, meaning) =>
  form(conditionMnemonic('j', condition), 0x70 + condition, ['Jb'], 'jcc', `Jump short if ${meaning}.`, { condition }),
);

const JCC_NEAR_FORMS: readonly InstructionForm[] = perCondition((condition, _suffix, meaning) =>
  form(conditionMnemonic('j', condition), [0x0f, 0x80 + condition], ['Jv'], 'jcc', `Jump near if ${meaning}.`, { condition }),
);

const LOOP_FORMS: readonly InstructionForm[] = [
  form('loopne', 0xe0, ['Jb'], 'loopne', 'Decrement eCX (by address size); jump short if eCX != 0 and ZF=0.'),
  form('loope', 0xe1, ['Jb'], 'loope', 'Decrement eCX (by address size); jump short if eCX != 0 and ZF=1.'),
  form('loop', 0xe2, ['Jb'], 'loop', 'Decrement eCX (by address size); jump short if eCX != 0. Flags unchanged.'),
  form('jcxz', 0xe3, ['Jb'], 'jcxz', 'Jump short if CX is 0.', { addressSize: 16 }),
  form('jecxz', 0xe3, ['Jb'], 'jcxz', 'Jump short if ECX is 0.', { addressSize: 32 }),
];

const RETURN_FORMS: readonly InstructionForm[] = [
  form('ret', 0xc3, [], 'ret', 'Near return: pop EIP.'),
  form('ret', 0xc2, ['Iw'], 'ret', 'Near return: pop EIP, then release imm16 bytes of parameters.'),
  form('retf', 0xcb, [], 'retf', 'Far return: pop EIP and CS (and ESP/SS when returning to an outer privilege level).'),
  form('retf', 0xca, ['Iw'], 'retf', 'Far return, then release imm16 bytes of parameters.'),
  form('iret', 0xcf, [], 'iret', 'Return from interrupt with 16-bit frame slots: pop IP, CS, FLAGS (and SP, SS to an outer level).', { operandSize: 16 }),
  form('iretd', 0xcf, [], 'iret',
    'Return from interrupt: pop EIP, CS, EFLAGS, and ESP, SS when returning to an outer privilege level (then null data segments above the new CPL).',
    { operandSize: 32 }),
];

const INTERRUPT_FORMS: readonly InstructionForm[] = [
  form('int3', 0xcc, [], 'int3', 'Breakpoint trap: interrupt 3 (gate DPL checked against CPL).'),
  form('int', 0xcd, ['Ib'], 'int', 'Software interrupt n through the IDT; #GP((n<<3)|2) if the gate DPL < CPL.'),
  form('into', 0xce, [], 'into', 'Interrupt 4 if OF=1.'),
  form('int1', 0xf1, [], 'int1', 'ICEBP: debug trap through vector 1 without the gate DPL check.'),
  form('bound', 0x62, ['Gv', 'Ma'], 'bound', 'Check the register against the signed [lower, upper] pair in memory; #BR (vector 5) if outside.'),
];

export const CONTROL_FLOW_FORMS: readonly InstructionForm[] = [
  ...JUMP_FORMS,
  ...CALL_FORMS,
  ...JCC_SHORT_FORMS,
  ...JCC_NEAR_FORMS,
  ...LOOP_FORMS,
  ...RETURN_FORMS,
  ...INTERRUPT_FORMS,
];
