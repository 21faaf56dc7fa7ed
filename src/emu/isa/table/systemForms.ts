// Table rows for flag control, NOP/HLT/UD2/WAIT, protection and descriptor-table instructions
// (ARPL, LAR, LSL, VERR, VERW, SLDT, STR, LLDT, LTR, SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, CLTS),
// cache and TLB control (INVD, WBINVD, INVLPG) and the Pentium/P6 system additions (CPUID, RDTSC,
// RDMSR, WRMSR, RDPMC, SYSENTER, SYSEXIT).
// Owns: opcodes, operand kinds and privilege of these rows. Must not know: encoding or execution.
// Models Intel SDM Vol. 2 (the instructions named) and Vol. 3 §2.8 (system instruction summary),
// Appendix A.4 groups 6, 7.
import type { InstructionForm } from '../instructionForm';
import { form, withAttributes } from './formBuilder';

const FLAG_FORMS: readonly InstructionForm[] = [
  form('cmc', 0xf5, [], 'cmc', 'Complement the carry flag.'),
  form('clc', 0xf8, [], 'clc', 'Clear the carry flag.'),
  form('stc', 0xf9, [], 'stc', 'Set the carry flag.'),
  form('cli', 0xfa, [], 'cli', 'Clear the interrupt flag; #GP unless CPL <= IOPL.'),
  form('sti', 0xfb, [], 'sti', 'Set the interrupt flag (interrupts recognised after the next instruction); #GP unless CPL <= IOPL.'),
  form('cld', 0xfc, [], 'cld', 'Clear the direction flag: string operations step forwards.'),
  form('std', 0xfd, [], 'std', 'Set the direction flag: string operations step backwards.'),
];

const NOP_SUMMARY = 'No operation.';

const MULTI_BYTE_NOP_ALIASES: readonly InstructionForm[] = [1, 2, 3, 4, 5, 6, 7].map((extension) =>
  form('nop', [0x0f, 0x1f], ['Ev'], 'nop', `${NOP_SUMMARY} Reserved-NOP encoding 0F 1F /${extension}.`,
    { extension, cpu: 'p6', decodeOnly: true }),
);

const MISC_FORMS: readonly InstructionForm[] = [
  form('nop', 0x90, [], 'nop', 'No operation: the XCHG eAX,eAX encoding.'),
  form('nop', [0x0f, 0x1f], ['Ev'], 'nop', `${NOP_SUMMARY} The ModRM operand is decoded but not accessed (multi-byte padding).`,
    { extension: 0, cpu: 'p6' }),
  ...MULTI_BYTE_NOP_ALIASES,
  form('hlt', 0xf4, [], 'hlt', 'Halt until an interrupt, NMI or reset. Privileged.', { privileged: true }),
  form('wait', 0x9b, [], 'wait', 'Wait for pending unmasked x87 exceptions (FWAIT); #NM if CR0.MP and CR0.TS.'),
  form('ud2', [0x0f, 0x0b], [], 'ud2', 'Raise #UD on purpose.', { cpu: 'p6' }),
];

const PROTECTION_FORMS: readonly InstructionForm[] = [
  form('arpl', 0x63, ['Ew', 'Gw'], 'arpl', 'If dest.RPL < src.RPL, raise dest.RPL to src.RPL and set ZF, else clear ZF.'),
  form('lar', [0x0f, 0x02], ['Gv', 'MwRv'], 'lar', 'Load the access-rights bytes of the selector\'s descriptor; ZF=1 if it is visible at CPL/RPL.'),
  form('lsl', [0x0f, 0x03], ['Gv', 'MwRv'], 'lsl', 'Load the (byte-granular) segment limit of the selector\'s descriptor; ZF=1 if visible at CPL/RPL.'),
  form('sldt', [0x0f, 0x00], ['MwRv'], 'sldt', 'Store the LDTR selector.', { extension: 0 }),
  form('str', [0x0f, 0x00], ['MwRv'], 'str', 'Store the task register selector.', { extension: 1 }),
  form('lldt', [0x0f, 0x00], ['Ew'], 'lldt', 'Load LDTR from a GDT selector (an LDT descriptor, or null). Privileged.', { extension: 2, privileged: true }),
  form('ltr', [0x0f, 0x00], ['Ew'], 'ltr',
    'Load the task register from a GDT selector of an available TSS and mark that descriptor busy in memory. Privileged.',
    { extension: 3, privileged: true }),
  form('verr', [0x0f, 0x00], ['Ew'], 'verr', 'ZF=1 if the selector\'s segment is readable at CPL/RPL.', { extension: 4 }),
  form('verw', [0x0f, 0x00], ['Ew'], 'verw', 'ZF=1 if the selector\'s segment is writable at CPL/RPL.', { extension: 5 }),
];

const DESCRIPTOR_TABLE_FORMS: readonly InstructionForm[] = [
  form('sgdt', [0x0f, 0x01], ['Ms'], 'sgdt', 'Store GDTR as limit16 then base32.', { extension: 0 }),
  form('sidt', [0x0f, 0x01], ['Ms'], 'sidt', 'Store IDTR as limit16 then base32.', { extension: 1 }),
  form('lgdt', [0x0f, 0x01], ['Ms'], 'lgdt',
    'Load GDTR from limit16 then base32 (24-bit base with a 16-bit operand size); loaded segment caches are not touched. Privileged.',
    { extension: 2, privileged: true }),
  form('lidt', [0x0f, 0x01], ['Ms'], 'lidt',
    'Load IDTR from limit16 then base32 (24-bit base with a 16-bit operand size). Privileged.', { extension: 3, privileged: true }),
  form('smsw', [0x0f, 0x01], ['MwRv'], 'smsw', 'Store the machine status word (low bits of CR0).', { extension: 4 }),
  form('lmsw', [0x0f, 0x01], ['Ew'], 'lmsw', 'Load CR0 bits PE MP EM TS from the word (PE cannot be cleared). Privileged.', { extension: 6, privileged: true }),
  form('clts', [0x0f, 0x06], [], 'clts', 'Clear CR0.TS. Privileged.', { privileged: true }),
];

const I486_FORMS: readonly InstructionForm[] = withAttributes([
  form('invd', [0x0f, 0x08], [], 'invd', 'Invalidate caches without writing them back. Privileged.', { privileged: true }),
  form('wbinvd', [0x0f, 0x09], [], 'wbinvd', 'Write back and invalidate caches. Privileged.', { privileged: true }),
  form('invlpg', [0x0f, 0x01], ['M'], 'invlpg', 'Invalidate the TLB entry of the page containing the address. Privileged.', { extension: 7, privileged: true }),
], { cpu: '486' });

const PENTIUM_FORMS: readonly InstructionForm[] = withAttributes([
  form('cpuid', [0x0f, 0xa2], [], 'cpuid', 'Processor identification: EAX selects the leaf; results in EAX EBX ECX EDX.'),
  form('rdtsc', [0x0f, 0x31], [], 'rdtsc', 'EDX:EAX = time-stamp counter; #GP if CR4.TSD and CPL > 0.'),
  form('rdmsr', [0x0f, 0x32], [], 'rdmsr', 'EDX:EAX = model-specific register ECX. Privileged.', { privileged: true }),
  form('wrmsr', [0x0f, 0x30], [], 'wrmsr', 'Model-specific register ECX = EDX:EAX. Privileged.', { privileged: true }),
], { cpu: 'pentium' });

const P6_FORMS: readonly InstructionForm[] = withAttributes([
  form('rdpmc', [0x0f, 0x33], [], 'rdpmc', 'EDX:EAX = performance counter ECX; #GP if CR4.PCE is clear and CPL > 0.'),
  form('sysenter', [0x0f, 0x34], [], 'sysenter', 'Fast system call: CS/SS from SYSENTER_CS_MSR, EIP/ESP from the MSRs, CPL 0; #GP if SYSENTER_CS is 0.'),
  form('sysexit', [0x0f, 0x35], [], 'sysexit', 'Fast return to CPL 3: EIP = EDX, ESP = ECX, CS/SS derived from SYSENTER_CS_MSR. Privileged.',
    { privileged: true }),
], { cpu: 'p6' });

export const SYSTEM_FORMS: readonly InstructionForm[] = [
  ...FLAG_FORMS,
  ...MISC_FORMS,
  ...PROTECTION_FORMS,
  ...DESCRIPTOR_TABLE_FORMS,
  ...I486_FORMS,
  ...PENTIUM_FORMS,
  ...P6_FORMS,
];
