/**
 * The shared corpus of real config files (`../shared/corpus` beside the repository: vzctl's shipped
 * files and configs found in the wild). CI places it there; a bare clone has none, and the tests that
 * read it skip with one line saying so.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Absolute path of `../shared/corpus` as seen from the repository root. */
export const CORPUS = resolve(__dirname, '../../../shared/corpus');

/** The `skip` option of a test that reads {@link CORPUS}: false when it exists, else the reason. */
export const NEEDS_CORPUS: string | false = existsSync(CORPUS) ? false : `needs ../shared/corpus, absent here (${CORPUS}): a bare clone skips it`;
