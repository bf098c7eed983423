/**
 * The findings snapshot: (file, range, rule, severity) of every finding vzlint reports on the project's
 * own fixtures and on the shared corpus, without message text. Speed work must not change it; a change
 * to what the rules find updates it on purpose with `npm run snapshot:update` (in the same commit).
 *
 * Two files, so that a bare clone (no ../shared) still checks the first:
 * - test/snapshot/fixtures.snap: `examples/` and `test/e2e/fixtures/workspace/` linted as folders
 *   (node checks included), the way `vzlint DIR` runs;
 * - test/snapshot/corpus.snap: ../shared/corpus: `upstream/` and `wild/` with the automatic target,
 *   `versions/` with each file's `lint_target` from versions/MANIFEST.json.
 *
 * One line per finding: `file:line:column-endLine:endColumn severity rule` (1-based, as vzlint prints);
 * a vzlint run that fails (exit 2) is recorded as `! <options> (N paths): exit 2`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonFinding } from '../../server/src/cli/format';
import { runCaptured } from '../helpers/vzlint';

export const repoRoot = path.resolve(__dirname, '../..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');
export const SNAPSHOT_FILES = {
  fixtures: path.join(repoRoot, 'test/snapshot/fixtures.snap'),
  corpus: path.join(repoRoot, 'test/snapshot/corpus.snap'),
} as const;

/** Corpus files in other formats than vz.conf / CTID.conf (the same list as test/unit/corpus.test.ts). */
const OTHER_FORMATS = new Set(['dists', 'download.conf', 'osrelease.conf', 'oom-groups.conf', 'networks_classes', 'README.md', 'SOURCES.md', 'MANIFEST.json']);

function configFiles(dir: string, base: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (OTHER_FORMATS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...configFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function run(argv: string[], cwd: string): Promise<string[]> {
  const r = await runCaptured(['--format', 'json', '--no-color', ...argv], cwd);
  if (r.code !== 0 && r.code !== 1) {
    // Option and file lists only (no stderr text: messages change on their own schedule).
    const options = argv.filter((a, i) => a.startsWith('-') || argv[i - 1]?.startsWith('-'));
    return [`! ${options.join(' ')} (${argv.length - options.length} paths): exit ${r.code}`];
  }
  const items = JSON.parse(r.out) as JsonFinding[];
  return items.map((i) => `${i.file.replace(/\\/g, '/')}:${i.line}:${i.column}-${i.endLine}:${i.endColumn} ${i.severity} ${i.rule}`);
}

function text(lines: string[]): string {
  return `${[...new Set(lines)].sort(compare).join('\n')}\n`;
}

/** The fixtures part: the project's own example node and e2e workspace, linted as folders from the repository root. */
export async function fixturesSnapshot(): Promise<string> {
  const lines: string[] = [];
  for (const dir of ['examples', 'test/e2e/fixtures/workspace', 'test/fixtures']) {
    if (existsSync(path.join(repoRoot, dir))) lines.push(...(await run([dir], repoRoot)));
  }
  return text(lines);
}

/** The corpus part, or undefined when ../shared/corpus is absent. */
export async function corpusSnapshot(): Promise<string | undefined> {
  if (!existsSync(corpusDir)) return undefined;
  const lines: string[] = [];
  const files = [...configFiles(path.join(corpusDir, 'upstream'), corpusDir), ...configFiles(path.join(corpusDir, 'wild'), corpusDir)];
  lines.push(...(await run(files, corpusDir)));
  const manifestPath = path.join(corpusDir, 'versions/MANIFEST.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path: string; lint_target: string }[];
    const byTarget = new Map<string, string[]>();
    for (const e of manifest) {
      const list = byTarget.get(e.lint_target) ?? [];
      list.push(`versions/${e.path}`);
      byTarget.set(e.lint_target, list);
    }
    for (const target of [...byTarget.keys()].sort(compare)) {
      lines.push(...(await run(['--target', target, ...(byTarget.get(target) ?? []).sort(compare)], corpusDir)));
    }
  }
  return text(lines);
}
