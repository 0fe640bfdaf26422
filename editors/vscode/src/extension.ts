// The VS Code extension: starts `kubeharden lsp` and hands it the editor's settings. All the
// linting, fixes and docs are the server's; this file only wires VS Code to it.
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { resolveBinary, serverSettings } from './settings';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('kubeharden', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('kubeharden.restart', () => restart()),
    vscode.commands.registerCommand('kubeharden.showOutput', () => output?.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The binary is fixed for a server's life; the other settings reach the running server.
      if (event.affectsConfiguration('kubeharden.path')) void restart();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function restart(): Promise<void> {
  await deactivate();
  await start();
}

async function start(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('kubeharden');
  const configured = configuration.get<string>('path');
  const command = resolveBinary(configured);
  if (!command) {
    const where = configured?.trim()
      ? `kubeharden.path (${configured}) is not an executable`
      : '`kubeharden` is not on PATH';
    const choice = await vscode.window.showErrorMessage(
      `kubeharden: ${where}. Install it with \`cargo install --locked --profile release-cli --git https://github.com/kubeharden/kubeharden kubeharden-cli\`, or set kubeharden.path.`,
      'Open Settings',
    );
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'kubeharden.path');
    return;
  }
  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command, args: ['lsp'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'untitled', language: 'json' },
    ],
    // The first lint uses these; later changes arrive through workspace/configuration.
    initializationOptions: serverSettings((key) => configuration.get(key)),
    outputChannel: output,
    traceOutputChannel: output,
  };
  client = new LanguageClient('kubeharden', 'kubeharden', serverOptions, clientOptions);
  await client.start();
}
