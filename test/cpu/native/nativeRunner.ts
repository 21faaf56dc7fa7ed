// Runs a batch of cases on the host CPU: writes a .S file (a loader that sets EAX..EDI and EFLAGS,
// jumps to the case, and a saver), the cases' bytes in a `testcode` section linked at a fixed
// address, and a C driver that maps the data buffer at its fixed address, runs every case, catches
// SIGFPE/SIGSEGV/SIGILL (registers from the signal context, on an alternate stack), and writes the
// outcomes. Built with `gcc -m32 -no-pie` once per batch in a temporary directory.
// Must not know: the emulator, what the cases test.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUFFER_BASE, BUFFER_BYTES, CASE_EPILOGUE_BYTES, INPUT_RECORD_BYTES, OUTPUT_RECORD_BYTES, TESTCODE_BASE, type CaseOutcome, type NativeCase } from './nativeLayout';

const run = promisify(execFile);

const GPR = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

function loaderAssembly(): string {
  const loads = [0, 1, 2, 3, 5, 6, 7].map((r) => `  movl in_regs+${r * 4}, %${GPR[r]}`);
  const saves = GPR.map((name, r) => `  movl %${name}, out_regs+${r * 4}`);
  return [
    '  .data', '  .globl in_regs, in_eflags, out_regs, out_eflags, case_target',
    'in_regs: .space 32', 'in_eflags: .long 0', 'out_regs: .space 32', 'out_eflags: .long 0', 'saved_esp: .long 0', 'case_target: .long 0',
    '  .text', '  .globl run_case, case_done', 'run_case:',
    '  pushl %ebp', '  pushl %ebx', '  pushl %esi', '  pushl %edi', '  movl %esp, saved_esp',
    '  pushl in_eflags', '  popfl', ...loads, '  movl in_regs+16, %esp', '  jmp *case_target',
    'case_done:', ...saves, '  movl saved_esp, %esp', '  pushfl', '  popl out_eflags', '  cld',
    '  popl %edi', '  popl %esi', '  popl %ebx', '  popl %ebp', '  ret',
    '  .section .note.GNU-stack,"",@progbits',
  ].join('\n');
}

function casesAssembly(cases: readonly NativeCase[]): string {
  const lines = ['  .section testcode,"ax",@progbits'];
  cases.forEach((c, n) => {
    lines.push(`c${n}:`);
    if (c.code.length !== 0) lines.push(`  .byte ${c.code.join(',')}`);
    lines.push('  jmp case_done');
  });
  lines.push('  .section .rodata', '  .globl case_table, case_count', '  .p2align 2', `case_count: .long ${cases.length}`, 'case_table:');
  cases.forEach((_, n) => lines.push(`  .long c${n}`));
  lines.push('  .section .note.GNU-stack,"",@progbits');
  return `${lines.join('\n')}\n`;
}

const DRIVER = String.raw`
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
extern uint32_t in_regs[8], in_eflags, out_regs[8], out_eflags, case_target;
extern const uint32_t case_table[], case_count;
extern const unsigned char __start_testcode[], __stop_testcode[];
extern void run_case(void);
static sigjmp_buf env;
static volatile uint32_t fault[10];
static char altstack[1 << 16];
static void on_signal(int sig, siginfo_t *info, void *context) {
  (void)info;
  greg_t *g = ((ucontext_t *)context)->uc_mcontext.gregs;
  const int order[8] = { REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI, REG_EDI };
  for (int r = 0; r < 8; r++) fault[r] = g[order[r]];
  fault[8] = g[REG_EFL];
  fault[9] = g[REG_EIP];
  siglongjmp(env, sig);
}
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  unsigned char *buffer = mmap((void *)${BUFFER_BASE}, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (buffer != (void *)${BUFFER_BASE}) return 3;
  stack_t stack = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  sigaltstack(&stack, 0);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  int signals[] = { SIGSEGV, SIGFPE, SIGILL, SIGBUS, SIGTRAP };
  for (int i = 0; i < 5; i++) sigaction(signals[i], &action, 0);
  FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
  if (!in || !out) return 4;
  uint32_t start = (uint32_t)__start_testcode, size = (uint32_t)(__stop_testcode - __start_testcode);
  fwrite(&start, 4, 1, out); fwrite(&size, 4, 1, out); fwrite(__start_testcode, 1, size, out);
  fwrite(&case_count, 4, 1, out); fwrite(case_table, 4, case_count, out);
  static unsigned char record[${INPUT_RECORD_BYTES}];
  for (uint32_t i = 0; i < case_count; i++) {
    if (fread(record, sizeof record, 1, in) != 1) return 5;
    memcpy(in_regs, record, 32); memcpy(&in_eflags, record + 32, 4); memcpy(buffer, record + 36, ${BUFFER_BYTES});
    case_target = case_table[i];
    int32_t status = sigsetjmp(env, 1);
    uint32_t eip = 0;
    if (status == 0) run_case();
    else { for (int r = 0; r < 8; r++) out_regs[r] = fault[r]; out_eflags = fault[8]; eip = fault[9]; }
    fwrite(&status, 4, 1, out); fwrite(&eip, 4, 1, out); fwrite(out_regs, 4, 8, out); fwrite(&out_eflags, 4, 1, out);
    fwrite(buffer, 1, ${BUFFER_BYTES}, out);
  }
  return fclose(out) == 0 ? 0 : 6;
}
`;

function inputRecords(cases: readonly NativeCase[]): Buffer {
  const out = Buffer.alloc(cases.length * INPUT_RECORD_BYTES);
  cases.forEach((c, n) => {
    const at = n * INPUT_RECORD_BYTES;
    for (let r = 0; r < 8; r++) out.writeInt32LE(c.regs[r]!, at + r * 4);
    out.writeUInt32LE(c.eflags >>> 0, at + 32);
    out.set(c.memory, at + 36);
  });
  return out;
}

export interface NativeBatch {
  /** The testcode section as linked (the emulator loads these exact bytes). */
  readonly codeStart: number;
  readonly code: Uint8Array;
  /** Each case's address. */
  readonly caseAddresses: readonly number[];
  readonly outcomes: readonly CaseOutcome[];
}

function parseOutput(data: Buffer): NativeBatch {
  const codeStart = data.readUInt32LE(0);
  const size = data.readUInt32LE(4);
  const code = new Uint8Array(data.subarray(8, 8 + size));
  let at = 8 + size;
  const count = data.readUInt32LE(at);
  at += 4;
  const caseAddresses: number[] = [];
  for (let n = 0; n < count; n++, at += 4) caseAddresses.push(data.readUInt32LE(at));
  const outcomes: CaseOutcome[] = [];
  for (let n = 0; n < count; n++, at += OUTPUT_RECORD_BYTES) {
    const regs = new Int32Array(8);
    for (let r = 0; r < 8; r++) regs[r] = data.readInt32LE(at + 8 + r * 4);
    outcomes.push({
      signal: data.readInt32LE(at), eip: data.readUInt32LE(at + 4), regs, eflags: data.readUInt32LE(at + 40),
      memory: new Uint8Array(data.subarray(at + 44, at + 44 + BUFFER_BYTES)),
    });
  }
  return { codeStart, code, caseAddresses, outcomes };
}

/** Builds and runs one batch natively. */
export async function runNativeBatch(cases: readonly NativeCase[]): Promise<NativeBatch> {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-native-'));
  try {
    writeFileSync(join(dir, 'loader.S'), `${loaderAssembly()}\n`);
    writeFileSync(join(dir, 'cases.S'), casesAssembly(cases));
    writeFileSync(join(dir, 'driver.c'), DRIVER);
    writeFileSync(join(dir, 'input.bin'), inputRecords(cases));
    const binary = join(dir, 'cases');
    await run('gcc', ['-m32', '-O1', '-no-pie', '-o', binary, join(dir, 'driver.c'), join(dir, 'loader.S'), join(dir, 'cases.S'),
      `-Wl,--section-start=testcode=0x${TESTCODE_BASE.toString(16)}`], { maxBuffer: 1 << 24 });
    await run(binary, [join(dir, 'input.bin'), join(dir, 'output.bin')], { maxBuffer: 1 << 24 });
    return parseOutput(readFileSync(join(dir, 'output.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where each case of a batch starts when laid out from TESTCODE_BASE (what the generator assumes). */
export function plannedAddresses(cases: readonly NativeCase[]): number[] {
  const addresses: number[] = [];
  let address = TESTCODE_BASE;
  for (const c of cases) {
    addresses.push(address);
    address += c.code.length + CASE_EPILOGUE_BYTES;
  }
  return addresses;
}
