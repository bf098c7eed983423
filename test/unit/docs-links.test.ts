/**
 * Every relative link and image in the project's Markdown (README.md, CHANGELOG.md, docs/**, the READMEs
 * of examples/ and test/e2e/) points at a file that exists, and every `#anchor` at a heading of that file
 * (GitHub's anchors). The extension's README (scripts/extension-readme.mjs, what `npm run package` hands
 * to vsce) builds from README.md and links only to files the package ships (.vscodeignore) and to its own
 * headings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations
import { extensionReadme, relativeLinks, slug, NOT_FOR_THE_EXTENSION } from '../../scripts/extension-readme.mjs';

type Link = { target: string; line: number };
const links = relativeLinks as (markdown: string) => Link[];
const anchorOf = slug as (heading: string) => string;

const root = path.resolve(__dirname, '../..');

/** The Markdown files of the project, relative to the root (docs/ recursively). */
function markdownFiles(): string[] {
  const out = ['README.md', 'CHANGELOG.md', 'examples/README.md', 'test/e2e/README.md'].filter((f) => existsSync(path.join(root, f)));
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

/** The anchors of a Markdown text's headings (outside fenced code), with GitHub's -1, -2 … for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = anchorOf((h[1] as string).replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The problems of one file's links: a target that does not exist, an anchor with no heading. */
function brokenLinks(file: string, text: string, exists: (rel: string) => boolean): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(text)) {
    const [p, anchor] = target.split('#') as [string, string | undefined];
    const rel = p === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(p)));
    if (rel.startsWith('../')) {
      problems.push(`${file}:${line}: ${target} leaves the repository`);
      continue;
    }
    if (p !== '' && !exists(rel)) {
      problems.push(`${file}:${line}: ${target}: no such file`);
      continue;
    }
    if (anchor !== undefined && rel.endsWith('.md')) {
      const targetText = rel === file ? text : readFileSync(path.join(root, rel), 'utf8');
      if (!anchors(targetText).has(anchor)) problems.push(`${file}:${line}: ${target}: no heading with that anchor in ${rel}`);
    }
  }
  return problems;
}

/** Whether vsce ships a file: the patterns of .vscodeignore in order, the last match deciding (`!` keeps). */
function shipped(rel: string): boolean {
  let ignored = false;
  for (const raw of readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (picomatch(negated ? line.slice(1) : line, { dot: true })(rel)) ignored = !negated;
  }
  return !ignored;
}

describe('docs: links', () => {
  it('the anchors follow GitHub: backquotes and punctuation dropped, spaces to hyphens, repeats numbered', () => {
    const a = anchors('# `.vzconf.yaml` and suppressions\n## Sources: how we know\n```\n# not a heading\n```\n## Targets\n## Targets\n');
    assert.deepEqual([...a], ['vzconfyaml-and-suppressions', 'sources-how-we-know', 'targets', 'targets-1']);
  });

  it('finds a broken link, a broken anchor and a link out of the repository (and skips code and URLs)', () => {
    const text = '[a](docs/none.md) [b](README.md#no-such-heading) [c](../x.md) `[d](e.md)` [f](https://example.org/g.md)\n```\n[h](i.md)\n```\n';
    const problems = brokenLinks('README.md', text, (rel) => existsSync(path.join(root, rel)));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] as string, /docs\/none\.md: no such file/);
    assert.match(problems[1] as string, /no heading with that anchor/);
    assert.match(problems[2] as string, /leaves the repository/);
  });

  it('every relative link and image of the Markdown files resolves, anchors included', () => {
    const files = markdownFiles();
    assert.ok(files.includes('README.md') && files.includes('docs/rules/README.md'), files.join(', '));
    const problems = files.flatMap((f) => brokenLinks(f, readFileSync(path.join(root, f), 'utf8'), (rel) => existsSync(path.join(root, rel))));
    assert.deepEqual(problems, []);
  });

  it("the extension's README builds from README.md and links only to what the package ships", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const ext = (extensionReadme as (text: string) => string)(readme);
    for (const name of NOT_FOR_THE_EXTENSION as string[]) assert.ok(!ext.includes(`\n## ${name}\n`), `section "${name}" left in`);
    assert.ok(ext.length < readme.length);
    // The extension's README sits at the package root; its links resolve inside the installed extension.
    const problems = brokenLinks('README.md', ext, (rel) => existsSync(path.join(root, rel)) && statSync(path.join(root, rel)).isFile() && shipped(rel));
    assert.deepEqual(problems, []);
    assert.ok(!shipped('docs/cli.md') && shipped('docs/editor.md') && !shipped('docs/rules/README.md') && !shipped('server/src/limits.ts'), 'the .vscodeignore reading is off');
    // The rule pages are named, not linked (they travel in dist/rule-docs.json.br).
    assert.match(ext, /`docs\/rules\/README\.md` in the project's repository/);
  });
});

describe('rule pages cite what a user can open (trial: "reference §5", "kb-map.md", "issue 3")', () => {
  it('no page points at the project-internal reference material, its sections or its issues', () => {
    const dir = path.resolve(__dirname, '../../docs/rules');
    const internal = /\breference §|\(§\d|\bthe reference\b|kb-map|\.\.\/shared|\bissue \d/i;
    const hits: string[] = [];
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.md')) continue;
      readFileSync(path.join(dir, name), 'utf8').split('\n').forEach((line, i) => {
        if (internal.test(line)) hits.push(`${name}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(hits, []);
  });
});
