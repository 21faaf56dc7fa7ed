// The built debug adapter (dist/debugAdapter.js) driven over DAP by @vscode/debugadapter-testsupport,
// as an editor would: launch the world-switch example stopped on entry, put a breakpoint on a
// label line (it moves to the next instruction), continue into the switch code, read registers,
// hover a register, step a line, and run to the end with the guest's COM1 output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { repositoryRoot } from '../helpers/sharedFiles';

const example = join(repositoryRoot, 'examples', 'worldSwitch.S');
const exampleLines = readFileSync(example, 'utf8').split('\n');
const lineOf = (text: string, after = 0) => exampleLines.findIndex((line, i) => i >= after && line.trim() === text) + 1;

async function startClient(): Promise<DebugClient> {
  const client = new DebugClient('node', join(repositoryRoot, 'dist', 'debugAdapter.js'), 'lguest');
  await client.start();
  return client;
}

test('launch, breakpoint on a label, registers, hover, step, run to exit', async () => {
  const client = await startClient();
  try {
    const entryLine = lineOf('cli', lineOf('kernel_entry:') - 1);
    await Promise.all([
      client.configurationSequence(),
      client.launch({ program: example, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments),
      client.assertStoppedLocation('entry', { path: example, line: entryLine }),
    ]);

    const labelLine = lineOf('leave_guest:');
    const set = await client.setBreakpointsRequest({ source: { path: example }, breakpoints: [{ line: labelLine }] });
    assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.line]), [[true, labelLine + 1]], 'moved to the first instruction after the label');

    await Promise.all([client.continueRequest({ threadId: 1 }), client.assertStoppedLocation('breakpoint', { path: example, line: labelLine + 1 })]);
    const scopes = await client.scopesRequest({ frameId: 0 });
    assert.equal(scopes.body.scopes[0]!.presentationHint, 'registers');
    const groups = await client.variablesRequest({ variablesReference: scopes.body.scopes[0]!.variablesReference });
    const segments = groups.body.variables.find((v) => v.name === 'Segments')!;
    const segmentValues = await client.variablesRequest({ variablesReference: segments.variablesReference });
    assert.match(segmentValues.body.variables.find((v) => v.name === 'cs')!.value, /^0x0050 /, 'the trap entered the switch code segment');
    assert.match(segmentValues.body.variables.find((v) => v.name === 'ss')!.value, /^0x0058 /, 'on the guest TSS ring-0 stack');

    const hover = await client.evaluateRequest({ expression: '%eax', context: 'hover', frameId: 0 });
    assert.match(hover.body.result, /^0x00000001 \(1\)$/, 'eax holds HCALL_PRINT at the first hypercall');

    await Promise.all([client.stepInRequest({ threadId: 1 }), client.assertStoppedLocation('step', { path: example, line: labelLine + 2 })]);

    await client.setBreakpointsRequest({ source: { path: example }, breakpoints: [] });
    const output: string[] = [];
    client.on('output', (event: DebugProtocol.OutputEvent) => output.push(event.body.output));
    await Promise.all([client.continueRequest({ threadId: 1 }), client.waitForEvent('terminated')]);
    assert.match(output.join(''), /fib\(25\) = 0x00012511/);
  } finally {
    await client.stop();
  }
});

test('a launch that cannot assemble fails with the diagnostics', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest();
    await assert.rejects(client.launch({ program: join(repositoryRoot, 'test', 'debugAdapter', 'missing.S') } as DebugProtocol.LaunchRequestArguments), /program not found/);
  } finally {
    await client.stop();
  }
});
