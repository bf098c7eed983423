/**
 * A node cache file system (`NodeFs`) in memory whose reads of chosen files wait until the test releases
 * them: the order of a read and the editor's messages is then the test's to choose, without sleeps.
 */
import path from 'node:path';
import type { NodeFs } from '../../server/src/service/nodeCache';
import { BoundedReadError } from '../../server/src/util/boundedRead';

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

  async exists(p: string): Promise<boolean> {
    return this.files.has(p);
  }
}
