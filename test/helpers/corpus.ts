/**
 * The shared corpus of real config files (`../shared/corpus` beside the repository: vzctl's shipped
 * files and configs found in the wild). CI places it there; a bare clone has none, and the tests that
 * read it skip with one line saying so.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Absolute path of `../shared/corpus` as seen from the repository root. */
export const CORPUS = resolve(__dirname, '../../../shared/corpus');

/** The `skip` option of a test that reads {@link CORPUS}: false when it exists, else the reason. */
export const NEEDS_CORPUS: string | false = existsSync(CORPUS) ? false : `needs ../shared/corpus, absent here (${CORPUS}): a bare clone skips it`;

/**
 * Regular files under `dir`, recursively, in sorted order; [] when `dir` does not exist.
 * @param skip  file names to leave out (e.g. /\.(md|json)$/ for the corpus READMEs and manifests)
 * @param maxBytes  leave out files of this many bytes or more
 */
export function filesUnder(dir: string, skip: RegExp, maxBytes = Infinity): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const x of filesUnder(p, skip, maxBytes)) out.push(x);
    } else if (!skip.test(f) && st.size < maxBytes) out.push(p);
  }
  return out;
}
