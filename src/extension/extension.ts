// The VS Code extension's entry: activation starts the language client for kernel-style .S files
// (the server is dist/languageServer.js in its own process). Owns: activation and deactivation.
// Must not know: the assembler or the emulator (they run behind the language server and, later,
// the debug adapter).
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'languageServer.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'lguest-asm' }],
  };
  client = new LanguageClient('lguest-asm', 'lguest-debug assembler', serverOptions, clientOptions);
  return client.start();
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
