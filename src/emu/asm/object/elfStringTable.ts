// An ELF string table built the way BFD builds .strtab and .shstrtab: strings are added in order,
// duplicates share one entry, and a string that is a suffix of another (`.text` of `.rel.text`,
// `d1` of `und1`) is not written but points into the longer one. Offsets of the written strings
// follow their insertion order after the leading NUL.
// Must not know: what the strings name. Models the ELF gABI "String Table" and BFD's
// elf-strtab.c suffix merging (behaviour, measured against GNU as output).

export class ElfStringTable {
  private readonly strings: string[] = [];
  private readonly seen = new Set<string>();
  private offsets: Map<string, number> | undefined;
  private bytes: Uint8Array | undefined;

  add(value: string): void {
    if (value === '' || this.seen.has(value)) return;
    this.seen.add(value);
    this.strings.push(value);
    this.offsets = undefined;
  }

  offsetOf(value: string): number {
    if (value === '') return 0;
    this.finalize();
    const offset = this.offsets!.get(value);
    if (offset === undefined) throw new Error(`string not in table: ${value}`);
    return offset;
  }

  contents(): Uint8Array {
    this.finalize();
    return this.bytes!;
  }

  private finalize(): void {
    if (this.offsets) return;
    const hostOf = this.suffixHosts();
    const offsets = new Map<string, number>();
    let size = 1;
    for (const value of this.strings) {
      if (hostOf.has(value)) continue;
      offsets.set(value, size);
      size += value.length + 1;
    }
    for (const [value, host] of hostOf) offsets.set(value, offsets.get(host)! + host.length - value.length);
    const bytes = new Uint8Array(size);
    for (const value of this.strings) {
      if (hostOf.has(value)) continue;
      const at = offsets.get(value)!;
      for (let i = 0; i < value.length; i++) bytes[at + i] = value.charCodeAt(i) & 0xff;
    }
    this.offsets = offsets;
    this.bytes = bytes;
  }

  /** Maps each string that is a proper suffix of a longer one to that longer string. */
  private suffixHosts(): Map<string, string> {
    const sorted = [...this.strings].sort(compareReversed);
    const hosts = new Map<string, string>();
    let host = sorted[sorted.length - 1];
    for (let i = sorted.length - 2; i >= 0; i--) {
      const candidate = sorted[i]!;
      if (host !== undefined && host.length > candidate.length && host.endsWith(candidate)) hosts.set(candidate, host);
      else host = candidate;
    }
    return hosts;
  }
}

/** Orders strings by their characters read from the end (BFD's strrevcmp). */
function compareReversed(a: string, b: string): number {
  let i = a.length - 1;
  let j = b.length - 1;
  while (i >= 0 && j >= 0) {
    const difference = a.charCodeAt(i) - b.charCodeAt(j);
    if (difference !== 0) return difference;
    i--;
    j--;
  }
  return a.length - b.length;
}
