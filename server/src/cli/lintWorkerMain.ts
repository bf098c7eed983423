/**
 * Worker-thread entry of vzlint when run from the TypeScript sources (the tests, through tsx); the bundle
 * `dist/vzlint.js` is its own worker entry (see `main.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { runLintWorker } from './lintWorker';

if (parentPort) runLintWorker(parentPort);
