/**
 * Rule documentation pages as files the Markdown preview can show.
 *
 * In a checkout of the repository (the extension run from source) the pages are `docs/rules/<rule>.md`
 * beside `dist/`. The packaged extension does not carry those small files: it carries them as one
 * Brotli-compressed JSON file, `dist/rule-docs.json.br` (`{"pages": {"<name>.md": "<markdown>"}}`, written
 * by scripts/build.mjs), about 46 KB against 80 KB for the separate pages in the VSIX. The first time
 * a rule link is opened there, every page is written into the extension's global storage, in a folder
 * named after the extension's version, so that the links between pages work in the preview too.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** A page name in the JSON file: a rule id or `README`, with `.md`. Anything else is ignored. */
const PAGE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$|^README\.md$/;

/** A version string usable as a folder name (package.json's `version`, e.g. `0.1.0`). */
const VERSION = /^[0-9A-Za-z.+-]{1,64}$/;

/**
 * Where the extension finds its rule pages, and where it may write them.
 * `extensionRoot`: the installed extension's folder; `storageRoot`: its global storage folder (a file path,
 * created when needed); `version`: the extension's version.
 */
export interface RuleDocsPlace {
  extensionRoot: string;
  storageRoot: string;
  version: string;
}

/**
 * The folder the pages are written to (`<storage>/rule-docs/<version>`); `undefined` when the version is
 * not a plain version string.
 */
export function ruleDocsFolder(place: RuleDocsPlace): string | undefined {
  if (!VERSION.test(place.version) || place.version.includes('..')) return undefined;
  return path.join(place.storageRoot, 'rule-docs', place.version);
}

/** Writes `text` to `file` through a temporary file and a rename, unless the file already holds it. */
function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file);
}

/**
 * The path of rule `rule`'s page (`rule` is a rule id: lower-case words joined by `-`), or `undefined`
 * when there is none. Prefers `docs/rules/<rule>.md` in the extension's folder; else writes the pages of
 * `dist/rule-docs.json.br` into {@link ruleDocsFolder} (once per call that finds them missing or changed) and
 * answers the page there.
 *
 * @throws Error when the file cannot be read, decompressed or parsed, or the storage folder cannot be written
 */
export function ruleDocsPage(rule: string, place: RuleDocsPlace): string | undefined {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule)) return undefined;
  const name = `${rule}.md`;
  const local = path.join(place.extensionRoot, 'docs', 'rules', name);
  if (existsSync(local)) return local;
  const bundle = path.join(place.extensionRoot, 'dist', 'rule-docs.json.br');
  if (!existsSync(bundle)) return undefined;
  // (The file is the extension's own, about 200 KB once decompressed; a broken one throws.)
  const parsed = JSON.parse(brotliDecompressSync(readFileSync(bundle)).toString('utf8')) as { pages?: unknown };
  const pages = parsed.pages !== null && typeof parsed.pages === 'object' ? (parsed.pages as Record<string, unknown>) : {};
  if (typeof pages[name] !== 'string') return undefined;
  const folder = ruleDocsFolder(place);
  if (folder === undefined) return undefined;
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  for (const [page, text] of Object.entries(pages)) {
    if (PAGE_NAME.test(page) && typeof text === 'string') writeIfChanged(path.join(folder, page), text);
  }
  return path.join(folder, name);
}
