// `lguest-debug asm FILE.S [-I dir] [-D NAME[=VAL]] [--listing] [-o FILE.o]`: assembles one file
// the way `gcc -m32 -c -D__ASSEMBLY__` (for .S) or `as --32` (for .s) would, prints diagnostics as
// `file:line:col: error: message`, optionally a listing and an ELF relocatable object.
// Owns: argument parsing, exit statuses (0 ok, 1 assembly errors, 2 usage). Must not know the
// assembler's insides (it calls assembleSource).
import { writeFileSync } from 'node:fs';
import { assembleSource } from '../emu/asm/assemble';
import { formatDiagnostic, hasErrors } from '../emu/asm/diagnostics';
import { formatListing } from '../emu/asm/listing';
import { nodeFileSystem } from '../emu/asm/nodeFileSystem';
import { writeElfObject } from '../emu/asm/object/elfWriter';
import type { CommandIo } from './bootCommand';

export const ASM_HELP = `usage: lguest-debug asm FILE [options]

Assembles FILE (.S through the C preprocessor with __ASSEMBLY__ defined and the built-in lguest
kernel headers; .s with GNU as syntax only) for i386, as GNU as 2.40 does.

options:
  -I DIR            add DIR to the #include and .include search path (repeatable)
  -D NAME[=VALUE]   define a preprocessor macro (repeatable)
  --listing         print an assembly listing (offsets, bytes, source) on stdout
  -o FILE.o         write an ELF32 i386 relocatable object
  -h, --help        this help

exit status: 0 assembled, 1 assembly errors, 2 bad command line
`;

interface AsmArguments {
  file: string;
  includePaths: string[];
  defines: Record<string, string>;
  listing: boolean;
  output?: string;
}

/** Parses the command line; a string is a usage error message, 'help' asks for help. */
export function parseAsmArguments(args: readonly string[]): AsmArguments | string | 'help' {
  const parsed: Omit<AsmArguments, 'file'> & { file?: string } = { includePaths: [], defines: {}, listing: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (flag: string): string | undefined => (arg.length > flag.length ? arg.slice(flag.length) : args[++i]);
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--listing') parsed.listing = true;
    else if (arg.startsWith('-I')) {
      const dir = value('-I');
      if (dir === undefined) return 'option -I needs a directory';
      parsed.includePaths.push(dir);
    } else if (arg.startsWith('-D')) {
      const definition = value('-D');
      if (!definition) return 'option -D needs NAME[=VALUE]';
      const equals = definition.indexOf('=');
      parsed.defines[equals < 0 ? definition : definition.slice(0, equals)] = equals < 0 ? '1' : definition.slice(equals + 1);
    } else if (arg === '-o') {
      const output = args[++i];
      if (output === undefined) return 'option -o needs a file name';
      parsed.output = output;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
    else if (parsed.file !== undefined) return `only one input file may be given (got '${parsed.file}' and '${arg}')`;
    else parsed.file = arg;
  }
  if (parsed.file === undefined) return 'no input file';
  return { ...parsed, file: parsed.file };
}

export async function runAsmCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseAsmArguments(args);
  if (parsed === 'help') {
    io.stdout(ASM_HELP);
    return 0;
  }
  if (typeof parsed === 'string') {
    io.stderr(`lguest-debug asm: ${parsed}\n${ASM_HELP}`);
    return 2;
  }
  const module = assembleSource(parsed.file, nodeFileSystem, { includePaths: parsed.includePaths, defines: parsed.defines });
  for (const diagnostic of module.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  const failed = hasErrors(module.diagnostics);
  if (parsed.listing) io.stdout(`${formatListing(module)}\n`);
  if (parsed.output !== undefined && !failed) {
    try {
      writeFileSync(parsed.output, writeElfObject(module));
    } catch (error) {
      io.stderr(`lguest-debug asm: cannot write ${parsed.output}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  return failed ? 1 : 0;
}
