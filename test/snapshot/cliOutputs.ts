/**
 * Recorded vzlint outputs over the project's own inputs (`examples/` and `test/fixtures/templates/`), in
 * the formats that gather a whole run (SARIF, --summary): streaming them must not change what they say.
 * `npm run snapshot:update` rewrites them (test/snapshot/cli-output/); test/unit/cli-stream.test.ts
 * compares: SARIF as JSON (key order aside), the other formats byte for byte.
 *
 * Paths that depend on the machine are replaced before recording and comparing: the file URL of the
 * repository (SARIF's `originalUriBaseIds.ROOT`) by `file:///REPO/`, and vzlint's version by `VERSION`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { runCaptured } from '../helpers/vzlint';

export const repoRoot = path.resolve(__dirname, '../..');
export const CLI_OUTPUT_DIR = path.join(repoRoot, 'test/snapshot/cli-output');

/** One recorded run: the fixture's file name, vzlint's arguments (run in the repository's root). */
export const CLI_OUTPUT_CASES: readonly { name: string; argv: string[] }[] = [
  { name: 'sarif.sarif', argv: ['--format', 'sarif', 'examples', 'test/fixtures/templates'] },
  { name: 'sarif-summary.sarif', argv: ['--format', 'sarif', '--summary', '--node-ram', '4G', '--docs-url', 'https://docs.example.org/rules/{rule}.html', 'examples', 'test/fixtures/templates'] },
  { name: 'sarif-quiet.sarif', argv: ['--format', 'sarif', '--quiet', 'examples'] },
  { name: 'summary.json', argv: ['--format', 'json', '--summary', '--node-ram', '4G', 'examples', 'test/fixtures/templates'] },
  { name: 'summary.txt', argv: ['--no-color', '--summary', '--node-ram', '4G', 'examples', 'test/fixtures/templates'] },
  { name: 'summary-quiet.txt', argv: ['--no-color', '--summary', '--quiet', 'examples'] },
  { name: 'summary.github', argv: ['--format', 'github', '--summary', 'examples', 'test/fixtures/templates'] },
];

/** The output with the machine-dependent parts replaced (see above). */
export function normalizeCliOutput(out: string): string {
  const repoUrl = pathToFileURL(repoRoot + path.sep).href;
  return out.split(JSON.stringify(repoUrl).slice(1, -1)).join('file:///REPO/').split(`"version": ${JSON.stringify(version)}`).join('"version": "VERSION"').split(`"semanticVersion": ${JSON.stringify(version)}`).join('"semanticVersion": "VERSION"');
}

/**
 * A SARIF log with each rule's `help.markdown` (the whole docs/rules/ID.md page, which changes with every
 * docs edit) replaced by `<docs/rules/ID.md>` when it is exactly that page; else left as it is.
 */
export function shortenSarifHelp(out: string): string {
  const log = JSON.parse(out) as Sarif.Log;
  for (const run of log.runs) {
    for (const rule of run.tool.driver.rules ?? []) {
      const file = path.join(repoRoot, 'docs/rules', `${rule.id}.md`);
      if (rule.help?.markdown !== undefined && existsSync(file) && readFileSync(file, 'utf8') === rule.help.markdown) rule.help.markdown = `<docs/rules/${rule.id}.md>`;
    }
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Runs one case: its exit code and normalized stdout (SARIF with {@link shortenSarifHelp}). */
export async function runCliOutputCase(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCaptured([...argv], repoRoot, { workers: 0 });
  const out = normalizeCliOutput(r.out);
  return { code: r.code, out: argv.includes('sarif') ? shortenSarifHelp(out) : out, err: r.err };
}
