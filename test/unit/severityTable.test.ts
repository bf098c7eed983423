/**
 * The rules table (docs/rules/README.md, `npm run docs:rules`) shows every severity a rule prints: the
 * default of schemas/rules/*.yaml and its `alsoSeverities`. Checked against the committed findings
 * snapshots (test/snapshot/*.snap: file, range, severity, rule over the corpus and the fixtures), which
 * need no ../shared, and against the table itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { getCatalog } from '../../server/src/catalog/load';

const root = resolve(__dirname, '../..');

describe('rules table: severities as printed', () => {
  const cat = getCatalog();
  const allowed = new Map(cat.catalog.rules.map((r) => [r.id, new Set([r.severity, ...(r.alsoSeverities ?? [])])]));

  it('every severity in the findings snapshots is the rule default or one of its alsoSeverities', () => {
    const seen = new Set<string>();
    for (const snap of ['corpus.snap', 'fixtures.snap']) {
      for (const line of readFileSync(resolve(root, 'test/snapshot', snap), 'utf8').split('\n')) {
        const m = / (error|warning|info|hint) ([a-z0-9-]+)$/.exec(line);
        if (!m) continue;
        const [, severity, rule] = m as unknown as [string, string, string];
        seen.add(`${rule} ${severity}`);
      }
    }
    assert.ok(seen.size > 10, 'the snapshots were read');
    const wrong = [...seen].filter((s) => { const [rule, sev] = s.split(' ') as [string, string]; return !allowed.get(rule)?.has(sev as never); });
    assert.deepEqual(wrong, [], 'add the severity to alsoSeverities in schemas/rules/*.yaml and run npm run docs:rules');
  });

  it('the table lists default/also for each rule (barrier-above-limit: warning/error)', () => {
    const index = readFileSync(resolve(root, 'docs/rules/README.md'), 'utf8');
    for (const r of cat.catalog.rules) {
      const shown = [r.severity, ...(r.alsoSeverities ?? [])].join('/');
      assert.ok(index.includes(`[\`${r.id}\`](${r.id}.md) | `) && new RegExp(`\\[\`${r.id}\`\\]\\(${r.id}\\.md\\) \\| \\w+ \\| ${shown.replace(/\//g, '\\/')} \\|`).test(index), `${r.id}: ${shown}`);
    }
    assert.match(index, /\[`barrier-above-limit`\]\(barrier-above-limit\.md\) \| core \| warning\/error \|/);
  });
});
