// The machine loop with a scripted CPU: PIT -> 8259 -> INTR timing in deterministic time, HLT
// skipping to the next event, "halted forever", isa-debug-exit, the APIC timer through the
// router, slices cut short when the guest reprograms a timer, serial output, NMI, reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcMachine, type PcMachineOptions } from '../../src/emu/machine/pcMachine';
import { pitTimeOfTick } from '../../src/emu/machine/devices/pit8254';
import { FakeCpu, loop, type FakeOp } from './fakeCpu';
import { buildAoutImage } from './imageBuilders';
import { Cpu } from '../../src/emu/cpu/cpu';
import { readCpuState } from '../harness/qemu/machineTarget';

function makeMachine(program: FakeOp[], onInterrupt?: (vector: number, cpu: FakeCpu) => void, options: PcMachineOptions = {}): { machine: PcMachine; cpu: FakeCpu } {
  let cpu: FakeCpu | undefined;
  const machine = new PcMachine({ memoryMiB: 4, ...options, createCpu: (context) => (cpu = new FakeCpu(context, program, onInterrupt)) });
  machine.cpu; // build it
  return { machine, cpu: cpu! };
}

const eoi: (vector: number, cpu: FakeCpu) => void = (_v, cpu) => cpu.context.io.write(0x20, 1, 0x20);

/** Programs PIT channel 0 in mode 2 with `count` and unmasks only IRQ0 on the firmware-state PIC. */
const timerSetup = (count: number): FakeOp[] => [
  { op: 'out', port: 0x21, value: 0xfe },
  { op: 'out', port: 0x43, value: 0x34 },
  { op: 'out', port: 0x40, value: count & 0xff },
  { op: 'out', port: 0x40, value: count >> 8 },
];

test('PIT mode 2 interrupts arrive through the 8259 at deterministic instruction counts', () => {
  const program: FakeOp[] = [...timerSetup(1193), { op: 'sti' }, ...loop(5, [{ op: 'nop' }])];
  const { machine, cpu } = makeMachine(program, eoi, { clock: { nsPerInstruction: 10 } });
  assert.equal(machine.run(500_000).kind, 'budget');
  const vectors = new Set(cpu.delivered.map((d) => d.vector));
  assert.deepEqual([...vectors], [0x08], 'firmware vector base 0x08');
  // 1193 ticks = 999,849 ns; at 10 ns per instruction the 5,000,000 ns run sees 5 interrupts.
  assert.equal(cpu.delivered.length, 5);
  const times = cpu.delivered.map((d) => d.time);
  const period = pitTimeOfTick(1193 * 2) - pitTimeOfTick(1193);
  assert.ok(Math.abs(times[1]! - times[0]! - period) <= 10, `period ${times[1]! - times[0]!} ns`);
  const again = makeMachine(program, eoi, { clock: { nsPerInstruction: 10 } });
  again.machine.run(500_000);
  assert.deepEqual(again.cpu.delivered, cpu.delivered, 'replays exactly');
});

test('HLT advances time to the next event instead of spinning', () => {
  const program: FakeOp[] = [...timerSetup(11932), { op: 'sti' }, ...loop(5, [{ op: 'hlt' }])];
  const { machine, cpu } = makeMachine(program, eoi);
  const stop = machine.run(16); // 5 setup instructions, then HLT/JMP pairs: HLTs at 6, 8, ..., 16
  assert.equal(stop.kind, 'budget');
  assert.equal(cpu.delivered.length, 5, 'each HLT woken by the next tick');
  assert.ok(machine.clock.now() >= 4 * 10e6, 'virtual time moved through the halts');
});

test('HLT with interrupts disabled and a timer pending ends with "halted forever (interrupts disabled)"', () => {
  const program: FakeOp[] = [...timerSetup(1193), { op: 'cli' }, { op: 'hlt' }];
  const { machine } = makeMachine(program);
  const stop = machine.run(1000);
  assert.equal(stop.kind, 'haltedForever');
  assert.match((stop as { description: string }).description, /halted forever \(interrupts disabled\)/);
});

test('HLT with nothing armed ends at once; a masked periodic timer ends after the halt timeout', () => {
  const idle = makeMachine([{ op: 'out', port: 0x43, value: 0x30 }, { op: 'hlt' }], undefined, { firmwareState: true });
  assert.equal(idle.machine.run(100).kind, 'haltedForever');
  const masked = makeMachine([{ op: 'out', port: 0x21, value: 0xff }, { op: 'sti' }, { op: 'hlt' }], undefined, { haltTimeoutNs: 1e9 });
  const stop = masked.machine.run(100);
  assert.equal(stop.kind, 'haltedForever');
  assert.match((stop as { description: string }).description, /within 1 s/);
});

test('isa-debug-exit stops the run right after the OUT with QEMU\'s status', () => {
  const program: FakeOp[] = [{ op: 'nop' }, { op: 'out', port: 0xf4, value: 0x31 }, { op: 'nop' }, { op: 'nop' }];
  const { machine, cpu } = makeMachine(program);
  const stop = machine.run(100);
  assert.deepEqual(stop, { kind: 'exit', code: 99, value: 0x31 });
  assert.equal(cpu.instructionCount, 2);
  assert.deepEqual(machine.run(100), stop, 'stays stopped');
});

test('COM1 output reaches the sink; its interrupt reaches the CPU on IRQ4 (vector 0x0C)', () => {
  const out: number[] = [];
  const program: FakeOp[] = [
    { op: 'out', port: 0x21, value: 0xef },
    { op: 'out', port: 0x3f9, value: 0x02 },
    { op: 'sti' },
    { op: 'out', port: 0x3f8, value: 0x41 },
    ...loop(4, [{ op: 'nop' }]),
  ];
  const { machine, cpu } = makeMachine(program, (_v, c) => {
    c.context.io.read(0x3fa, 1);
    c.context.io.write(0x20, 1, 0x20);
  }, { serialOutput: (b) => out.push(b) });
  machine.run(50);
  assert.deepEqual(out, [0x41]);
  // Enabling the THRE interrupt raises it; after the handler read IIR, the transmit raises it again.
  assert.deepEqual(cpu.delivered.map((d) => d.vector), [0x0c, 0x0c]);
});

test('APIC timer interrupts reach the CPU through the router; EOI through the APIC', () => {
  const program: FakeOp[] = [
    { op: 'out', port: 0x21, value: 0xff },
    { op: 'write', address: 0xfee003e0, value: 0xb },
    { op: 'write', address: 0xfee00320, value: 0x20040 },
    { op: 'write', address: 0xfee00380, value: 9999 },
    { op: 'sti' },
    ...loop(5, [{ op: 'hlt' }]),
  ];
  const { machine, cpu } = makeMachine(program, (_v, c) => c.context.memory.write32(0xfee000b0, 0));
  machine.run(30);
  assert.ok(cpu.delivered.length >= 10, `${cpu.delivered.length} interrupts`);
  assert.ok(cpu.delivered.every((d) => d.vector === 0x40));
  assert.equal(cpu.delivered[1]!.time - cpu.delivered[0]!.time, 10_000);
});

test('reprogramming the PIT to fire sooner cuts the current slice short', () => {
  const program: FakeOp[] = [...timerSetup(60000), { op: 'sti' }, ...timerSetup(2).slice(1), ...loop(8, [{ op: 'nop' }])];
  // 1 us per instruction: the first slice is bounded by the 60000-tick period (~50,000
  // instructions); the new 2-tick period must interrupt within a few instructions of the OUT.
  const { machine, cpu } = makeMachine(program, eoi, { clock: { nsPerInstruction: 1000 } });
  machine.run(100_000);
  assert.ok(cpu.delivered.length >= 1);
  assert.ok(cpu.delivered[0]!.instructionCount < 20, `first interrupt after ${cpu.delivered[0]!.instructionCount} instructions`);
});

test('NMI reaches the CPU through LINT1; port 0x92 bit 0 resets; requestStop stops', () => {
  const { machine, cpu } = makeMachine([...loop(0, [{ op: 'nop' }])]);
  machine.raiseNmi();
  machine.run(5);
  assert.equal(cpu.nmis.length, 1);
  machine.requestStop('pause button');
  assert.deepEqual(machine.run(5), { kind: 'stopRequested', reason: 'pause button' });
  assert.equal(machine.run(5).kind, 'budget');
  const reset = makeMachine([{ op: 'out', port: 0x92, value: 0x01 }, { op: 'nop' }]);
  assert.equal(reset.machine.run(5).kind, 'reset');
});

test('unmapped ports read all ones; fw_cfg answers QEMU; the memory size is checked', () => {
  const { machine } = makeMachine([]);
  assert.equal(machine.io.read(0x2f8, 1), 0xff);
  machine.io.write(0x510, 2, 0);
  assert.equal(machine.io.read(0x511, 1), 0x51);
  assert.throws(() => new PcMachine({ memoryMiB: 1 }), /out of range/);
  assert.throws(() => new PcMachine({ memoryMiB: 4096 }), /out of range/);
});

test('by default the machine runs the emulator\'s Cpu; bootMultiboot puts it in QEMU\'s entry state', () => {
  const machine = new PcMachine({ memoryMiB: 8 });
  const result = machine.bootMultiboot(buildAoutImage(), { kernelName: 'k.bin' });
  assert.ok(machine.cpu instanceof Cpu);
  const state = readCpuState(machine.cpu as Cpu);
  const expected = result.entryState;
  assert.deepEqual(state.registers, expected.registers);
  assert.equal(state.eip, expected.eip);
  assert.equal(state.eflags, expected.eflags);
  assert.deepEqual(state.segments, expected.segments);
  assert.deepEqual([state.gdtr, state.idtr, state.ldtr, state.tr], [expected.gdtr, expected.idtr, expected.ldtr, expected.tr]);
  assert.deepEqual([state.cr0, state.cr3, state.cr4, state.cpl], [0x11, 0, 0, 0]);
});
