// Reads what test/harness/kernels/sources/mbiDump.S prints on COM1: "E eax ebx esp", then
// "R addr len hex" per memory region, then "D". Owns: that line format only.

export interface MbiDump {
  readonly eax: number;
  readonly ebx: number;
  readonly esp: number;
  readonly regions: readonly { readonly address: number; readonly bytes: Uint8Array }[];
  readonly complete: boolean;
}

export function parseMbiDump(serial: string): MbiDump {
  let eax = NaN;
  let ebx = NaN;
  let esp = NaN;
  let complete = false;
  const regions: { address: number; bytes: Uint8Array }[] = [];
  for (const line of serial.split('\n')) {
    if (line.startsWith('E')) [eax, ebx, esp] = line.slice(1).trim().split(/\s+/).map((h) => parseInt(h, 16)) as [number, number, number];
    else if (line.startsWith('R')) {
      const [address, length, data = ''] = line.slice(1).trim().split(/\s+/);
      const bytes = Uint8Array.from(data.match(/../g) ?? [], (h) => parseInt(h, 16));
      if (bytes.length !== parseInt(length!, 16)) throw new Error(`truncated region line: ${line.slice(0, 40)}...`);
      regions.push({ address: parseInt(address!, 16), bytes });
    } else if (line.startsWith('D')) complete = true;
  }
  return { eax, ebx, esp, regions, complete };
}
