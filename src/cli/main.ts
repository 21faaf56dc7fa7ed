// The `lguest-debug` command line: a small dispatcher from the first argument to a command.
// Owns: the command table, top-level help and turning a command's result into the exit status.
// Must not know: what the commands do (each lives in its own file).
import { BOOT_HELP, runBootCommand, type CommandIo } from './bootCommand';
import { ASM_HELP, runAsmCommand } from './asmCommand';
import { DEMO_HELP, runDemoCommand } from './demoCommand';

interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

const commands: Record<string, Command> = {
  boot: { summary: 'boot a multiboot kernel on the emulated PC (COM1 to stdout)', help: BOOT_HELP, run: runBootCommand },
  demo: { summary: 'assemble the lguest sources and run the world-switch example in the terminal', help: DEMO_HELP, run: runDemoCommand },
  asm: { summary: 'assemble a .S/.s file for i386 as GNU as does (diagnostics, listing, ELF .o)', help: ASM_HELP, run: runAsmCommand },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return `usage: lguest-debug COMMAND [arguments]\n\ncommands:\n${lines.join('\n')}\n\nRun 'lguest-debug COMMAND --help' for a command's options.\n`;
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`lguest-debug: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return command.run(args, io);
}

/** Run when started as a program: directly, or through bin/lguest-debug.js. */
const startedAsProgram = require.main === module || /lguest-debug(\.js)?$/.test(require.main?.filename ?? '');

if (startedAsProgram) {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`lguest-debug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
