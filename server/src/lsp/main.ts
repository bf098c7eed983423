/**
 * Entry point of the vzconf language server (bundled as `dist/server.js`).
 *
 *   node dist/server.js --stdio          LSP over stdin/stdout
 *   node dist/server.js --node-ipc       LSP over Node IPC (what vscode-languageclient uses)
 *   node dist/server.js --socket=PORT    LSP over a TCP socket
 *   node dist/server.js --pipe=NAME      LSP over a named pipe / Unix socket
 *   node dist/server.js --version        print the version and exit
 *
 * The transport itself is picked by `createConnection` of vscode-languageserver from the same flags.
 */
import process from 'node:process';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, VERSION } from './server';

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
  const connection = createConnection(ProposedFeatures.all);
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

main(process.argv.slice(2));
