// Reads a plain `.s` file (no C preprocessor) into GAS lines, doing what GAS's input scrubber does
// before statements are parsed: `/* ... */` comments (possibly spanning lines) become blanks, a line
// whose first non-blank character is `/` is a comment, and `# LINE "FILE"` markers renumber the
// lines that follow. `#` comments elsewhere are left for the statement splitter (they need string
// awareness per statement). Blanking keeps columns, so every piece stays verbatim.
// Must not know: statements or directives. Models GAS manual §3.3 "Comments" (i386 Linux flavour).
import { verbatimLine, type GasLine } from './gasLine';
import type { ExpansionChain } from '../sourceLocation';
import type { LineSource, SourceKind } from './inputStack';

const LINE_MARKER = /^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"/;

interface ScrubState {
  inBlockComment: boolean;
}

/** Blanks comments of one physical line; returns the scrubbed text. */
function scrubLine(line: string, state: ScrubState): string {
  if (!state.inBlockComment && line.indexOf('/') < 0) return line;
  let out = '';
  let i = 0;
  let inString = false;
  let seenNonBlank = false;
  while (i < line.length) {
    const c = line[i]!;
    if (state.inBlockComment) {
      if (c === '*' && line[i + 1] === '/') {
        state.inBlockComment = false;
        out += '  ';
        i += 2;
      } else {
        out += ' ';
        i++;
      }
      continue;
    }
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < line.length) out += line[++i];
      else if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '/' && line[i + 1] === '*') {
      state.inBlockComment = true;
      out += '  ';
      i += 2;
      continue;
    }
    if (c === '/' && !seenNonBlank) return out + ' '.repeat(line.length - i);
    if (c === '#') return out + line.slice(i);
    if (c === '"') inString = true;
    if (c !== ' ' && c !== '\t') seenNonBlank = true;
    out += c;
    i++;
  }
  return out;
}

/** Reads `text` lazily, one scrubbed line at a time (a 10 MB file never exists as 500k objects at once). */
export class SourceTextSource implements LineSource {
  readonly kind: SourceKind;
  private position = 0;
  private physicalLine = 0;
  private readonly state: ScrubState = { inBlockComment: false };
  private currentFile: string;
  private lineOffset = 0;

  constructor(
    private readonly text: string,
    readonly file: string,
    private readonly frames: ExpansionChain = [],
    kind: 'file' | 'include' = 'file',
  ) {
    this.kind = kind;
    this.currentFile = file;
  }

  hasMore(): boolean {
    return this.position < this.text.length;
  }

  next(): GasLine {
    const newline = this.text.indexOf('\n', this.position);
    const end = newline < 0 ? this.text.length : newline;
    let raw = this.text.slice(this.position, end);
    this.position = end + 1;
    const index = this.physicalLine++;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const wasInComment = this.state.inBlockComment;
    const scrubbed = scrubLine(raw, this.state);
    const marker = !wasInComment && scrubbed.startsWith('#') ? LINE_MARKER.exec(scrubbed) : null;
    if (marker) {
      this.currentFile = marker[2]!.replace(/\\(.)/g, '$1');
      this.lineOffset = Number(marker[1]) - (index + 2);
      return verbatimLine('', this.currentFile, index + 1 + this.lineOffset, this.frames);
    }
    return verbatimLine(scrubbed, this.currentFile, index + 1 + this.lineOffset, this.frames);
  }
}

/** Splits `text` into scrubbed lines located in `file` (or where line markers say). */
export function linesFromSource(text: string, file: string, frames: ExpansionChain = []): GasLine[] {
  const source = new SourceTextSource(text, file, frames);
  const lines: GasLine[] = [];
  while (source.hasMore()) lines.push(source.next());
  return lines;
}
