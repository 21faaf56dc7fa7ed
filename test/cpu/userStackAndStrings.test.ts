// Per-instruction cases for the stack and string instructions beyond the host-CPU test: a 16-bit
// stack (SS.B clear), POP to an ESP-relative address, PUSHA/ENTER checking the whole frame before
// writing, REP with CX, a fault in the middle of a REP and its resumption, the slice that hands
// control back to the run loop, segment overrides and their absence on ES:EDI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_BASE } from '../helpers/cpuFixture';
import { runInstructionCase, type InstructionCase } from './instructionCase';
import { loadSegmentCache } from '../../src/emu/cpu/segmentCache';
import { SEG_ES, SEG_SS } from '../../src/emu/isa/registers';
import { EXC_GP, EXC_SS } from '../../src/emu/cpu/faults';

const DF = 0x400;
const ZF = 0x40;
const STACK16 = (flat: Parameters<NonNullable<InstructionCase['setup']>>[0]) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0, 0xffff, 0x00009300);

const STACK: InstructionCase[] = [
  { name: 'pop [esp+4] addresses after the increment', bytes: [0x8f, 0x44, 0x24, 0x04],
    before: { regs: { esp: 0x9000 }, memory: { 0x9000: [0x11, 0x22, 0x33, 0x44] } }, after: { regs: { esp: 0x9004 }, memory: { 0x9008: [0x11, 0x22, 0x33, 0x44] } } },
  { name: 'pop esp takes the popped value', bytes: [0x5c], before: { regs: { esp: 0x9000 }, memory: { 0x9000: [0x00, 0x70, 0, 0] } }, after: { regs: { esp: 0x7000 } } },
  { name: 'push esp pushes the old value', bytes: [0x54], before: { regs: { esp: 0x9000 } }, after: { regs: { esp: 0x8ffc }, memory: { 0x8ffc: [0x00, 0x90, 0, 0] } } },
  { name: '16-bit stack: push wraps SP and keeps the upper ESP', bytes: [0x66, 0x50], setup: STACK16,
    before: { regs: { esp: 0x12340000, eax: 0xdeadbeef } }, after: { regs: { esp: 0x1234fffe }, memory: { 0xfffe: [0xef, 0xbe] } } },
  { name: '16-bit stack: a dword push straddling the wrap is #SS', bytes: [0x50], setup: STACK16,
    before: { regs: { esp: 0x12340002 } }, after: { fault: EXC_SS, regs: { esp: 0x12340002 } } },
  { name: '16-bit stack: a push across the limit is #SS with nothing written', bytes: [0x50],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0, 0xfff, 0x00009300),
    before: { regs: { esp: 0x1002 } }, after: { fault: EXC_SS, regs: { esp: 0x1002 } } },
  { name: 'pusha faults before writing anything', bytes: [0x60],
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_SS, 0x10, 0, 0xffffffff, 0x00cf9300),
    before: { regs: { esp: 0x10 }, memory: { 0: [0xaa, 0xaa, 0xaa, 0xaa] } }, after: { fault: EXC_SS, regs: { esp: 0x10 }, memory: { 0: [0xaa, 0xaa, 0xaa, 0xaa] } } },
  { name: 'pushaw / popaw round trip skips SP', bytes: [0x66, 0x60, 0x66, 0x61], steps: 2,
    before: { regs: { eax: 1, ecx: 2, edx: 3, ebx: 4, esp: 0x9000, ebp: 6, esi: 7, edi: 8 } }, after: { regs: { eax: 1, ebx: 4, esp: 0x9000, edi: 8 } } },
  { name: 'enter 8,2 copies one outer frame pointer', bytes: [0xc8, 0x08, 0x00, 0x02],
    before: { regs: { esp: 0x9000, ebp: 0x9100 }, memory: { 0x90fc: [0x44, 0x33, 0x22, 0x11] } },
    after: { regs: { ebp: 0x8ffc, esp: 0x8ff4 - 8 }, memory: { 0x8ffc: [0x00, 0x91, 0, 0], 0x8ff8: [0x44, 0x33, 0x22, 0x11], 0x8ff4: [0xfc, 0x8f, 0, 0] } } },
  { name: 'enter with a 16-bit stack uses BP/SP', bytes: [0x66, 0xc8, 0x04, 0x00, 0x01], setup: STACK16,
    before: { regs: { esp: 0xabcd0100, ebp: 0x5555 } }, after: { regs: { ebp: 0x000000fe, esp: 0xabcd00f8 }, memory: { 0xfe: [0x55, 0x55], 0xfc: [0xfe, 0x00] } } },
  { name: 'leave', bytes: [0xc9], before: { regs: { ebp: 0x9000 }, memory: { 0x9000: [0x78, 0x56, 0x34, 0x12] } }, after: { regs: { ebp: 0x12345678, esp: 0x9004 } } },
];

const STRINGS: InstructionCase[] = [
  { name: 'rep movsb forwards', bytes: [0xf3, 0xa4], before: { regs: { esi: 0x2000, edi: 0x3000, ecx: 3 }, memory: { 0x2000: [1, 2, 3, 4] } },
    after: { regs: { esi: 0x2003, edi: 0x3003, ecx: 0 }, memory: { 0x3000: [1, 2, 3, 0] } } },
  { name: 'rep movsw backwards (DF)', bytes: [0xf3, 0x66, 0xa5], before: { flags: DF, regs: { esi: 0x2002, edi: 0x3002, ecx: 2 }, memory: { 0x2000: [1, 2, 3, 4] } },
    after: { regs: { esi: 0x1ffe, edi: 0x2ffe, ecx: 0 }, memory: { 0x3000: [1, 2, 3, 4] } } },
  { name: 'rep stosd with CX (67) keeps the upper ECX', bytes: [0x67, 0xf3, 0xab], before: { regs: { edi: 0x3000, ecx: 0x50002, eax: 0x01020304 } },
    after: { regs: { ecx: 0x50000, edi: 0x3008 }, memory: { 0x3000: [4, 3, 2, 1, 4, 3, 2, 1] } } },
  { name: 'repe cmpsb stops at the first difference', bytes: [0xf3, 0xa6], before: { regs: { esi: 0x2000, edi: 0x3000, ecx: 8 }, memory: { 0x2000: [1, 2, 3, 4], 0x3000: [1, 2, 9, 4] } },
    after: { regs: { ecx: 5, esi: 0x2003 }, flags: 0, flagsMask: ZF } },
  { name: 'repne scasb stops at the match', bytes: [0xf2, 0xae], before: { regs: { edi: 0x3000, ecx: 8, eax: 0x33 }, memory: { 0x3000: [0x11, 0x22, 0x33, 0x44] } },
    after: { regs: { ecx: 5, edi: 0x3003 }, flags: ZF, flagsMask: ZF } },
  { name: 'rep with ECX=0 does nothing', bytes: [0xf3, 0xa4], before: { regs: { esi: 0x2000, edi: 0x3000, ecx: 0 } }, after: { regs: { esi: 0x2000, edi: 0x3000 } } },
  { name: 'lodsb takes a segment override, stosb never does (ES base 0x100000)', bytes: [0x26, 0xac, 0x3e, 0xaa], steps: 2,
    setup: (flat) => loadSegmentCache(flat.cpu, SEG_ES, 0x10, 0x100000, 0xffffffff, 0x00cf9300),
    before: { regs: { esi: 0x2000, edi: 0x3000 }, memory: { 0x102000: [0x5a], 0x2000: [0x11] } }, after: { regs: { al: 0x5a }, memory: { 0x103000: [0x5a], 0x3000: [0] } } },
];

for (const [group, cases] of [['stack', STACK], ['strings', STRINGS]] as const) {
  test(`user-level ${group}`, async (t) => {
    for (const testCase of cases) await t.test(testCase.name, () => void runInstructionCase(testCase));
  });
}

test('a fault in the middle of REP MOVS leaves the registers on the failing element and resumes', () => {
  // ES limit 0x3001: the third byte (ES:0x3002) is outside.
  const flat = runInstructionCase({
    name: 'rep movsb into a limit', bytes: [0xf3, 0xa4],
    setup: (f) => loadSegmentCache(f.cpu, SEG_ES, 0x10, 0, 0x3001, 0x00409300),
    before: { regs: { esi: 0x2000, edi: 0x3000, ecx: 4 }, memory: { 0x2000: [1, 2, 3, 4] } },
    after: { fault: EXC_GP, regs: { esi: 0x2002, edi: 0x3002, ecx: 2 }, memory: { 0x3000: [1, 2] } },
  });
  loadSegmentCache(flat.cpu, SEG_ES, 0x10, 0, 0xffffffff, 0x00cf9300);
  flat.cpu.pendingFault = undefined;
  flat.cpu.eip = CODE_BASE;
  assert.equal(flat.cpu.step().kind, 'step');
  assert.deepEqual(Array.from(flat.memory.ram.subarray(0x3000, 0x3004)), [1, 2, 3, 4]);
  assert.equal(flat.cpu.regs[1], 0);
});

test('a long REP runs in slices, handing control back to the run loop between them', () => {
  const flat = runInstructionCase({ name: 'rep stosb 10000', bytes: [0xf3, 0xaa], before: { regs: { edi: 0x10000 + 0x1000, ecx: 10_000 } }, after: {} });
  assert.ok(flat.cpu.regs[1]! > 0, 'one step leaves work for later');
  assert.equal(flat.cpu.eip, CODE_BASE, 'EIP stays on the REP instruction');
  const stop = flat.cpu.run(2); // 10,000 bytes: three slices of at most 4,096
  assert.equal(stop.kind, 'budget');
  assert.equal(flat.cpu.regs[1], 0);
  assert.equal(flat.cpu.eip, CODE_BASE + 2);
});
