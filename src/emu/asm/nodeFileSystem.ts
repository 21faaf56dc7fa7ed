// The SourceFileSystem backed by Node's fs, for the CLI, tests and the debug adapter.
// Must not be imported by the assembler core (it takes a SourceFileSystem instead).
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceFileSystem } from './sourceFileSystem';

export const nodeFileSystem: SourceFileSystem = {
  readFile(path: string): string | undefined {
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path, 'latin1');
    } catch {
      return undefined;
    }
  },
  resolve: (directory, relative) => resolve(directory, relative),
  dirname: (path) => dirname(path),
};
