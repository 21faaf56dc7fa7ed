// The one error type the image loaders throw: a message a user can act on (which file, which
// field, what was expected). Owns: nothing else. Must not know: where images come from.

export class LoaderError extends Error {
  override readonly name = 'LoaderError';
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
