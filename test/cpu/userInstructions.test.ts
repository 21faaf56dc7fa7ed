// Per-instruction cases {bytes, state before, state after} for what the native differential test
// cannot reach: 16-bit addressing and its segment defaults, 16-bit operand-size branches that
// truncate EIP, the CS limit, LOOP/JCXZ with CX, #DE/#BR/#UD, count masking, the undocumented
// forms, CPUID. The host-CPU test covers the bulk of the arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_BASE, createFlatCpu } from '../helpers/cpuFixture';
import { runInstructionCase, type InstructionCase } from './instructionCase';
import { loadSegmentCache } from '../../src/emu/cpu/segmentCache';
import { SEG_CS, SEG_DS, SEG_SS } from '../../src/emu/isa/registers';
import { EXC_BR, EXC_DE, EXC_GP, EXC_UD } from '../../src/emu/cpu/faults';
import { CPUID_FEATURES_EDX, CPUID_SIGNATURE } from '../../src/emu/cpu/exec/user/miscHandlers';
import { undefinedFlags, undefinedFlagsOfInstruction } from '../../src/emu/cpu/undefinedFlags';
import { CodeFetcher } from '../../src/emu/cpu/codeFetch';
import { decodeInstruction } from '../../src/emu/cpu/decoder';

const CF = 0x1;
const ZF = 0x40;
const OF = 0x800;
const NEXT = (length: number) => CODE_BASE + length;

const ADDRESSING: InstructionCase[] = [
  { name: 'mov ax,[bx+si+4] (67 66 8b 40 04)', bytes: [0x67, 0x66, 0x8b, 0x40, 0x04],
    before: { regs: { ebx: 0x12340100, esi: 0x20, eax: 0xaaaaaaaa }, memory: { 0x124: [0x34, 0x12] } }, after: { regs: { eax: 0xaaaa1234 } } },
  { name: '[bx+si] wraps at 64 KiB', bytes: [0x67, 0x8a, 0x00], before: { regs: { ebx: 0xfff0, esi: 0x20 }, memory: { 0x10: [0x5a] } }, after: { regs: { al: 0x5a } } },
  { name: '[bp+di] defaults to SS (base 0x100000 here)', bytes: [0x67, 0x8a, 0x03],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0x100000, 0xffffffff, 0x00cf9300),
    before: { regs: { ebp: 0x10, edi: 0x2 }, memory: { 0x100012: [0x77] } }, after: { regs: { al: 0x77 } } },
  { name: '[bp+di] with a DS override', bytes: [0x3e, 0x67, 0x8a, 0x03],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0x100000, 0xffffffff, 0x00cf9300),
    before: { regs: { ebp: 0x10, edi: 0x2 }, memory: { 0x12: [0x66] } }, after: { regs: { al: 0x66 } } },
  { name: '[disp16] (mod 0, rm 6) is not BP-based', bytes: [0x67, 0x8a, 0x06, 0x00, 0x30],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0x100000, 0xffffffff, 0x00cf9300),
    before: { memory: { 0x3000: [0x42] } }, after: { regs: { al: 0x42 } } },
  { name: '[ebp+disp8] defaults to SS, [esp] SIB too', bytes: [0x8a, 0x45, 0x01, 0x8a, 0x24, 0x24], steps: 2,
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0x100000, 0xffffffff, 0x00cf9300),
    before: { regs: { ebp: 0x40, esp: 0x80 }, memory: { 0x100041: [0x11], 0x100080: [0x22] } }, after: { regs: { al: 0x11, ah: 0x22 } } },
  { name: 'moffs16: 67 a1 disp16', bytes: [0x67, 0xa1, 0x00, 0x50], before: { memory: { 0x5000: [1, 2, 3, 4] } }, after: { regs: { eax: 0x04030201 } } },
  { name: 'DS limit: a read past it is #GP', bytes: [0x8b, 0x03],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_DS, 0x10, 0, 0xfff, 0x00409300),
    before: { regs: { ebx: 0xffe } }, after: { fault: EXC_GP } },
  { name: 'lea with 16-bit addressing zero-extends', bytes: [0x67, 0x8d, 0x41, 0xff], before: { regs: { ebx: 0x10000, edi: 0 } }, after: { regs: { eax: 0xffff } } },
  { name: 'xlat with a 16-bit address size', bytes: [0x67, 0xd7], before: { regs: { ebx: 0xabcd0100, eax: 0x5 }, memory: { 0x105: [0x99] } }, after: { regs: { al: 0x99 } } },
];

const CONTROL_FLOW: InstructionCase[] = [
  { name: '66 jmp rel16 truncates EIP to 16 bits', bytes: [0x66, 0xe9, 0x00, 0x10], after: { eip: (CODE_BASE + 4 + 0x1000) & 0xffff } },
  { name: '66 call rel16 pushes IP and truncates', bytes: [0x66, 0xe8, 0x00, 0x00],
    before: { regs: { esp: 0x9000 } }, after: { eip: (CODE_BASE + 4) & 0xffff, regs: { esp: 0x8ffe }, memory: { 0x8ffe: [0x04, 0x00] } } },
  { name: '66 ret pops IP', bytes: [0x66, 0xc3], before: { regs: { esp: 0x9000 }, memory: { 0x9000: [0x34, 0x12, 0xff, 0xff] } }, after: { eip: 0x1234, regs: { esp: 0x9002 } } },
  { name: 'ret imm16 releases parameters', bytes: [0xc2, 0x08, 0x00],
    before: { regs: { esp: 0x9000 }, memory: { 0x9000: [0x00, 0x20, 0x01, 0x00] } }, after: { eip: 0x12000, regs: { esp: 0x900c } } },
  { name: 'a jump past the CS limit is #GP at the jump', bytes: [0xe9, 0x00, 0x00, 0x01, 0x00],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_CS, 0x08, 0, 0x1ffff, 0x00409b00), after: { fault: EXC_GP, regs: { esp: 0x9f000 } } },
  { name: 'a call past the CS limit pushes nothing', bytes: [0xe8, 0x00, 0x00, 0x01, 0x00],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_CS, 0x08, 0, 0x1ffff, 0x00409b00), after: { fault: EXC_GP, regs: { esp: 0x9f000 } } },
  { name: 'call *esp reads the target before pushing', bytes: [0xff, 0xd4], before: { regs: { esp: 0x9000 } }, after: { eip: 0x9000, regs: { esp: 0x8ffc } } },
  { name: 'jcxz tests CX with a 67 prefix', bytes: [0x67, 0xe3, 0x10], before: { regs: { ecx: 0x10000 } }, after: { eip: NEXT(3) + 0x10 } },
  { name: 'jecxz does not jump on ECX=0x10000', bytes: [0xe3, 0x10], before: { regs: { ecx: 0x10000 } }, after: { eip: NEXT(2) } },
  { name: 'loop with CX leaves the upper half alone', bytes: [0x67, 0xe2, 0xfd], before: { regs: { ecx: 0x50001 } }, after: { eip: NEXT(3), regs: { ecx: 0x50000 } } },
  { name: 'loop with CX=0 wraps to 0xFFFF and jumps', bytes: [0x67, 0xe2, 0x10], before: { regs: { ecx: 0x70000 } }, after: { eip: NEXT(3) + 0x10, regs: { ecx: 0x7ffff } } },
  { name: 'loope ends on ZF=0', bytes: [0xe1, 0x10], before: { regs: { ecx: 5 } }, after: { eip: NEXT(2), regs: { ecx: 4 } } },
  { name: 'jcc near taken', bytes: [0x0f, 0x84, 0x00, 0x01, 0x00, 0x00], before: { flags: ZF }, after: { eip: NEXT(6) + 0x100 } },
  { name: 'jg not taken on SF!=OF', bytes: [0x7f, 0x10], before: { flags: OF }, after: { eip: NEXT(2) } },
];

const ARITHMETIC: InstructionCase[] = [
  { name: 'div by zero is #DE and changes nothing', bytes: [0xf7, 0xf1], before: { regs: { eax: 5, edx: 0, ecx: 0 } }, after: { fault: EXC_DE, regs: { eax: 5 } } },
  { name: 'div quotient overflow is #DE', bytes: [0xf7, 0xf1], before: { regs: { eax: 0, edx: 2, ecx: 2 } }, after: { fault: EXC_DE, regs: { edx: 2 } } },
  { name: 'idiv -128 / -1 (8-bit) is #DE', bytes: [0xf6, 0xf9], before: { regs: { eax: 0xff80, ecx: 0xff } }, after: { fault: EXC_DE } },
  { name: 'idiv 0x80000000:0 / -1 is #DE', bytes: [0xf7, 0xf9], before: { regs: { eax: 0, edx: 0x80000000, ecx: 0xffffffff } }, after: { fault: EXC_DE } },
  { name: 'idiv -7 / 2 truncates toward zero', bytes: [0xf7, 0xf9], before: { regs: { eax: 0xfffffff9, edx: 0xffffffff, ecx: 2 } }, after: { regs: { eax: 0xfffffffd, edx: 0xffffffff } } },
  { name: 'div 64/32 exact', bytes: [0xf7, 0xf1], before: { regs: { eax: 0xfffffffe, edx: 0xfffffffe, ecx: 0xffffffff } }, after: { regs: { eax: 0xffffffff, edx: 0xfffffffd } } },
  { name: 'aam 0 is #DE', bytes: [0xd4, 0x00], before: { regs: { eax: 0x1234 } }, after: { fault: EXC_DE, regs: { eax: 0x1234 } } },
  { name: 'aam 16 splits nibbles', bytes: [0xd4, 0x10], before: { regs: { eax: 0x00ab } }, after: { regs: { ax: 0x0a0b } } },
  { name: 'aad 10', bytes: [0xd5, 0x0a], before: { regs: { eax: 0x0305 } }, after: { regs: { ax: 35 } } },
  { name: 'shl by 33 is shl by 1', bytes: [0xd3, 0xe0], before: { regs: { eax: 0x80000001, ecx: 33 } }, after: { regs: { eax: 2 }, flags: CF, flagsMask: CF } },
  { name: 'shift by a masked 0 keeps the flags', bytes: [0xd3, 0xe0], before: { regs: { eax: 1, ecx: 32 }, flags: CF | ZF }, after: { regs: { eax: 1 }, flags: CF | ZF } },
  { name: 'rcl al by 9 is a full rotation (count mod 9)', bytes: [0xc0, 0xd0, 0x09], before: { regs: { eax: 0x81 }, flags: CF }, after: { regs: { al: 0x81 }, flags: CF, flagsMask: CF } },
  { name: 'rcr ax by 17 is a full rotation (count mod 17)', bytes: [0x66, 0xc1, 0xd8, 0x11], before: { regs: { eax: 0x8001 } }, after: { regs: { ax: 0x8001 }, flags: 0, flagsMask: CF } },
  { name: 'rcl al,1 through carry', bytes: [0xd0, 0xd0], before: { regs: { eax: 0x80 }, flags: CF }, after: { regs: { al: 0x01 }, flags: CF | OF, flagsMask: CF | OF } },
  { name: 'bt [mem] with a negative register offset', bytes: [0x0f, 0xa3, 0x03], before: { regs: { ebx: 0x2004, eax: 0xffffffe1 }, memory: { 0x2000: [0x02, 0, 0, 0] } },
    after: { flags: CF, flagsMask: CF } },
  { name: 'bts m16 with offset 17 sets bit 1 of the next word', bytes: [0x66, 0x0f, 0xab, 0x03], before: { regs: { ebx: 0x2000, eax: 17 }, memory: { 0x2000: [0, 0, 0, 0] } },
    after: { memory: { 0x2000: [0, 0, 2, 0] }, flags: 0, flagsMask: CF } },
  { name: 'bound in range', bytes: [0x62, 0x03], before: { regs: { ebx: 0x2000, eax: 5 }, memory: { 0x2000: [0xfb, 0xff, 0xff, 0xff, 5, 0, 0, 0] } }, after: { eip: NEXT(2) } },
  { name: 'bound out of range is #BR', bytes: [0x62, 0x03], before: { regs: { ebx: 0x2000, eax: 6 }, memory: { 0x2000: [0xfb, 0xff, 0xff, 0xff, 5, 0, 0, 0] } }, after: { fault: EXC_BR } },
  { name: 'bound with a register operand is #UD', bytes: [0x62, 0xc0], after: { fault: EXC_UD } },
  { name: 'ud2', bytes: [0x0f, 0x0b], after: { fault: EXC_UD } },
  { name: 'salc', bytes: [0xd6], before: { flags: CF, regs: { eax: 0x1200 } }, after: { regs: { eax: 0x12ff } } },
  { name: 'xadd eax,eax ends with the sum', bytes: [0x0f, 0xc1, 0xc0], before: { regs: { eax: 3 } }, after: { regs: { eax: 6 } } },
  { name: 'cmpxchg8b equal stores ECX:EBX', bytes: [0x0f, 0xc7, 0x0e], before: { regs: { esi: 0x2000, eax: 1, edx: 2, ebx: 3, ecx: 4 }, memory: { 0x2000: [1, 0, 0, 0, 2, 0, 0, 0] } },
    after: { memory: { 0x2000: [3, 0, 0, 0, 4, 0, 0, 0] }, flags: ZF, flagsMask: ZF } },
  { name: 'cmpxchg8b different loads EDX:EAX', bytes: [0x0f, 0xc7, 0x0e], before: { regs: { esi: 0x2000, eax: 1, edx: 2 }, memory: { 0x2000: [9, 0, 0, 0, 8, 0, 0, 0] } },
    after: { regs: { eax: 9, edx: 8 }, flags: 0, flagsMask: ZF } },
  { name: 'cmpxchg8b with a register is #UD', bytes: [0x0f, 0xc7, 0xc8], after: { fault: EXC_UD } },
  { name: 'multi-byte NOP does not touch its operand', bytes: [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0xf0], after: { eip: NEXT(7) } },
  { name: 'cpuid leaf 0', bytes: [0x0f, 0xa2], before: { regs: { eax: 0 } }, after: { regs: { eax: 2, ebx: 0x756e6547, edx: 0x49656e69, ecx: 0x6c65746e } } },
  { name: 'cpuid leaf 1', bytes: [0x0f, 0xa2], before: { regs: { eax: 1 } }, after: { regs: { eax: CPUID_SIGNATURE, edx: CPUID_FEATURES_EDX, ecx: 0, ebx: 0 } } },
  { name: 'cpuid beyond the maximum returns leaf 2', bytes: [0x0f, 0xa2], before: { regs: { eax: 0x80000000 } }, after: { regs: { eax: 1, ebx: 0, ecx: 0, edx: 0 } } },
];

for (const [group, cases] of [['addressing', ADDRESSING], ['control flow', CONTROL_FLOW], ['arithmetic', ARITHMETIC]] as const) {
  test(`user-level ${group}`, async (t) => {
    for (const testCase of cases) await t.test(testCase.name, () => void runInstructionCase(testCase));
  });
}

test('16-bit code segment: default sizes flip, 66/67 select 32 bits, IP wraps', () => {
  const flat = createFlatCpu();
  loadSegmentCache(flat.cpu, SEG_CS, 0x08, CODE_BASE, 0xffff, 0x00009b00);
  // mov ax,1234h; 66 mov eax,89ABCDEFh; 67 mov cl,[ebx]; add ax,[bx+si]
  flat.memory.writeBytes(CODE_BASE, Uint8Array.from([0xb8, 0x34, 0x12, 0x66, 0xb8, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x8a, 0x0b, 0x03, 0x00]));
  flat.memory.writeBytes(0x20000, Uint8Array.from([0x77]));
  flat.memory.writeBytes(0x2010, Uint8Array.from([0x01, 0x00]));
  flat.cpu.eip = 0;
  flat.cpu.regs[0] = 0x55550000;
  flat.cpu.regs[3] = 0x20000;
  flat.cpu.step();
  assert.equal(flat.cpu.regs[0]! >>> 0, 0x55551234);
  flat.cpu.step();
  assert.equal(flat.cpu.regs[0]! >>> 0, 0x89abcdef);
  flat.cpu.step();
  assert.equal(flat.cpu.regs[1]! & 0xff, 0x77);
  flat.cpu.regs[3] = 0x2000;
  flat.cpu.regs[6] = 0x10;
  flat.cpu.step();
  assert.equal(flat.cpu.regs[0]! >>> 0, 0x89abcdf0);
  assert.equal(flat.cpu.eip, 14);
  // IP wraps from FFFF to 0 in a 16-bit code segment: a NOP at FFFF, then the code at 0.
  flat.memory.writeBytes(CODE_BASE + 0xffff, Uint8Array.from([0x90]));
  flat.cpu.eip = 0xffff;
  flat.cpu.step();
  assert.equal(flat.cpu.eip, 0);
});

test('undefined-flag masks follow the op, the width and the count', () => {
  assert.equal(undefinedFlags('add', 32), 0);
  assert.equal(undefinedFlags('and', 8), 0x10);
  assert.equal(undefinedFlags('shl', 32, 0), 0);
  assert.equal(undefinedFlags('shl', 32, 1), 0x10);
  assert.equal(undefinedFlags('shl', 32, 2), 0x810);
  assert.equal(undefinedFlags('shr', 8, 9), 0x811, 'CF too once the count reaches the width');
  assert.equal(undefinedFlags('sar', 8, 9), 0x810);
  assert.equal(undefinedFlags('rcl', 16, 1), 0);
  assert.equal(undefinedFlags('rcl', 16, 3), 0x800);
  assert.equal(undefinedFlags('shld', 16, 17), 0x8d5);
  assert.equal(undefinedFlags('div', 32), 0x8d5);
  const flat = createFlatCpu();
  flat.load([0xd3, 0xe0]); // shl eax, cl
  const fetched = decodeAt(flat, CODE_BASE);
  assert.equal(undefinedFlagsOfInstruction(fetched, 0x21), 0x10, 'CL=33 masks to 1');
  assert.equal(undefinedFlagsOfInstruction(fetched, 0x20), 0, 'CL=32 masks to 0');
});

function decodeAt(flat: ReturnType<typeof createFlatCpu>, address: number) {
  const fetcher = new CodeFetcher();
  fetcher.begin(flat.cpu, address);
  return decodeInstruction(flat.cpu, fetcher);
}
