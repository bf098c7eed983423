import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const repo = path.resolve(__dirname, '../..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  require_serial?: boolean;
}

describe('.pre-commit-hooks.yaml: vzconf as a pre-commit hook', () => {
  const hooks = parse(readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'vzlint');

  it('one node hook whose entry is the package\'s vzlint bin, run once over all files', () => {
    assert.ok(hook);
    assert.equal(hook.language, 'node');
    const bin = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    assert.ok(bin[hook.entry.split(' ')[0] as string], `${hook.entry} is a bin of package.json`);
    assert.equal(hook.require_serial, true, 'the containers of a node are checked together');
  });

  it('files: node and container configs, samples and their templates; not other .conf files', () => {
    // pre-commit matches with Python's re.search; this pattern means the same in JavaScript.
    const re = new RegExp(hook?.files ?? '$^');
    for (const f of ['etc/vz/vz.conf', 'vz.conf', 'etc/vz/conf/101.conf', 'nodes/web1/etc/vz/conf/0.conf', 'conf/6f2a1c3e-1b2c-4d5e-8f90-a1b2c3d4e5f6.conf',
      'vz/private/101/ve.conf', 'etc/vz/conf/ve-vswap.1g.conf-sample', 'etc/vz/conf/ve-basic.conf-sample.x86_64', 'roles/ovz/templates/etc/vz/conf/101.conf.j2',
      'templates/vz.conf.erb', 'templates/ve-web.conf-sample.j2']) assert.ok(re.test(f), f);
    for (const f of ['nginx/conf.d/80.conf', 'etc/nginx.conf', 'etc/vz/vz.conf.rpmnew', 'etc/vz/vz.conf.bak', 'docs/vz.conf.md', 'myvz.conf']) assert.ok(!re.test(f), f);
  });

  it('npm pack (how pre-commit installs a node hook) ships the CLI and the data it reads, not the sources', (t) => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      t.skip(`npm pack failed here: ${r.error?.message ?? r.stderr.split('\n')[0]}`);
      return;
    }
    const files = new Set(((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]?.files ?? []).map((f) => f.path));
    for (const f of ['package.json', 'dist/vzlint.js', 'dist/vzlint-core.js', 'dist/vendor/yaml.js', 'schemas/vzconf-config.schema.json', 'docs/rules/barrier-above-limit.md']) assert.ok(files.has(f), f);
    assert.ok(![...files].some((f) => /^(server|client|test|scripts)\//.test(f) || f.endsWith('.map')), [...files].filter((f) => /^(server|client|test|scripts)\//.test(f)).join(' '));
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.prepack ?? '', /scripts\/build\.mjs/, 'npm pack builds dist/ first');
  });
});
