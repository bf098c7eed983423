/**
 * The argument vzlint's lint worker threads get (after the script's arguments in their `process.argv`,
 * `lintWorker.ts`): the launcher (`launch.ts`) and the bundle's entry (`main.ts`) check for it before
 * loading `node:worker_threads` (5 ms of a one-file run, which never starts a thread), and only then ask
 * that module whether they run in a worker thread. Its own module: the launcher bundles nothing else of the CLI.
 */
export const WORKER_ARG = '--vzlint-worker-thread';
