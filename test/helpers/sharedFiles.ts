// Test access to the lguest sources in ../shared/lguest (never copied into the project).
// When the folder is absent, `lguestSkipReason` says so and tests skip with that message.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tests run from out/test/..., sources live beside it). */
export const repositoryRoot = resolve(__dirname, '..', '..', '..');

export const sharedLguestDirectory = resolve(repositoryRoot, '..', 'shared', 'lguest');

export const lguestFiles = {
  switcher: join(sharedLguestDirectory, 'switcher.S'),
  guestHead: join(sharedLguestDirectory, 'i386_head.S'),
} as const;

export const lguestSkipReason: string | false =
  existsSync(lguestFiles.switcher) && existsSync(lguestFiles.guestHead)
    ? false
    : `the lguest sources are not at ${sharedLguestDirectory} (../shared/lguest): they are the user's inputs and are read at test time, never copied`;

export function readLguestFile(which: keyof typeof lguestFiles): string {
  return readFileSync(lguestFiles[which], 'latin1');
}
