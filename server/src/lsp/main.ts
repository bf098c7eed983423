/**
 * Entry point of the vzconf language server (bundled as `dist/server.js`).
 *
 *   node dist/server.js --stdio          LSP over stdin/stdout
 *   node dist/server.js --node-ipc       LSP over Node IPC (what vscode-languageclient uses)
 *   node dist/server.js --socket=PORT    LSP over a TCP socket
 *   node dist/server.js --pipe=NAME      LSP over a named pipe / Unix socket
 *   node dist/server.js --version        print the version and exit
 *
 * The transport is built here (not by vscode-languageserver) so that byte streams are read strictly and
 * lifecycle errors are answered per the specification (see transport.ts): a malformed frame is logged
 * and the server exits with status 1; a request before `initialize` gets ServerNotInitialized, after
 * `shutdown` InvalidRequest. When the input ends, the server exits (0 after `shutdown`, else 1).
 */
import { createConnection as netConnection } from 'node:net';
import process from 'node:process';
import { inspect } from 'node:util';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { startServer, VERSION } from './server';
import { ProtocolGate, SingleWriteMessageWriter, StrictStreamMessageReader } from './transport';

const USAGE = 'usage: vzconf-language-server (--stdio | --node-ipc | --socket=PORT | --pipe=NAME) [--clientProcessId=PID]\n' +
  '       vzconf-language-server --version';

/** Whether the command line names a transport vscode-languageserver understands. */
function hasTransport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--socket=\d+$/.test(a) || /^--pipe=.+/.test(a));
}

function main(argv: readonly string[]): void {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`vzconf-language-server ${VERSION}\n`);
    process.exit(0);
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!hasTransport(argv)) {
    process.stderr.write(`vzconf-language-server: no transport given; an editor starts this server with one of them.\n${USAGE}\n`);
    process.exit(2);
  }
  const transport = openTransport(argv);
  const gate = new ProtocolGate(transport.reader, transport.writer);
  const connection = createConnection(ProposedFeatures.all, gate, transport.writer);
  if (transport.stdio) {
    // stdout carries the protocol: anything a library prints goes to stderr instead.
    const toStderr = (...args: unknown[]): void => {
      process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')}\n`);
    };
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
    console.warn = toStderr;
  }
  let exiting = false;
  transport.reader.onError((err) => {
    if (exiting) return;
    exiting = true;
    const text = `vzconf: ${err instanceof Error ? err.message : String(err)}; the connection cannot be trusted any more, exiting`;
    process.stderr.write(`${text}\n`);
    try {
      connection.console.error(text);
    } catch {
      // no connection left
    }
    // Let the log message leave, then end with a failure status.
    setTimeout(() => process.exit(1), 50);
  });
  transport.reader.onClose(() => {
    if (exiting) return;
    exiting = true;
    process.exit(gate.state === 'shutdown' ? 0 : 1);
  });
  // A bug in a handler must not take the server (and every open editor's diagnostics) down.
  process.on('uncaughtException', (err) => {
    connection.console.error(`vzconf: uncaught exception: ${err.stack ?? err.message}`);
  });
  process.on('unhandledRejection', (reason) => {
    connection.console.error(`vzconf: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  startServer(connection);
  connection.listen();
}

/** The reader and writer of the transport the command line names. */
function openTransport(argv: readonly string[]): { reader: MessageReader; writer: MessageWriter; stdio: boolean } {
  if (argv.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
  const socket = argv.map((a) => /^--socket=(\d+)$/.exec(a)?.[1]).find((p) => p !== undefined);
  const pipe = argv.map((a) => /^--pipe=(.+)$/.exec(a)?.[1]).find((p) => p !== undefined);
  if (socket !== undefined || pipe !== undefined) {
    const s = socket !== undefined ? netConnection(Number(socket), '127.0.0.1') : netConnection(pipe as string);
    return { reader: new StrictStreamMessageReader(s), writer: new SingleWriteMessageWriter(s), stdio: false };
  }
  return { reader: new StrictStreamMessageReader(process.stdin), writer: new SingleWriteMessageWriter(process.stdout), stdio: true };
}

main(process.argv.slice(2));
