/**
 * Node-scale bench (prints, asserts nothing): a node with N container configs on disk; the language server
 * (`dist/server.js`, or the bundle named by VZCONF_BENCH_SERVER, e.g. an older build for before/after)
 * opens M of them at once and then gets keystrokes in one.
 *
 *   npm run bench:node -- [M:N ...]     default: 100:100 200:200 500:500 1:10000
 *   (VZCONF_BENCH_TIMEOUT_MS bounds each wait; default 120000)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NodeSession, runNodeScale, writeNode } from '../helpers/nodeScale';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = process.env.VZCONF_BENCH_SERVER ?? path.join(ROOT, 'dist', 'server.js');

async function main(): Promise<void> {
  const cases = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['100:100', '200:200', '500:500', '1:10000']).map((c) => c.split(':').map(Number) as [number, number]);
  console.log(`server: ${SERVER}; node ${process.version}; ${os.cpus().length} CPUs`);
  for (const [open, onDisk] of cases) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-node-bench-'));
    const session = new NodeSession(SERVER, ROOT);
    try {
      const conf = await writeNode(root, onDisk);
      await session.initialize(root);
      const r = await runNodeScale(session, conf, open, onDisk, 10, Number(process.env.VZCONF_BENCH_TIMEOUT_MS ?? 120_000));
      console.log(`open ${String(open).padStart(5)} of ${String(onDisk).padStart(5)} on disk: ${r.openMs.toFixed(0).padStart(7)} ms, ${String(r.openPublishes).padStart(6)} publishes; ` +
        `keystroke median ${r.keystrokeMedianMs.toFixed(1)} ms (max ${r.keystrokeMaxMs.toFixed(1)}), ${r.keystrokePublishes} publishes for ${r.keystrokes} keystrokes, ${r.keystrokeDiskReads} disk reads; server RSS ${r.rssMiB.toFixed(0)} MiB`);
    } catch (err) {
      console.log(`open ${open} of ${onDisk}: ${(err as Error).message}`);
    } finally {
      await session.stop();
      await rm(root, { recursive: true, force: true });
    }
  }
}

void main();
