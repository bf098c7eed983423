/**
 * The language server run in this process (`startServer` over a pair of in-memory streams), so that a
 * test can give it a file-system layer of its own (`StartServerOptions.fs`) and decide when each read
 * completes ({@link GatedFs}): races between a lint and the editor's messages become deterministic.
 */
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';
import type { NodeFs } from '../../server/src/service/nodeCache';
import { BoundedReadError } from '../../server/src/util/boundedRead';

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

/**
 * An in-memory node whose reads of chosen files wait until the test releases them. `waiting(p)` resolves
 * when a read of `p` has been asked for and is held; `release(p)` lets every held read of `p` complete.
 */
export class GatedFs implements NodeFs {
  private readonly held = new Map<string, { release: () => void; released: Promise<void> }>();
  private readonly asked = new Map<string, { resolve: () => void; promise: Promise<void> }>();

  /** `files`: absolute path -> text; `gated`: the paths whose reads wait for {@link release}. */
  constructor(readonly files: Map<string, string>, gated: readonly string[]) {
    for (const p of gated) {
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.held.set(p, { release, released });
    }
  }

  private askedFor(p: string): { resolve: () => void; promise: Promise<void> } {
    let a = this.asked.get(p);
    if (!a) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      a = { resolve, promise };
      this.asked.set(p, a);
    }
    return a;
  }

  /** Resolves once a read of `p` is being held. */
  waiting(p: string): Promise<void> {
    return this.askedFor(p).promise;
  }

  /** Lets the held reads of `p` (and later ones) complete. */
  release(p: string): void {
    this.held.get(p)?.release();
  }

  async readText(p: string): Promise<{ text: string } | { error: BoundedReadError }> {
    const gate = this.held.get(p);
    if (gate) {
      this.askedFor(p).resolve();
      await gate.released;
    }
    const t = this.files.get(p);
    return t === undefined ? { error: new BoundedReadError(p, 'missing', 'no such file') } : { text: t };
  }

  async listDir(dir: string): Promise<string[]> {
    return [...this.files.keys()].filter((p) => path.dirname(p) === dir).map((p) => path.basename(p));
  }

  async isFile(p: string): Promise<boolean> {
    return this.files.has(p);
  }
}
