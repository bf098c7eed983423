/**
 * `vzlint --fix` and `--fix-dry-run`: the engine's safe fix-all applied to files on disk without
 * losing data. See {@link writeFixed} for what is kept and what is refused.
 */
import { constants } from 'node:fs';
import { chmod, chown, lstat, open, readFile, realpath, rename, stat, unlink } from '../util/fsAsync';
import path from 'node:path';
import type * as Diff from 'diff';
import type { Finding } from '../rules/types';
import { fixAllText } from '../service/codeActions';
import { NODE_LEVEL_RULES } from '../service/node';

/** Findings whose fixes `--fix` does not apply (see {@link countUnappliedFixes}). */
export interface UnappliedFixes {
  /** Every fix the finding offers is unsafe: it could change what the node does (a limit, an access, a value). */
  unsafe: number;
  /** The finding has a safe fix but its severity is below `--fix-level` (an info by default). */
  belowLevel: number;
  /** The lowest severity among those (the `--fix-level` that would apply them all). */
  lowestBelow?: Finding['severity'];
}

/**
 * Counts the findings with fixes that `--fix` leaves ({@link UnappliedFixes}): those whose fixes are all
 * unsafe, and those with a safe fix that `keep` (the `--fix-level` test) refuses.
 */
export function countUnappliedFixes(findings: readonly Finding[], keep: (f: Finding) => boolean = () => true): UnappliedFixes {
  const n: UnappliedFixes = { unsafe: 0, belowLevel: 0 };
  for (const f of findings) {
    if (!f.fixes || f.fixes.length === 0) continue;
    if (!f.fixes.some((x) => x.safe)) n.unsafe += 1;
    else if (!keep(f)) {
      n.belowLevel += 1;
      if (n.lowestBelow === undefined || LEVEL_RANK[f.severity] < LEVEL_RANK[n.lowestBelow]) n.lowestBelow = f.severity;
    }
  }
  return n;
}

/** Severities from the lowest: `--fix-level L` applies the safe fixes of findings at L or above. */
const LEVEL_RANK: Record<Finding['severity'], number> = { hint: 0, info: 1, warning: 2, error: 3 };

/**
 * The `--fix-level` test: a finding whose safe fixes `--fix` applies. The default, `warning`, leaves the
 * safe fixes of infos and hints (e.g. `ignored-on-ploop` deleting QUOTATIME="0", a line vzctl create
 * writes into every container and that matters again on simfs) to `--fix-level info` or the editor.
 */
export function atFixLevel(level: Finding['severity']): (f: Finding) => boolean {
  const min = LEVEL_RANK[level];
  return (f) => LEVEL_RANK[f.severity] >= min;
}

/** What {@link fixAll} did to one text. */
export interface FixAllOutcome {
  /** The fixed text (the same string when there was nothing to fix). */
  text: string;
  /** Rounds of fix-all that changed the text. */
  rounds: number;
  /** Safe fixes applied (one per finding fixed, over all rounds). */
  fixes: number;
  /** Findings of the fixed text that still have a fix, one --fix does not apply ({@link countUnappliedFixes}). */
  unapplied: UnappliedFixes;
}

/** The node rules (run over all the files of a node, not by `lint`): see {@link fixAll}. */
const NODE_RULE_IDS = new Set(NODE_LEVEL_RULES.map((r) => r.id));

/**
 * The engine's fix-all (`fixAllText`: every safe fix, none overlapping, repeated on the fixed text until
 * nothing is left to fix) over `findings` of `text`; `relint` lints a fixed text with the same options.
 *
 * Every safe fix is applied, as the editor's *Fix all* applies them: also the removal of a byte-order mark
 * (`byte-order-mark`, safe when the first line's key is set nowhere else), which vzctl glues to the first key
 * and `sh` runs as part of a command name: no reader of these files takes it for an encoding marker.
 *
 * `findings` may hold the node rules' findings (duplicate IP addresses, sample-not-found …); `relint` is
 * one file's lint, without them. That loses no fix and applies no wrong one: no node rule offers a safe
 * fix (test/unit/cli-fix.test.ts checks every node rule's findings over the project's nodes), and a safe
 * fix never changes what vzctl reads, which is all the node rules look at. The node rules' findings of
 * `text` still stand after fixing, so their unsafe fixes are counted in `unapplied` with the relint's.
 */
export async function fixAll(text: string, findings: readonly Finding[], relint: (text: string) => readonly Finding[], keep: (f: Finding) => boolean = () => true): Promise<FixAllOutcome> {
  // fixAllText lints every text it makes, the last one being the text it returns; it sees only the
  // findings `keep` (the --fix-level) lets through.
  let last: readonly Finding[] = findings;
  const result = await fixAllText(text, findings.filter(keep), (t) => (last = relint(t)).filter(keep));
  const left = result.rounds > 0 ? [...last, ...findings.filter((f) => NODE_RULE_IDS.has(f.rule))] : findings;
  return { text: result.text, rounds: result.rounds, fixes: result.fixes, unapplied: countUnappliedFixes(left, keep) };
}

/** What a `--fix` or `--fix-dry-run` run did, for {@link fixSummaryLine}. */
export interface FixTotals extends UnappliedFixes {
  /** Files written (`--fix`), or that would change (`--fix-dry-run`). */
  files: number;
  /** Safe fixes applied in them. */
  fixes: number;
  /** Files --fix refused to write (each already named on stderr). */
  refused: number;
}

/**
 * The one-line account `--fix` prints on stderr (after the per-file refusals, before the findings left):
 * `vzlint: --fix: 2 files changed, 5 fixes applied; 3 unsafe fixes not applied (--explain lists them; review in
 * the editor or by hand)`.
 */
export function fixSummaryLine(t: FixTotals, dryRun: boolean, level: Finding['severity'] = 'warning'): string {
  const n = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
  const head = dryRun
    ? `vzlint: --fix-dry-run: ${n(t.files, 'file', 'files')} would change, ${n(t.fixes, 'fix', 'fixes')} would be applied`
    : `vzlint: --fix: ${n(t.files, 'file', 'files')} changed, ${n(t.fixes, 'fix', 'fixes')} applied`;
  const refused = t.refused > 0 ? `, ${n(t.refused, 'file', 'files')} refused` : '';
  const unsafe = t.unsafe > 0 ? `; ${n(t.unsafe, 'unsafe fix', 'unsafe fixes')} not applied (--explain lists ${t.unsafe === 1 ? 'it' : 'them'}; review in the editor or by hand)` : '';
  const below = t.belowLevel > 0 ? `; ${n(t.belowLevel, 'safe fix', 'safe fixes')} below --fix-level ${level} not applied (--fix-level ${t.lowestBelow ?? 'hint'} applies ${t.belowLevel === 1 ? 'it' : 'them'})` : '';
  return `${head}${refused}${unsafe}${below}\n`;
}

/**
 * Keeps the presence or absence of a final line break of `original` in `fixed` (a fix that deletes
 * the last line must not join the file's end to the previous line's break, nor add one).
 */
export function keepFinalNewline(original: string, fixed: string): string {
  const eol = /(\r\n|\n|\r)$/.exec(original);
  const had = eol !== null;
  const has = /(\r\n|\n|\r)$/.test(fixed);
  if (had && !has && fixed.length > 0) return fixed + (eol[1] as string);
  if (!had && has) return fixed.replace(/(\r\n|\n|\r)$/, '');
  return fixed;
}

/** Why a file was not fixed, in words for `vzlint: FILE: …`. */
export class FixRefused extends Error {}

/** Whether bytes hold a NUL: no config does (a tar of /etc/vz does); `--fix` refuses such a file. */
export function hasNulByte(bytes: Uint8Array): boolean {
  return bytes.indexOf(0) !== -1;
}

/** The refusal of a file with a NUL byte ({@link hasNulByte}), after `vzlint: FILE: `. */
export const NUL_REFUSAL = 'contains a NUL byte (a binary file, not a config); not fixed';

/**
 * The file `--fix` writes: the target of a symlink (vzctl's `ve.conf` is one on Virtuozzo 7), never the
 * link itself.
 */
export async function fixTarget(filePath: string): Promise<string> {
  const st = await lstat(filePath);
  return st.isSymbolicLink() ? realpath(filePath) : filePath;
}

/**
 * Writes `text` (UTF-8) over `filePath` atomically without losing data:
 * - refuses (throws {@link FixRefused}) a file whose bytes `readBytes` hold a NUL ({@link hasNulByte});
 * - refuses when the file's bytes are no longer `readBytes` (changed since
 *   vzlint read it), when it has no write permission bit at all (even as root: `--fix` does not
 *   override a file made read-only on purpose), when it has other hard links (the atomic rename would
 *   leave them with the old text), or when the process may not write it;
 * - refuses, when not root, a file of another user (the new file would be the writer's) or one whose
 *   group the writer cannot give the new file;
 * - writes a temporary file in the same folder, fsyncs it, gives it the original's owner and group
 *   (as root; else the group) and mode, checks once more that the original is unchanged, then renames it over the
 *   original and fsyncs the folder; on any failure the temporary file is removed and the original is
 *   untouched;
 * - follows a symlink and replaces its target (see {@link fixTarget}).
 * Line endings, a BOM and the final newline are the caller's business (the text is written as given).
 */
export async function writeFixed(filePath: string, readBytes: Uint8Array, text: string): Promise<void> {
  if (hasNulByte(readBytes)) throw new FixRefused(NUL_REFUSAL);
  const target = await fixTarget(filePath).catch((err: NodeJS.ErrnoException) => {
    throw new FixRefused(`cannot follow the link (${err.code ?? err.message}); not fixed`);
  });
  const st = await stat(target).catch((err: NodeJS.ErrnoException) => {
    throw new FixRefused(`${err.code ?? err.message}: not fixed`);
  });
  if (!st.isFile()) throw new FixRefused('not a regular file');
  // Renaming over a file with other hard links would leave them with the old text, silently apart.
  if (st.nlink > 1) throw new FixRefused(`the file has ${st.nlink} hard links, which replacing it would split; not fixed`);
  if ((st.mode & 0o222) === 0) throw new FixRefused('the file has no write permission bits; not fixed');
  const now = await readFile(target);
  if (!Buffer.from(readBytes).equals(now)) throw new FixRefused('the file changed since vzlint read it; not fixed');
  // The same test the kernel makes for an open for writing (root passes unless the bits above are 0).
  const probe = await open(target, constants.O_WRONLY).catch((err: NodeJS.ErrnoException) => {
    throw new FixRefused(err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied; not fixed' : `${err.code ?? 'error'}: not fixed`);
  });
  await probe.close();
  // Only root can give the new file another owner: a file of another user (writable through its group or
  // other bits) would become the writer's, so it is refused.
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && uid !== 0 && st.uid !== uid) throw new FixRefused(`the file belongs to another user (uid ${st.uid}); replacing it would make it yours; not fixed`);
  const dir = path.dirname(target);
  // The temporary name keeps at most 64 bytes of the file's name: a name near the file system's limit
  // (255 bytes) must still be fixable.
  const stem = Buffer.from(path.basename(target), 'utf8').subarray(0, 64).toString('utf8').replace(/\uFFFD+$/, '');
  // node:crypto is loaded here, not at start (it costs every run of the CLI a few ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const tmp = path.join(dir, `.${stem}.vzlint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    created = true;
    try {
      await fh.writeFile(Buffer.from(text, 'utf8'));
      await fh.sync();
    } finally {
      await fh.close();
    }
    // Owner and group first (chown clears set-ID bits), then the mode.
    if (uid === 0) await chown(tmp, st.uid, st.gid);
    else if (uid !== undefined && (await stat(tmp)).gid !== st.gid) {
      await chown(tmp, uid, st.gid).catch(() => {
        throw new FixRefused(`cannot give the new file the group of the old one (gid ${st.gid}); not fixed`);
      });
    }
    await chmod(tmp, st.mode & 0o7777);
    const again = await readFile(target);
    if (!Buffer.from(readBytes).equals(again)) throw new FixRefused('the file changed since vzlint read it; not fixed');
    await rename(tmp, target);
    created = false;
    const dh = await open(dir, constants.O_RDONLY).catch(() => undefined);
    if (dh) {
      await dh.sync().catch(() => undefined);
      await dh.close();
    }
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    if (err instanceof FixRefused) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new FixRefused(`${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? e.message)} while writing; the file is unchanged`);
  }
}

/**
 * The PATH of a `--fix-dry-run` diff header (`a/PATH`, `b/PATH`) for a file shown as `shown` (as given, or
 * absolute), `/`-separated:
 * - inside the current directory: relative to it (`conf/101.conf`), so `patch -p1` and `git apply` take
 *   the diff from there;
 * - outside it (`../x`, or an absolute path elsewhere): the path from the root without its leading `/`
 *   (`etc/vz/conf/101.conf`), as `git diff --no-index` names absolute paths, so `patch -p1 -d /` (or
 *   `git apply` run in `/`) takes it. Never `../`: both tools refuse such a name (tested: patch finds no
 *   file, git apply says "invalid path"), and `a/../../etc/vz/…` is hard to read.
 */
export function diffHeaderPath(shown: string, cwd: string): string {
  const abs = path.resolve(cwd, shown);
  const rel = path.relative(cwd, abs);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  const name = inside ? rel : rel === '' ? path.basename(abs) : path.relative(path.parse(abs).root, abs);
  return name.split(path.sep).join('/');
}

/**
 * A unified diff of one file's fix (`--fix-dry-run`) in git's form, `--- a/PATH` / `+++ b/PATH`, PATH as
 * {@link diffHeaderPath} gives it: relative to the current directory for a file inside it (also one named
 * by an absolute path), else from the root (`a/etc/vz/conf/101.conf`, applied with `patch -p1 -d /`).
 * The name is written as git writes it, so that `git apply` and `patch` read it back:
 * - with a control character, a quote, a backslash or a non-ASCII character, C-quoted by the `diff`
 *   package (`"a/n\nx.conf"`, other bytes in octal: `\033`), which also keeps the header one line of
 *   printable ASCII on a terminal (a line break in a name would otherwise end the header and forge the next);
 * - with a blank, followed by a tab, without which `patch` takes the name to end at the blank.
 */
export function fixDiff(shown: string, before: string, after: string, cwd: string): string {
  const name = diffHeaderPath(shown, cwd);
  // Loaded here: most runs print no diff (the CLI bundle keeps `diff` in dist/vendor/, see scripts/build.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTwoFilesPatch } = require('diff') as typeof Diff;
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 });
  const plain = `\n--- a/${name}\n+++ b/${name}\n`;
  const at = patch.indexOf(plain);
  if (!name.includes(' ') || at < 0) return patch;
  return `${patch.slice(0, at)}\n--- a/${name}\t\n+++ b/${name}\t\n${patch.slice(at + plain.length)}`;
}
