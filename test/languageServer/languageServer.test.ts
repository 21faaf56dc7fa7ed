// The built language server (dist/languageServer.js) over JSON-RPC on stdio, as an editor drives
// it: diagnostics with the right range while a buffer is edited, labels as document symbols, and
// mnemonic hovers. No VS Code needed; waits on messages, never on sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { repositoryRoot } from '../helpers/sharedFiles';

function startServer() {
  const child = spawn(process.execPath, [join(repositoryRoot, 'dist', 'languageServer.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics: { uri: string; diagnostics: { message: string; range: { start: { line: number; character: number } }; severity: number }[] }[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    diagnostics.push(params);
    waiters.splice(0).forEach((wake) => wake());
  });
  // After `exit` the server closes its end; a late write from our side is not a test failure.
  connection.onError(() => undefined);
  child.stdin.on('error', () => undefined);
  connection.listen();
  const nextDiagnostics = (uri: string, count: number) =>
    new Promise<(typeof diagnostics)[number]>((resolve) => {
      const check = () => {
        const mine = diagnostics.filter((d) => d.uri === uri);
        if (mine.length >= count) resolve(mine[count - 1]!);
        else waiters.push(check);
      };
      check();
    });
  return { child, connection, nextDiagnostics };
}

test('diagnostics follow edits; symbols and hovers answer', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'lgd-lsp-'));
  const path = join(directory, 'edit.S');
  const text = '#include <linux/linkage.h>\nENTRY(start)\n\tmovl $1, %eax\n\tfrobnicate %eax\nlocal_label:\n\tret\n';
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const { child, connection, nextDiagnostics } = startServer();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    connection.sendNotification('initialized', {});
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'lguest-asm', version: 1, text } });
    const first = await nextDiagnostics(uri, 1);
    assert.equal(first.diagnostics.length, 1);
    assert.match(first.diagnostics[0]!.message, /frobnicate/);
    assert.deepEqual(first.diagnostics[0]!.range.start, { line: 3, character: 1 });

    const fixed = text.replace('frobnicate', 'incl');
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const second = await nextDiagnostics(uri, 2);
    assert.deepEqual(second.diagnostics, []);

    const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; range: { start: { line: number } } }[];
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line]).sort(), [['local_label', 4], ['start', 1]]);

    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } })) as { contents: { value: string } } | null;
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*mov\*\*/);
    const noHover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 10 } });
    assert.equal(noHover, null, 'no hover on %eax from the language server (the debugger shows values)');

    await connection.sendRequest('shutdown');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    connection.sendNotification('exit');
    await exited;
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
});
