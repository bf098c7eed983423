/**
 * The extension's rule pages (client/src/ruleDocs.ts): from docs/rules/ in a checkout, else written out of
 * dist/rule-docs.json.br (what the packaged extension carries) into its storage folder.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { ruleDocsFolder, ruleDocsPage } from '../../client/src/ruleDocs';

const root = path.resolve(__dirname, '../..');

/** A packaged extension's folder: dist/rule-docs.json.br built from the repository's docs/rules/, no docs/rules/. */
function packaged(): { dir: string; storage: string; pages: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-ruledocs-'));
  const pages: Record<string, string> = {};
  for (const name of readdirSync(path.join(root, 'docs', 'rules'))) {
    if (name.endsWith('.md')) pages[name] = readFileSync(path.join(root, 'docs', 'rules', name), 'utf8');
  }
  // Two entries the extension must not write: a path and a name that is not a page.
  const json = { pages: { ...pages, '../escape.md': 'no', 'notes.txt': 'no' } };
  mkdirSync(path.join(dir, 'ext', 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'ext', 'dist', 'rule-docs.json.br'), brotliCompressSync(Buffer.from(JSON.stringify(json), 'utf8')));
  return { dir, storage: path.join(dir, 'storage'), pages };
}

describe('rule docs pages in the extension', () => {
  it('a checkout opens docs/rules/<rule>.md itself', () => {
    const file = ruleDocsPage('barrier-above-limit', { extensionRoot: root, storageRoot: '/nonexistent', version: '0.1.0' });
    assert.equal(file, path.join(root, 'docs', 'rules', 'barrier-above-limit.md'));
  });

  it('a packaged extension writes every page out of dist/rule-docs.json.br, with the same text, and only pages', () => {
    const { dir, storage, pages } = packaged();
    try {
      const place = { extensionRoot: path.join(dir, 'ext'), storageRoot: storage, version: '0.1.0' };
      const file = ruleDocsPage('barrier-above-limit', place);
      const folder = ruleDocsFolder(place) as string;
      assert.equal(file, path.join(folder, 'barrier-above-limit.md'));
      assert.equal(readFileSync(file as string, 'utf8'), pages['barrier-above-limit.md']);
      // Every page (the index too) is there, so links between pages work; nothing else is.
      assert.deepEqual(readdirSync(folder).sort(), Object.keys(pages).sort());
      assert.deepEqual(readdirSync(dir).sort(), ['ext', 'storage']);
      // A page changed in a newer build of the same version is written again.
      writeFileSync(path.join(folder, 'barrier-above-limit.md'), 'stale');
      ruleDocsPage('barrier-above-limit', place);
      assert.equal(readFileSync(path.join(folder, 'barrier-above-limit.md'), 'utf8'), pages['barrier-above-limit.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown rule, a rule id that is not one, or a version that is not a folder name gives no page', () => {
    const { dir, storage } = packaged();
    try {
      const place = { extensionRoot: path.join(dir, 'ext'), storageRoot: storage, version: '0.1.0' };
      assert.equal(ruleDocsPage('no-such-rule', place), undefined);
      assert.equal(ruleDocsPage('../escape', place), undefined);
      assert.equal(ruleDocsPage('barrier-above-limit', { ...place, version: '../..' }), undefined);
      assert.deepEqual(readdirSync(dir).sort(), ['ext']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the build\'s dist/rule-docs.json.br holds every docs/rules page as written; a broken file throws', () => {
    // (npm test builds first.)
    const built = path.join(root, 'dist', 'rule-docs.json.br');
    assert.ok(existsSync(built), `${built}: run npm run build`);
    const pages = (JSON.parse(brotliDecompressSync(readFileSync(built)).toString('utf8')) as { pages: Record<string, string> }).pages;
    const names = readdirSync(path.join(root, 'docs', 'rules')).filter((n) => n.endsWith('.md')).sort();
    assert.deepEqual(Object.keys(pages).sort(), names);
    for (const n of names) assert.equal(pages[n], readFileSync(path.join(root, 'docs', 'rules', n), 'utf8'), n);
    const dir = mkdtempSync(path.join(tmpdir(), 'vzconf-ruledocs-'));
    try {
      mkdirSync(path.join(dir, 'ext', 'dist'), { recursive: true });
      writeFileSync(path.join(dir, 'ext', 'dist', 'rule-docs.json.br'), JSON.stringify({ pages }));
      assert.throws(() => ruleDocsPage('barrier-above-limit', { extensionRoot: path.join(dir, 'ext'), storageRoot: path.join(dir, 's'), version: '0.1.0' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
