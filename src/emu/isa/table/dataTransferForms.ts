// Table rows for data movement: MOV in all its forms, MOVZX/MOVSX, LEA, the far-pointer loads,
// XCHG, CMOVcc, BSWAP, XADD, CMPXCHG, CMPXCHG8B, sign extensions, XLAT and LAHF/SAHF.
// Owns: opcodes and operand kinds of these rows, in GNU as's order of preference.
// Must not know: encoding or execution. Models Intel SDM Vol. 2 (MOV, MOV-CR, MOV-DR, MOVZX, MOVSX,
// LEA, LDS/LES/LFS/LGS/LSS, XCHG, CMOVcc, BSWAP, XADD, CMPXCHG, CMPXCHG8B, CBW/CWDE, CWD/CDQ, XLAT,
// LAHF, SAHF) and the Intel486 manual for MOV to/from test registers.
import type { InstructionForm } from '../instructionForm';
import { conditionMnemonic, form, perCondition, withAttributes } from './formBuilder';

const MOV_SUMMARY = 'Copy src to dest; flags unchanged.';

const MOV_FORMS: readonly InstructionForm[] = [
  form('mov', 0x88, ['Eb', 'Gb'], 'mov', MOV_SUMMARY),
  form('mov', 0x89, ['Ev', 'Gv'], 'mov', MOV_SUMMARY),
  form('mov', 0x8a, ['Gb', 'Eb'], 'mov', MOV_SUMMARY),
  form('mov', 0x8b, ['Gv', 'Ev'], 'mov', MOV_SUMMARY),
  form('mov', 0x8c, ['MwRv', 'Sw'], 'mov_rm_sreg', 'Copy a segment selector to a register (zero-extended on P6 and later) or to a memory word.'),
  form('mov', 0x8e, ['Sw', 'MwRv'], 'mov_sreg_rm',
    'Load a segment register: protection checks, then the hidden descriptor cache is loaded from the GDT/LDT. Loading SS inhibits interrupts for one instruction; CS is #UD.'),
  form('mov', 0xa0, ['AL', 'Ob'], 'mov', `${MOV_SUMMARY} Absolute address, no ModRM.`),
  form('mov', 0xa1, ['eAX', 'Ov'], 'mov', `${MOV_SUMMARY} Absolute address, no ModRM.`),
  form('mov', 0xa2, ['Ob', 'AL'], 'mov', `${MOV_SUMMARY} Absolute address, no ModRM.`),
  form('mov', 0xa3, ['Ov', 'eAX'], 'mov', `${MOV_SUMMARY} Absolute address, no ModRM.`),
  form('mov', 0xb0, ['Zb', 'Ib'], 'mov', `${MOV_SUMMARY} Immediate to register.`),
  form('mov', 0xb8, ['Zv', 'Iv'], 'mov', `${MOV_SUMMARY} Immediate to register.`),
  form('mov', 0xc6, ['Eb', 'Ib'], 'mov', `${MOV_SUMMARY} Immediate to register or memory.`, { extension: 0 }),
  form('mov', 0xc7, ['Ev', 'Iv'], 'mov', `${MOV_SUMMARY} Immediate to register or memory.`, { extension: 0 }),
  form('mov', [0x0f, 0x20], ['Rd', 'Cd'], 'mov_r_cr', 'Read a control register (CR0, CR2, CR3, CR4); ModRM.mod is ignored (always a register). Privileged.', { privileged: true }),
  form('mov', [0x0f, 0x22], ['Cd', 'Rd'], 'mov_cr_r',
    'Write a control register (ModRM.mod ignored); writing CR3 flushes the TLB, CR0.PG/PE change the paging/protection mode. Privileged.', { privileged: true }),
  form('mov', [0x0f, 0x21], ['Rd', 'Dd'], 'mov_r_dr', 'Read a debug register (DR0-DR7); ModRM.mod is ignored. Privileged.', { privileged: true }),
  form('mov', [0x0f, 0x23], ['Dd', 'Rd'], 'mov_dr_r', 'Write a debug register (DR0-DR7); ModRM.mod is ignored. Privileged.', { privileged: true }),
  form('mov', [0x0f, 0x24], ['Rd', 'Td'], 'mov_r_tr', 'Read a test register (386/486 only; #UD on Pentium and later). Privileged.', { privileged: true }),
  form('mov', [0x0f, 0x26], ['Td', 'Rd'], 'mov_tr_r', 'Write a test register (386/486 only; #UD on Pentium and later). Privileged.', { privileged: true }),
];

const EXTEND_FORMS: readonly InstructionForm[] = [
  form('movzx', [0x0f, 0xb6], ['Gv', 'Eb'], 'movzx', 'Move a byte, zero-extended to the destination size.'),
  form('movzx', [0x0f, 0xb7], ['Gv', 'Ew'], 'movzx', 'Move a word, zero-extended to the destination size.'),
  form('movsx', [0x0f, 0xbe], ['Gv', 'Eb'], 'movsx', 'Move a byte, sign-extended to the destination size.'),
  form('movsx', [0x0f, 0xbf], ['Gv', 'Ew'], 'movsx', 'Move a word, sign-extended to the destination size.'),
  form('cbw', 0x98, [], 'cbw', 'Sign-extend AL into AX.', { operandSize: 16 }),
  form('cwde', 0x98, [], 'cbw', 'Sign-extend AX into EAX.', { operandSize: 32 }),
  form('cwd', 0x99, [], 'cwd', 'Sign-extend AX into DX:AX.', { operandSize: 16 }),
  form('cdq', 0x99, [], 'cwd', 'Sign-extend EAX into EDX:EAX.', { operandSize: 32 }),
];

const FAR_POINTER_SUMMARY = 'Load a far pointer from memory: the offset into the register, the selector into';

const ADDRESS_FORMS: readonly InstructionForm[] = [
  form('lea', 0x8d, ['Gv', 'M'], 'lea', 'Load the effective address (offset only, no memory access) into the register.'),
  form('les', 0xc4, ['Gv', 'Mp'], 'les', `${FAR_POINTER_SUMMARY} ES.`),
  form('lds', 0xc5, ['Gv', 'Mp'], 'lds', `${FAR_POINTER_SUMMARY} DS.`),
  form('lss', [0x0f, 0xb2], ['Gv', 'Mp'], 'lss', `${FAR_POINTER_SUMMARY} SS.`),
  form('lfs', [0x0f, 0xb4], ['Gv', 'Mp'], 'lfs', `${FAR_POINTER_SUMMARY} FS.`),
  form('lgs', [0x0f, 0xb5], ['Gv', 'Mp'], 'lgs', `${FAR_POINTER_SUMMARY} GS.`),
];

const XCHG_SUMMARY = 'Exchange the two operands; with memory it is always locked.';

const EXCHANGE_FORMS: readonly InstructionForm[] = [
  form('xchg', 0x90, ['Zv', 'eAX'], 'xchg', `${XCHG_SUMMARY} Short form with eAX (90 itself is NOP).`),
  form('xchg', 0x86, ['Eb', 'Gb'], 'xchg', XCHG_SUMMARY, { lockable: true }),
  form('xchg', 0x87, ['Ev', 'Gv'], 'xchg', XCHG_SUMMARY, { lockable: true }),
];

const I486_FORMS: readonly InstructionForm[] = withAttributes([
  form('bswap', [0x0f, 0xc8], ['Zd'], 'bswap', 'Reverse the byte order of a 32-bit register.'),
  form('xadd', [0x0f, 0xc0], ['Eb', 'Gb'], 'xadd', 'Exchange and add: temp = dest + src; src = dest; dest = temp.', { lockable: true }),
  form('xadd', [0x0f, 0xc1], ['Ev', 'Gv'], 'xadd', 'Exchange and add: temp = dest + src; src = dest; dest = temp.', { lockable: true }),
  form('cmpxchg', [0x0f, 0xb0], ['Eb', 'Gb'], 'cmpxchg', 'Compare AL with dest: if equal ZF=1 and dest = src, else ZF=0 and AL = dest.', { lockable: true }),
  form('cmpxchg', [0x0f, 0xb1], ['Ev', 'Gv'], 'cmpxchg', 'Compare eAX with dest: if equal ZF=1 and dest = src, else ZF=0 and eAX = dest.', { lockable: true }),
], { cpu: '486' });

const CMPXCHG8B_FORMS: readonly InstructionForm[] = [
  form('cmpxchg8b', [0x0f, 0xc7], ['Mq'], 'cmpxchg8b',
    'Compare EDX:EAX with the quadword: if equal ZF=1 and store ECX:EBX, else ZF=0 and load it into EDX:EAX.',
    { extension: 1, cpu: 'pentium', lockable: true }),
];

const CMOVCC_FORMS: readonly InstructionForm[] = perCondition((condition, _suffix, meaning) =>
  form(conditionMnemonic('cmov', condition), [0x0f, 0x40 + condition], ['Gv', 'Ev'], 'cmovcc',
    `Move if ${meaning}; a memory source is read even when the condition is false.`, { condition, cpu: 'p6' }),
);

const MISC_FORMS: readonly InstructionForm[] = [
  form('xlatb', 0xd7, [], 'xlat', 'Table lookup: AL = byte at DS:[eBX + AL] (segment overridable).'),
  form('lahf', 0x9f, [], 'lahf', 'AH = SF:ZF:0:AF:0:PF:1:CF.'),
  form('sahf', 0x9e, [], 'sahf', 'Load SF ZF AF PF CF from AH.'),
];

export const DATA_TRANSFER_FORMS: readonly InstructionForm[] = [
  ...MOV_FORMS,
  ...EXTEND_FORMS,
  ...ADDRESS_FORMS,
  ...EXCHANGE_FORMS,
  ...I486_FORMS,
  ...CMPXCHG8B_FORMS,
  ...CMOVCC_FORMS,
  ...MISC_FORMS,
];
