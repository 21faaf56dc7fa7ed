// Hover text for an instruction mnemonic under the cursor, from the instruction table's summaries
// through GNU as's spelling rules (`movl` -> mov, `jne` -> jne's row). Owns: the word-to-text step.
// Must not know: LSP.
import { resolveGasMnemonic } from '../emu/asm/encoder/gasMnemonics';
import { describeOpcode } from '../emu/isa/instructionTable';

/** Markdown for the mnemonic `word`, or undefined when it is not an instruction. */
export function hoverForMnemonic(word: string): string | undefined {
  const resolution = resolveGasMnemonic(word.toLowerCase(), word);
  if (!resolution.ok) return undefined;
  const { spelling } = resolution.resolved;
  const forms = spelling.forms;
  if (forms.length === 0) return undefined;
  const summaries = [...new Set(forms.map((form) => form.summary))];
  const encodings = forms.slice(0, 8).map((form) => `- \`${describeOpcode(form)}\``);
  const more = forms.length > 8 ? [`- … ${forms.length - 8} more forms`] : [];
  return [`**${spelling.stem}**`, '', ...summaries, '', ...encodings, ...more].join('\n');
}

/** The identifier-like word around `character` on `line` (mnemonics, labels, %registers). */
export function wordAt(line: string, character: number): string | undefined {
  const isWordChar = (c: string) => /[A-Za-z0-9_.%$]/.test(c);
  let start = character;
  while (start > 0 && isWordChar(line[start - 1]!)) start--;
  let end = character;
  while (end < line.length && isWordChar(line[end]!)) end++;
  return end > start ? line.slice(start, end) : undefined;
}
