/**
 * Node-scale bench (prints, asserts nothing): a node with N container configs on disk; the language server
 * (`dist/server.js`, or the bundle named by VZCONF_BENCH_SERVER, e.g. an older build for before/after)
 * opens M of them at once and then gets keystrokes in one. This measures the per-node cache (issue 8,
 * item 3): cross-container results are recomputed only when one of the node's files changed.
 *
 *   npm run bench:node -- [M:N ...]     default: 100:100 200:200 500:500 1:10000
 *   npm run bench -- --only node        200:200 and 1:10000, as part of the bench
 *   (VZCONF_BENCH_TIMEOUT_MS bounds each wait; default 120000)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NodeSession, runNodeScale, writeNode } from '../helpers/nodeScale';
import { report } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = process.env.VZCONF_BENCH_SERVER ?? path.join(ROOT, 'dist', 'server.js');

/** Runs each `[open, onDisk]` case against the server bundle; one `report` line per case (no target). */
export async function nodeScaleBench(cases: [number, number][], keystrokes = 10): Promise<void> {
  console.log(`\nA node in the language server (per-node cache; ${path.relative(ROOT, SERVER)})`);
  for (const [open, onDisk] of cases) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vzconf-node-bench-'));
    const session = new NodeSession(SERVER, ROOT);
    const figure = `open ${open} of ${onDisk} containers, then ${keystrokes} keystrokes in one`;
    try {
      const conf = await writeNode(root, onDisk);
      await session.initialize(root);
      const r = await runNodeScale(session, conf, open, onDisk, keystrokes, Number(process.env.VZCONF_BENCH_TIMEOUT_MS ?? 120_000));
      report('node', figure,
        `open ${r.openMs.toFixed(0)} ms (${r.openPublishes} publishes); keystroke median ${r.keystrokeMedianMs.toFixed(1)} ms (max ${r.keystrokeMaxMs.toFixed(1)}), ` +
        `${r.keystrokePublishes} publishes, ${r.keystrokeDiskReads} disk reads; server RSS ${r.rssMiB.toFixed(0)} MiB`);
    } catch (err) {
      report('node', figure, `failed: ${(err as Error).message}`);
    } finally {
      await session.stop();
      await rm(root, { recursive: true, force: true });
    }
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const cases = (args.length > 0 ? args : ['100:100', '200:200', '500:500', '1:10000']).map((c) => c.split(':').map(Number) as [number, number]);
  console.log(`node ${process.version}; ${os.cpus().length} CPUs`);
  void nodeScaleBench(cases);
}
