// `lguest-debug demo`: what the engine does today, in the terminal. It assembles lguest's Switcher
// and Guest head (when ../shared/lguest or --lguest DIR has them) and reports where the macro
// expansions landed, then assembles examples/worldSwitch.S with lguest-debug's own assembler and
// runs it on the emulated PC with COM1 on stdout.
// Owns: the demo's narrative. Must not know: how assembly or emulation work inside.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CommandIo } from './bootCommand';
import { assembleProgram, assembleSource } from '../emu/asm/assemble';
import { formatDiagnostic, hasErrors } from '../emu/asm/diagnostics';
import { flatImage } from '../emu/asm/link/flatImage';
import { nodeFileSystem } from '../emu/asm/nodeFileSystem';
import type { ObjectModule } from '../emu/asm/object/objectModule';
import type { LineEntry } from '../emu/asm/program';
import { PcMachine } from '../emu/machine/pcMachine';

export const DEMO_HELP = `usage: lguest-debug demo [--lguest DIR]

Assembles lguest's switcher.S and i386_head.S (from DIR, default ../shared/lguest beside the
repository) and shows where SWITCH_TO_HOST and the 256 IRQ_STUB expansions landed; then assembles
examples/worldSwitch.S and runs it on the emulated PC, copying COM1 to stdout.
`;

const repositoryRoot = resolve(__dirname, '..');

export async function runDemoCommand(args: readonly string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(DEMO_HELP);
    return 0;
  }
  const lguestFlag = args.indexOf('--lguest');
  const lguestDirectory = lguestFlag >= 0 && args[lguestFlag + 1] ? resolve(args[lguestFlag + 1]!) : resolve(repositoryRoot, '..', 'shared', 'lguest');
  io.stdout('lguest-debug demo\n\n');
  const lguestOk = describeLguestSources(lguestDirectory, io);
  const runOk = runWorldSwitchExample(io);
  return lguestOk && runOk ? 0 : 1;
}

function describeLguestSources(directory: string, io: CommandIo): boolean {
  io.stdout(`1. lguest's Switcher and Guest head, assembled from ${directory}\n`);
  const files = ['switcher.S', 'i386_head.S'].map((name) => join(directory, name));
  if (!files.every((file) => existsSync(file))) {
    io.stdout('   (not found: pass --lguest DIR pointing at switcher.S and i386_head.S)\n\n');
    return true;
  }
  let ok = true;
  for (const file of files) {
    const module = assembleSource(file, nodeFileSystem);
    for (const diagnostic of module.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    ok &&= !hasErrors(module.diagnostics);
    const sections = module.sections.filter((s) => s.size > 0).map((s) => `${s.name} ${s.size} bytes`).join(', ');
    const globals = module.symbols.filter((s) => s.binding === 'global').length;
    io.stdout(`   ${basename(file)}: ${sections}; ${globals} global symbols; ${module.diagnostics.length} diagnostics\n`);
    for (const line of describeExpansions(module)) io.stdout(`     ${line}\n`);
  }
  io.stdout('\n');
  return ok;
}

/** One line per macro that expanded in the module: where it expanded and how much code it made. */
function describeExpansions(module: ObjectModule): string[] {
  const byMacro = new Map<string, { kind: string; sites: Set<string>; expansions: Set<string>; instructions: number }>();
  for (const section of module.sections) {
    for (const entry of section.lines) {
      if (entry.kind !== 'instruction') continue;
      for (const frame of entry.expansion) {
        if (frame.kind !== 'cpp-macro' && frame.kind !== 'gas-macro') continue;
        if (['ENTRY', 'ALIGN', '__ALIGN'].includes(frame.name)) continue;
        const record = byMacro.get(frame.name) ?? { kind: frame.kind, sites: new Set(), expansions: new Set(), instructions: 0 };
        record.sites.add(`${basename(frame.site.file)}:${frame.site.line}`);
        record.expansions.add(expansionKey(entry, frame.name));
        record.instructions++;
        byMacro.set(frame.name, record);
      }
    }
  }
  return [...byMacro].map(([name, r]) => {
    const sites = [...r.sites];
    const where = sites.length <= 4 ? sites.join(', ') : `${sites.slice(0, 3).join(', ')} and ${sites.length - 3} more`;
    return `${r.kind === 'cpp-macro' ? '#define' : '.macro'} ${name}: ${r.expansions.size} expansions (${where}), ${r.instructions} instructions`;
  });
}

/** Identifies one expansion of `macro`: its frame and every frame outside it (site and iteration). */
function expansionKey(entry: LineEntry, macro: string): string {
  const index = entry.expansion.findIndex((f) => f.name === macro);
  return entry.expansion.slice(index).map((f) => `${f.kind}:${f.name}@${f.site.file}:${f.site.line}:${f.site.column}#${f.iteration ?? ''}`).join('|');
}

function runWorldSwitchExample(io: CommandIo): boolean {
  const source = join(repositoryRoot, 'examples', 'worldSwitch.S');
  io.stdout(`2. examples/worldSwitch.S, assembled by lguest-debug and run on the emulated PC\n\n`);
  const program = assembleProgram([source], nodeFileSystem, { baseAddress: 0x100000 });
  for (const diagnostic of program.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  if (hasErrors(program.diagnostics)) return false;
  const machine = new PcMachine({ memoryMiB: 32, serialOutput: (byte) => io.stdout(String.fromCharCode(byte)) });
  machine.bootMultiboot(flatImage(program).bytes, { kernelName: 'worldSwitch' });
  const stop = machine.run(10_000_000);
  const cpu = machine.cpu;
  io.stdout(`\n   ${cpu.instructionCount} instructions; the machine stopped: ${describeStop(stop)}\n`);
  return stop.kind === 'exit' && stop.value === 0;
}

function describeStop(stop: ReturnType<PcMachine['run']>): string {
  if (stop.kind === 'exit') return `the guest wrote ${stop.value} to isa-debug-exit (status ${stop.code})`;
  if ('description' in stop) return `${stop.kind}: ${stop.description}`;
  if ('message' in stop) return `${stop.kind}: ${stop.message}`;
  return stop.kind;
}
