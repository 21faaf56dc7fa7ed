// Parses QEMU's `-d cpu,nochain,int` log (x86 target, QEMU 7.2 format) into per-instruction CPU
// states and the interrupt/exception records between them.
// Owns: the log grammar: register dump blocks ("EAX=..." through "EFER="), interrupt lines
// ("   N: v=.. e=.. i=.. cpl=.. IP=sel:eip pc=.. SP=sel:esp CR2=../env->regs[R_EAX]=.."),
// "Servicing hardware INT=0x..", "check_exception old: .. new ..", "SMM: ..".
// Must not know: our emulator. A dump after an interrupt line is the state at delivery; a dump
// after an "SMM:" line is the firmware's; every other dump is the state before one instruction.
import { closeSync, openSync, readSync } from 'node:fs';
import type { DescriptorTableRegister, GeneralRegisters, SegmentCache } from '../../../src/emu/cpu/cpuContracts';

export type SegmentName = 'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs';

export interface QemuCpuState {
  readonly kind: 'instruction' | 'interrupt' | 'smm';
  /** 1-based line of the block's "EAX=" line. */
  readonly line: number;
  readonly registers: GeneralRegisters;
  readonly eip: number;
  readonly eflags: number;
  readonly cpl: number;
  readonly halted: boolean;
  readonly segments: Record<SegmentName, SegmentCache>;
  readonly ldtr: SegmentCache;
  readonly tr: SegmentCache;
  readonly gdtr: DescriptorTableRegister;
  readonly idtr: DescriptorTableRegister;
  readonly cr0: number;
  readonly cr2: number;
  readonly cr3: number;
  readonly cr4: number;
  readonly dr: readonly number[];
  readonly dr6: number | undefined;
  readonly dr7: number | undefined;
  readonly efer: bigint | undefined;
}

export type QemuEvent =
  | {
      readonly kind: 'interrupt';
      readonly line: number;
      readonly count: number;
      readonly vector: number;
      readonly errorCode: number;
      /** i=1: INT n / INT3 / INTO (software); i=0: exception or hardware interrupt. */
      readonly software: boolean;
      readonly cpl: number;
      readonly cs: number;
      readonly eip: number;
      readonly pc: number;
      readonly ss: number;
      readonly esp: number;
      readonly cr2: number | undefined;
      /** The dump that follows the line: the state when the event was taken. */
      state?: QemuCpuState;
    }
  | { readonly kind: 'hardwareInterrupt'; readonly line: number; readonly vector: number }
  | { readonly kind: 'exceptionCheck'; readonly line: number; readonly old: number; readonly next: number }
  | { readonly kind: 'note'; readonly line: number; readonly text: string };

/** One logged instruction: the state before it and what happened since the previous one. */
export interface QemuStep {
  readonly index: number;
  readonly state: QemuCpuState;
  readonly events: readonly QemuEvent[];
}

const INTERRUPT_LINE = /^\s*(\d+): v=([0-9a-f]+) e=([0-9a-f]+) i=(\d) cpl=(\d) IP=([0-9a-f]+):([0-9a-f]+) pc=([0-9a-f]+) SP=([0-9a-f]+):([0-9a-f]+)(?: CR2=([0-9a-f]+))?/;
const SEGMENT_LINE = /^(ES|CS|SS|DS|FS|GS|LDT|TR)\s*=([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)/;
const TABLE_LINE = /^(GDT|IDT)=\s+([0-9a-f]+) ([0-9a-f]+)/;
const PAIR = /([A-Z0-9]+)=([0-9a-fA-F]+)/g;

function hexValue(text: string): number {
  return parseInt(text, 16) >>> 0;
}

/** Incremental parser: feed lines with `push`, collect steps from the callback. */
export class QemuLogParser {
  private lineNumber = 0;
  private block: string[] = [];
  private blockLine = 0;
  private context: 'instruction' | 'interrupt' | 'smm' = 'instruction';
  private events: QemuEvent[] = [];
  private pendingInterrupt: Extract<QemuEvent, { kind: 'interrupt' }> | undefined;
  private index = 0;

  constructor(private readonly onStep: (step: QemuStep) => boolean | void) {}

  /** Returns false once the callback asked to stop. */
  push(line: string): boolean {
    this.lineNumber++;
    if (line.startsWith('EAX=')) {
      if (!this.flush()) return false;
      this.block = [line];
      this.blockLine = this.lineNumber;
      return true;
    }
    if (this.block.length > 0 && isDumpContinuation(line)) {
      this.block.push(line);
      return true;
    }
    if (!this.flush()) return false;
    this.noteLine(line);
    return true;
  }

  finish(): void {
    this.flush();
  }

  private noteLine(line: string): void {
    const n = this.lineNumber;
    const interrupt = INTERRUPT_LINE.exec(line);
    if (interrupt) {
      const [, count, v, e, i, cpl, cs, eip, pc, ss, esp, cr2] = interrupt;
      this.pendingInterrupt = {
        kind: 'interrupt', line: n, count: Number(count), vector: hexValue(v!), errorCode: hexValue(e!), software: i === '1',
        cpl: Number(cpl), cs: hexValue(cs!), eip: hexValue(eip!), pc: hexValue(pc!), ss: hexValue(ss!), esp: hexValue(esp!),
        cr2: cr2 === undefined ? undefined : hexValue(cr2),
      };
      this.events.push(this.pendingInterrupt);
      this.context = 'interrupt';
      return;
    }
    const servicing = /^Servicing hardware INT=0x([0-9a-f]+)/.exec(line);
    if (servicing) this.events.push({ kind: 'hardwareInterrupt', line: n, vector: hexValue(servicing[1]!) });
    else if (line.startsWith('SMM:')) this.context = 'smm';
    else {
      const check = /^check_exception old: 0x([0-9a-f]+) new 0x([0-9a-f]+)/.exec(line);
      if (check) this.events.push({ kind: 'exceptionCheck', line: n, old: hexValue(check[1]!), next: hexValue(check[2]!) });
      else if (line.trim() !== '') this.events.push({ kind: 'note', line: n, text: line });
    }
  }

  private flush(): boolean {
    if (this.block.length === 0) return true;
    const state = parseDump(this.block, this.blockLine, this.context);
    this.block = [];
    const context = this.context;
    this.context = 'instruction';
    if (context === 'interrupt' && this.pendingInterrupt) {
      this.pendingInterrupt.state = state;
      this.pendingInterrupt = undefined;
      return true;
    }
    if (context === 'smm') return true;
    const step: QemuStep = { index: this.index++, state, events: this.events };
    this.events = [];
    return this.onStep(step) !== false;
  }
}

function isDumpContinuation(line: string): boolean {
  return /^(ESI|EIP|ES |CS |SS |DS |FS |GS |LDT|TR |GDT|IDT|CR0|DR[0-7]|CCS|EFER|FCW|FPR|XMM|YMM)/.test(line);
}

function pairs(line: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of line.matchAll(PAIR)) found.set(match[1]!, match[2]!);
  return found;
}

function parseDump(lines: readonly string[], line: number, kind: QemuCpuState['kind']): QemuCpuState {
  const values = new Map<string, string>();
  const segments = new Map<string, SegmentCache>();
  const tables = new Map<string, DescriptorTableRegister>();
  for (const text of lines) {
    const segment = SEGMENT_LINE.exec(text);
    if (segment) {
      segments.set(segment[1]!, { selector: hexValue(segment[2]!), base: hexValue(segment[3]!), limit: hexValue(segment[4]!), flags: hexValue(segment[5]!) });
      continue;
    }
    const table = TABLE_LINE.exec(text);
    if (table) {
      tables.set(table[1]!, { base: hexValue(table[2]!), limit: hexValue(table[3]!) });
      continue;
    }
    for (const [key, value] of pairs(text.replace(/\[[^\]]*\]/g, ''))) values.set(key, value);
  }
  const get = (key: string): number => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`QEMU log line ${line}: the register dump has no ${key}`);
    return hexValue(value);
  };
  const optional = (key: string): number | undefined => (values.has(key) ? get(key) : undefined);
  const segmentOf = (name: string): SegmentCache => {
    const found = segments.get(name);
    if (!found) throw new Error(`QEMU log line ${line}: the register dump has no ${name} line`);
    return found;
  };
  return {
    kind, line,
    registers: { eax: get('EAX'), ecx: get('ECX'), edx: get('EDX'), ebx: get('EBX'), esp: get('ESP'), ebp: get('EBP'), esi: get('ESI'), edi: get('EDI') },
    eip: get('EIP'), eflags: get('EFL'), cpl: get('CPL'), halted: optional('HLT') === 1,
    segments: { es: segmentOf('ES'), cs: segmentOf('CS'), ss: segmentOf('SS'), ds: segmentOf('DS'), fs: segmentOf('FS'), gs: segmentOf('GS') },
    ldtr: segmentOf('LDT'), tr: segmentOf('TR'),
    gdtr: tables.get('GDT') ?? { base: 0, limit: 0 }, idtr: tables.get('IDT') ?? { base: 0, limit: 0 },
    cr0: get('CR0'), cr2: get('CR2'), cr3: get('CR3'), cr4: get('CR4'),
    dr: ['DR0', 'DR1', 'DR2', 'DR3'].filter((k) => values.has(k)).map(get),
    dr6: optional('DR6'), dr7: optional('DR7'),
    efer: values.has('EFER') ? BigInt(`0x${values.get('EFER')}`) : undefined,
  };
}

/** Parses a whole log held in memory. */
export function parseQemuLog(text: string): QemuStep[] {
  const steps: QemuStep[] = [];
  const parser = new QemuLogParser((step) => void steps.push(step));
  for (const line of text.split('\n')) parser.push(line);
  parser.finish();
  return steps;
}

/** Streams a log file (they reach hundreds of MB), calling `onStep` until it returns false. */
export function readQemuLog(path: string, onStep: (step: QemuStep) => boolean | void): void {
  const parser = new QemuLogParser(onStep);
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let carry = '';
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const lines = (carry + buffer.toString('latin1', 0, read)).split('\n');
      carry = lines.pop()!;
      for (const line of lines) if (!parser.push(line)) return;
    }
    if (carry) parser.push(carry);
    parser.finish();
  } finally {
    closeSync(fd);
  }
}

/** The first `limit` steps of a log file. */
export function readQemuSteps(path: string, limit = Infinity): QemuStep[] {
  const steps: QemuStep[] = [];
  readQemuLog(path, (step) => {
    steps.push(step);
    return steps.length < limit;
  });
  return steps;
}
