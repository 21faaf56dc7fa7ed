// Runs `node --test` over the transpiled test files (out/test/**/*.test.js). Node 20 treats every
// .js file under a directory named test as a test file, so helpers would count as tests if the
// directory were passed instead of the list. Extra arguments are passed through to node, and
// arguments without a leading dash select test files whose path contains them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testRoot = join(root, 'out', 'test');

function listTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const nodeArgs = args.filter((a) => a.startsWith('-'));
const files = listTests(testRoot).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const result = spawnSync(process.execPath, ['--test', ...nodeArgs, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
