/**
 * The language server run in this process (`startServer` over a pair of in-memory streams), so that a
 * test can give it a file-system layer of its own (`StartServerOptions.fs`) and decide when each read
 * completes (`GatedFs`, test/helpers/gatedFs.ts): races between a lint and the editor's messages become
 * deterministic.
 */
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';
import type { NodeFs } from '../../server/src/service/nodeCache';

/** A server started in-process and the client end of its connection (not yet listening). */
export interface InProcessServer {
  client: MessageConnection;
  /** Disposes both ends (the server never calls process.exit here: no `exit` is sent). */
  dispose(): void;
}

/** Starts the server with `fs` as its node cache's file system; register handlers, then `client.listen()`. */
export function startInProcess(fs: NodeFs): InProcessServer {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Reader and writer objects, not streams: with streams vscode-languageserver exits the process when they end.
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(connection, { fs });
  connection.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  return {
    client,
    dispose() {
      client.dispose();
      connection.dispose();
    },
  };
}

export { GatedFs } from './gatedFs';
