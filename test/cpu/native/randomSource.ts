// A seeded pseudo-random source (xorshift128) so that every run generates the same cases, with
// pickers biased towards the edge values where arithmetic goes wrong.
// Must not know: instructions.

const EDGE_32: readonly number[] = [
  0, 1, 2, -1, -2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001,
  0xfffffffe, 0x55555555, 0xaaaaaaaa, 0x0f0f0f0f, 0x99, 0x09, 0x0a, 0x10, 0x7ffe, 0xff7f, 0x8001,
];

export class Random {
  private x: number;
  private y = 362436069;
  private z = 521288629;
  private w = 88675123;

  constructor(seed: number) {
    this.x = seed | 0 || 123456789;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uniformly random int32. */
  next(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8));
    return this.w | 0;
  }

  /** 0 <= n < bound. */
  below(bound: number): number {
    return (this.next() >>> 0) % bound;
  }

  chance(probability: number): boolean {
    return (this.next() >>> 0) / 0x100000000 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** An int32 for an operand of `bytes` width: half edge values, half random; upper bits random. */
  value(bytes: number): number {
    const edge = this.chance(0.5);
    let low = edge ? this.pick(EDGE_32) : this.next();
    if (edge && this.chance(0.3)) low = bytes === 4 ? low : (low << (32 - bytes * 8)) >> (32 - bytes * 8);
    if (bytes === 4) return low | 0;
    const mask = bytes === 2 ? 0xffff : 0xff;
    return (this.next() & ~mask) | (low & mask);
  }

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.next() & 0xff;
    return out;
  }
}
