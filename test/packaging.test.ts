// `npm run package` writes a .vsix that VS Code can install: a valid zip with the VSIX manifest, the
// content types, and the files the manifest points at (main, the debug adapter, the language server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repositoryRoot } from './helpers/sharedFiles';

/** Entries of a zip archive, read through its central directory. */
function readZip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'end of central directory record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

test('the .vsix holds the manifest and every file package.json refers to', () => {
  const output = join(mkdtempSync(join(tmpdir(), 'lgd-vsix-')), 'out.vsix');
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'scripts', 'package.mjs'), output], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const entries = readZip(readFileSync(output));
  assert.match(entries.get('extension.vsixmanifest')!.toString(), /Microsoft\.VisualStudio\.Code\.Manifest/);
  assert.ok(entries.has('[Content_Types].xml'));
  const manifest = JSON.parse(entries.get('extension/package.json')!.toString()) as { main: string; contributes: { debuggers: { program: string }[] } };
  for (const file of [manifest.main, manifest.contributes.debuggers[0]!.program, './dist/languageServer.js']) {
    assert.ok(entries.has(`extension/${file.replace(/^\.\//, '')}`), `${file} is packaged`);
  }
  assert.ok(![...entries.keys()].some((name) => name.startsWith('extension/src/') || name.includes('node_modules')), 'sources and node_modules stay out');
});
