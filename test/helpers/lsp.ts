import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/** Upper bound of every wait in the protocol tests: a missing answer fails the test instead of hanging it. */
export const TIMEOUT_MS = 10_000;

/** Rejects when `promise` has not settled after `ms` milliseconds, naming `what` was awaited. */
export function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A language server child process speaking LSP over stdio, and the JSON-RPC connection to it (not yet listening). */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  conn: MessageConnection;
}

/** Starts `node <serverJs> --stdio` in `cwd`; the caller registers its handlers, then calls `conn.listen()`. */
export function startServer(serverJs: string, cwd: string): ServerProcess {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { cwd, stdio: 'pipe' });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  return { child, conn };
}

/** Shuts the server down politely (shutdown + exit, bounded), then kills it if it is still running. */
export async function stopServer(server: Partial<ServerProcess>): Promise<void> {
  const { child, conn } = server;
  try {
    if (conn) {
      await withTimeout(conn.sendRequest('shutdown'), 'shutdown', 2_000).catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      conn.dispose();
    }
  } finally {
    if (child && child.exitCode === null && !child.killed) child.kill();
  }
}
