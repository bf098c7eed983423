/**
 * vzlint over large trees on several cores: worker threads read and lint batches of a node's container
 * configs (with the node's vz.conf, analysed once per worker) and send back what the main thread keeps of
 * each — findings and the values the node checks compare (`ContainerFacts`), never a parsed document. The
 * main thread (`vzlint.ts`) hands out batches, takes the answers in file order (so the output is the same
 * as without workers, byte for byte) and runs the node checks.
 *
 * Used only when a run has many files ({@link LintPool.wanted}); one file never starts a thread. The same
 * code runs in the thread: `dist/vzlint.js` itself (the bundle starts {@link runLintWorker} when it is not
 * the main thread), or `lintWorkerMain.ts` from the TypeScript sources.
 */
import type { Worker as WorkerType, MessagePort } from 'node:worker_threads';
import path from 'node:path';
import { OptionError } from '../service/lint';
import { NodeLinter, type LintedContainer, type NodeFile, type NodeLintOptions } from '../service/node';
import { ConfigReader, fileSizeOf } from './read';
import { WORKER_ARG } from './threadArg';

/** Options of a node as the worker needs them (plain data; `capacity` holds bigints, which threads can send). */
export type WorkerNodeOptions = Pick<NodeLintOptions, 'target' | 'kind' | 'targetSource' | 'kindSource' | 'rules' | 'knownParameters' | 'ignoreSuppressions' | 'capacity'>;

/** main → worker */
export type ToWorker =
  | { type: 'node'; node: number; nodeConfig?: NodeFile; samples?: string[]; options: WorkerNodeOptions }
  | { type: 'batch'; node: number; seq: number; files: string[] };

/** What became of one file of a batch. */
export type FileAnswer =
  /** A container: its findings and facts. */
  | { linted: LintedContainer }
  /**
   * Not a container after all (kind set otherwise), or too large to check (`sizeBytes`): its text, for
   * the main thread to lint with the node, and (read whole) `fileBytes`, its size in bytes.
   */
  | { other: { text: string; sizeBytes?: number; sizeAtLeast?: true; fileBytes?: number } }
  /** Not readable: the phrase for the message. */
  | { readError: string }
  /** The engine failed on it. */
  | { internal: { name: string; message: string; stack?: string } }
  /** An invalid target or kind option (stops the run, as in the main thread). */
  | { optionError: string };

/** worker → main */
export interface FromWorker {
  seq: number;
  answers: FileAnswer[];
}

/**
 * What becomes of one container config of a node: read (bounded, see `read.ts`) and linted with the node's
 * {@link NodeLinter} (`lintAlone`). The same in a worker thread and in the main thread, which lints a share
 * of every node's batches itself (see {@link LintPool.claim}); never throws.
 */
export async function answerFile(linter: NodeLinter | undefined, optionError: string | undefined, reader: ConfigReader, p: string): Promise<FileAnswer> {
  if (!linter) return optionError !== undefined ? { optionError } : { internal: { name: 'Error', message: 'worker has no node for this batch' } };
  const read = await reader.read(p);
  if ('error' in read) return { readError: read.error };
  // A file too large to check goes back to the main thread, which tells when no finding says so.
  if (read.sizeBytes !== undefined) return { other: { text: read.text, sizeBytes: read.sizeBytes, ...(read.sizeAtLeast === true ? { sizeAtLeast: true } : {}) } };
  const size = fileSizeOf(read);
  const file: NodeFile = { path: p, text: read.text, ...(size !== undefined ? { sizeBytes: size } : {}) };
  try {
    const linted = linter.lintAlone(file);
    return linted ? { linted } : { other: { text: read.text, ...(size !== undefined ? { fileBytes: size } : {}) } };
  } catch (err) {
    if (err instanceof OptionError) return { optionError: err.message };
    return { internal: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack !== undefined ? { stack: err.stack } : {}) } };
  }
}

/** Runs in the worker thread: answers batches until the main thread ends it. */
export function runLintWorker(port: MessagePort): void {
  const reader = new ConfigReader();
  let node: { id: number; linter?: NodeLinter; optionError?: string } | undefined;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'node') {
      // Nodes come one after the other: only the current one is kept.
      node = { id: msg.node };
      try {
        node.linter = new NodeLinter(msg.nodeConfig, msg.samples, { ...msg.options, lintNodeConfig: false, compact: true });
      } catch (err) {
        // The main thread met the same failure with the same input and said so.
        if (err instanceof OptionError) node.optionError = err.message;
        else node.linter = new NodeLinter(undefined, msg.samples, { ...msg.options, compact: true });
      }
      return;
    }
    void answerBatch(msg).then((answers) => port.postMessage({ seq: msg.seq, answers } satisfies FromWorker));
  });

  async function answerBatch(msg: Extract<ToWorker, { type: 'batch' }>): Promise<FileAnswer[]> {
    const current = node?.id === msg.node ? node : undefined;
    const answers: FileAnswer[] = [];
    for (const p of msg.files) answers.push(await answerFile(current?.linter, current?.optionError, reader, p));
    return answers;
  }
}

/** Young generation of a worker thread, in MiB (V8's default is larger; a worker holds one file's lint at a time). */
const WORKER_YOUNG_MB = 8;

/**
 * Batches a worker has at a time (one being linted, the others waiting): the calling thread hands out the
 * next one only between batches of its own, so a worker needs work queued for that long.
 */
const IN_FLIGHT = 3;

/**
 * Files per batch: large enough that messages cost little, small enough that the calling thread, which
 * lints the batches no worker has taken yet ({@link LintPool.claim}), waits little for the last ones.
 */
export const WORKER_BATCH = 64;

/**
 * Where the worker threads start: the `vzlint` launcher (`launch.ts`) when the CLI bundle was loaded through
 * it, so that a thread too compiles nothing V8's code cache already holds; it sets this global.
 */
export const LAUNCHER = Symbol.for('vzconf.vzlint.launcher');

/**
 * The worker threads of one vzlint run, started on first use and ended by {@link close}. The batches of a
 * node are queued; each worker is sent the next ones as it answers ({@link IN_FLIGHT} at a time), and the
 * calling thread takes the next one for itself ({@link claim}) whenever it is free, so that all threads stay
 * busy whatever their speed (the calling thread also reads the answers and prints).
 */
export class LintPool {
  private workers: { worker: WorkerType; pending: number }[] = [];
  /** Batches sent or queued, by sequence number; `worker` is -1 until sent. */
  private readonly waiting = new Map<number, { resolve: (a: FileAnswer[]) => void; reject: (e: Error) => void; worker: number }>();
  private seq = 0;
  /** Batches not sent yet, in order, with their index in the node's list (see {@link lintBatches}). */
  private readonly queue: { msg: Extract<ToWorker, { type: 'batch' }>; index: number }[] = [];
  private nodeId = 0;
  private failed: Error | undefined;

  /** @param size  worker threads (the calling thread lints a share of its own too) */
  constructor(readonly size: number) {}

  /**
   * How many worker threads a run of `files` files uses: none below `minFiles` (starting a thread costs
   * more than it saves); else one per free core besides the calling thread's, which lints a share itself —
   * free cores being the cores less the load average of the last minute, rounded — at most 3, and none
   * when fewer than two cores are free: a thread on a busy core only adds its own start and compile.
   *
   * @param cores  `os.availableParallelism()`
   * @param load   `os.loadavg()[0]` (0 where the system has none, e.g. Windows)
   */
  static wanted(files: number, minFiles: number, cores: number, load: number): number {
    if (files < minFiles) return 0;
    const free = Math.floor(cores - Math.max(0, load) + 0.25);
    return free >= 2 ? Math.min(free - 1, 3) : 0;
  }

  private start(): void {
    if (this.workers.length > 0) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    // The bundle starts its worker part in a thread; the sources (tests) start lintWorkerMain.ts through
    // tsx's CommonJS hook (a thread does not inherit the loader hooks of `node --import tsx`).
    const fromSources = __filename.endsWith('.ts');
    const launcher = (globalThis as Record<symbol, unknown>)[LAUNCHER];
    const entry = fromSources ? `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'lintWorkerMain.ts'))});` : typeof launcher === 'string' ? launcher : __filename;
    for (let i = 0; i < this.size; i += 1) {
      // A small young generation: a worker's garbage is one file's lint at a time, and each thread's heap
      // adds to the process's memory (the old generation keeps V8's default limit: a 4 MiB file must fit).
      const worker = new Worker(entry, { eval: fromSources, workerData: { vzlintWorker: true }, argv: [WORKER_ARG], stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      const index = i;
      worker.on('message', (m: FromWorker) => {
        const w = this.waiting.get(m.seq);
        if (!w) return;
        this.waiting.delete(m.seq);
        const slot = this.workers[index];
        if (slot) slot.pending -= 1;
        w.resolve(m.answers);
        this.post(index);
      });
      const fail = (err: Error): void => {
        this.failed ??= err;
        // Its batches, and those not sent yet (the caller lints them all itself).
        for (const [seq, w] of this.waiting) {
          if (w.worker !== index && w.worker !== -1) continue;
          this.waiting.delete(seq);
          w.reject(err);
        }
        this.queue.length = 0;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`lint worker ended (exit ${code})`)));
      this.workers.push({ worker, pending: 0 });
    }
  }

  /**
   * Sends `files` (absolute paths; container configs) of one node to the workers, with the node config and
   * options the main thread's {@link NodeLinter} has, in batches of {@link WORKER_BATCH}.
   * @returns one promise per batch, in order (batch `i` answers `files[i * WORKER_BATCH …]`, one answer per
   *   file); a batch rejects when its worker thread died (the caller lints those files itself); a batch
   *   the caller took with {@link claim} never settles
   * @throws Error when a worker thread died before
   */
  lintBatches(nodeConfig: NodeFile | undefined, samples: string[] | undefined, options: WorkerNodeOptions, files: readonly string[]): Promise<FileAnswer[]>[] {
    if (this.failed) throw this.failed;
    this.start();
    this.nodeId += 1;
    const node = this.nodeId;
    for (const w of this.workers) w.worker.postMessage({ type: 'node', node, ...(nodeConfig ? { nodeConfig } : {}), ...(samples ? { samples } : {}), options } satisfies ToWorker);
    const batches: Promise<FileAnswer[]>[] = [];
    for (let from = 0; from < files.length; from += WORKER_BATCH) {
      this.seq += 1;
      const seq = this.seq;
      const batch = new Promise<FileAnswer[]>((resolve, reject) => {
        this.waiting.set(seq, { resolve, reject, worker: -1 });
      });
      // Awaited later, in order; a failure is handled there.
      batch.catch(() => undefined);
      this.queue.push({ msg: { type: 'batch', node, seq, files: files.slice(from, from + WORKER_BATCH) }, index: batches.length });
      batches.push(batch);
    }
    for (let i = 0; i < this.workers.length; i += 1) this.post(i);
    return batches;
  }

  /**
   * Takes the next batch no worker has been sent, for the calling thread to lint itself (its promise from
   * {@link lintBatches} then never settles).
   * @returns its index in the list {@link lintBatches} returned and its files, or undefined when none is left
   */
  claim(): { index: number; files: string[] } | undefined {
    const next = this.queue.shift();
    if (!next) return undefined;
    this.waiting.delete(next.msg.seq);
    return { index: next.index, files: next.msg.files };
  }

  /**
   * Sends worker `index` batches from the queue until it has {@link IN_FLIGHT}: a few per worker at a time,
   * so that answers never pile up when this thread is slower than the workers (memory stays bounded).
   */
  private post(index: number): void {
    const slot = this.workers[index];
    if (!slot) return;
    while (slot.pending < IN_FLIGHT) {
      const msg = this.queue.shift()?.msg;
      if (!msg) return;
      const w = this.waiting.get(msg.seq);
      if (w) w.worker = index;
      slot.pending += 1;
      slot.worker.postMessage(msg);
    }
  }

  /** Ends the worker threads (the process can then exit). */
  async close(): Promise<void> {
    const all = this.workers;
    this.workers = [];
    await Promise.all(all.map((w) => {
      w.worker.removeAllListeners('exit');
      return w.worker.terminate();
    }));
  }
}
