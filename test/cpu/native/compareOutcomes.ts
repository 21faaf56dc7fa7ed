// Compares a case's native and emulated outcomes: the signal (fault class), the faulting EIP,
// EAX..EDI, EFLAGS (arithmetic flags and DF, minus the op's undefined flags) and the data buffer.
// Must not know: how either outcome was produced.
import { COMPARED_FLAGS, type CaseOutcome, type NativeCase } from './nativeLayout';

const NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** Undefined when they agree, else a one-line description of every difference. */
export function compareOutcomes(testCase: NativeCase, native: CaseOutcome, emulated: CaseOutcome): string | undefined {
  const differences: string[] = [];
  if (native.signal !== emulated.signal) {
    differences.push(`signal native ${native.signal} emulator ${emulated.signal}${emulated.description ? ` (${emulated.description})` : ''}`);
  } else if (native.signal !== 0 && native.eip !== emulated.eip) {
    differences.push(`fault EIP native ${hex(native.eip)} emulator ${hex(emulated.eip)}`);
  }
  for (let r = 0; r < 8; r++) {
    if (testCase.undefinedRegisters & (1 << r)) continue;
    if (native.regs[r] !== emulated.regs[r]) differences.push(`${NAMES[r]} native ${hex(native.regs[r]!)} emulator ${hex(emulated.regs[r]!)}`);
  }
  const mask = COMPARED_FLAGS & ~testCase.undefinedFlags;
  if ((native.eflags & mask) !== (emulated.eflags & mask)) {
    differences.push(`eflags native ${hex(native.eflags & mask)} emulator ${hex(emulated.eflags & mask)} (compared ${hex(mask)})`);
  }
  for (let i = 0; i < native.memory.length; i++) {
    if (native.memory[i] !== emulated.memory[i]) {
      differences.push(`memory[+${hex(i)}] native ${hex(native.memory[i]!)} emulator ${hex(emulated.memory[i]!)}`);
      break;
    }
  }
  return differences.length === 0 ? undefined : differences.join('; ');
}

/** The case as bytes and inputs, for a mismatch report. */
export function describeCase(testCase: NativeCase): string {
  const code = testCase.code.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const regs = NAMES.map((name, r) => `${name}=${hex(testCase.regs[r]!)}`).join(' ');
  return `${testCase.name}: code [${code}] ${regs} eflags=${hex(testCase.eflags)}`;
}
