/**
 * vzconf VS Code extension entry point.
 *
 * The extension is deliberately thin: every language feature (diagnostics, hover, completion,
 * quick fixes, ...) lives in the language server bundled as `dist/server.js`. This module only
 * starts that server over Node IPC and connects it to the `vzconf` language.
 */
import type { ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** The running client, kept so that {@link deactivate} can stop it. */
let client: LanguageClient | undefined;

/**
 * Activates the extension: starts the vzconf language server (`dist/server.js`) and connects a
 * language client to it for `vzconf` documents in `file` and `untitled` schemes.
 *
 * @param context The extension context supplied by VS Code; used to resolve the server path.
 * @returns A promise that settles once the client has been started.
 */
export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');

  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'vzconf' },
      { scheme: 'untitled', language: 'vzconf' },
    ],
    synchronize: { configurationSection: 'vzconf' },
    outputChannelName: 'vzconf',
  };

  client = new LanguageClient('vzconf', 'vzconf', serverOptions, clientOptions);
  await client.start();
}

/**
 * Deactivates the extension: stops the language client (and with it the server process).
 *
 * @returns A promise that settles once the client has stopped, or immediately if none was running.
 */
export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  // `stop()` throws unless the client is running (e.g. after a failed start).
  if (running === undefined || !running.isRunning()) {
    return;
  }
  await running.stop();
}
