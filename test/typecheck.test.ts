// The whole tree type-checks under `strict` (tsc --noEmit), as part of the test run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './helpers/sharedFiles';

test('tsc --noEmit -p . reports no errors', () => {
  const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', repositoryRoot], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
});
