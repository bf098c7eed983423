import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { findSchemasDir, getCatalog } from '../../server/src/catalog/load';
import { compareVersions } from '../../server/src/model/version';

const dir = findSchemasDir();

describe('catalogue: data validates against its JSON Schemas', () => {
  const files: [string, string][] = [
    ['parameters.yaml', 'parameters'],
    ['kb.yaml', 'kb'],
    ['vocabulary.yaml', 'vocabulary'],
    ['vswap-samples.yaml', 'vswap-samples'],
    ['samples.yaml', 'samples'],
    ['vz7-vzctl.yaml', 'vz7-vzctl'],
    ['behaviours.yaml', 'behaviours'],
    ['shipped-sample-keys.yaml', 'shipped-sample-keys'],
    ...readdirSync(join(dir, 'rules')).filter((f) => f.endsWith('.yaml')).map((f): [string, string] => [`rules/${f}`, 'rules']),
  ];
  for (const [file, schemaName] of files) {
    it(`schemas/${file}`, () => {
      const ajv = new Ajv({ allErrors: true, strict: true });
      const schema = JSON.parse(readFileSync(join(dir, `${schemaName}.schema.json`), 'utf8')) as object;
      const data = parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      const ok = ajv.validate(schema, data);
      assert.ok(ok, ajv.errorsText(ajv.errors, { separator: '\n' }));
    });
  }

  it('the schemas reject a typo (they are not a rubber stamp)', () => {
    const ajv = new Ajv({ strict: true });
    const schema = JSON.parse(readFileSync(join(dir, 'parameters.schema.json'), 'utf8')) as object;
    const data = parse(readFileSync(join(dir, 'parameters.yaml'), 'utf8')) as { parameters: Record<string, unknown>[] };
    (data.parameters[0] as Record<string, unknown>).grammer = 'ubc';
    assert.equal(ajv.validate(schema, data), false);
  });

  it('a behaviour fact needs evidence or the unverified mark with a reason, never both', () => {
    const ajv = new Ajv({ strict: true });
    const schema = JSON.parse(readFileSync(join(dir, 'behaviours.schema.json'), 'utf8')) as object;
    const data = parse(readFileSync(join(dir, 'behaviours.yaml'), 'utf8')) as { behaviours: Record<string, unknown>[] };
    const proven = data.behaviours.find((b) => b.evidence !== undefined) as Record<string, unknown>;
    const bare = { ...proven };
    delete bare.evidence;
    assert.equal(ajv.validate(schema, { behaviours: [bare] }), false, 'no evidence, not unverified');
    assert.equal(ajv.validate(schema, { behaviours: [{ ...proven, unverified: true, reason: 'not read yet, only guessed' }] }), false, 'both');
    assert.equal(ajv.validate(schema, { behaviours: [{ ...bare, unverified: true, reason: 'not read yet, only guessed' }] }), true);
    assert.equal(ajv.validate(schema, { behaviours: [{ ...proven, says: 'vzctl skips it. Twice' }] }), false, 'one clause, no stop');
  });
});

describe('catalogue: consistency', () => {
  const cat = getCatalog().catalog;
  it('names and aliases are unique', () => {
    const seen = new Set<string>();
    for (const p of cat.parameters) for (const n of [p.name, ...(p.aliases ?? [])]) {
      assert.ok(!seen.has(n), `${n} twice`);
      seen.add(n);
    }
  });
  it('every KB id cited exists in kb.yaml and every link is https', () => {
    const ids = new Set(cat.kb.map((a) => a.id));
    for (const p of cat.parameters) {
      for (const id of p.kb ?? []) assert.ok(ids.has(id), `${p.name} cites unknown KB ${id}`);
      for (const g of [p.classic, p.vz7]) for (const s of g?.status ?? []) for (const id of s.kb ?? []) assert.ok(ids.has(id), `${p.name} status cites unknown KB ${id}`);
      for (const l of p.links ?? []) assert.match(l.url, /^https:\/\//, `${p.name}: ${l.url}`);
    }
  });
  it('every version used is a known version, and the defaults are the newest classic and the last VZ7 line', () => {
    for (const p of cat.parameters) for (const gen of ['classic', 'vz7'] as const) {
      const info = p[gen];
      for (const v of [info?.since, ...(info?.status ?? []).flatMap((s) => [s.from, s.until])]) {
        if (v !== undefined) assert.ok(cat.versions[gen].includes(v), `${p.name} ${gen} version ${v} unknown`);
      }
    }
    assert.equal(cat.defaults.classic, [...cat.versions.classic].sort(compareVersions).at(-1));
    assert.equal(cat.defaults.vz7, '7.0.737');
  });
  it('holds the facts the rules rely on (reference §3–§5)', () => {
    const get = (n: string) => cat.parameters.find((p) => p.name === n || p.aliases?.includes(n));
    assert.equal(get('DCACHE')?.name, 'DCACHESIZE');
    assert.equal(get('IPTENTRIES')?.name, 'NUMIPTENT');
    assert.equal(get('NUMPROC')?.unit, 'items');
    assert.equal(get('PRIVVMPAGES')?.unit, 'pages');
    assert.equal(get('KMEMSIZE')?.unit, 'bytes');
    assert.equal(get('DISKSPACE')?.unit, 'kilobytes');
    assert.equal(get('NETFILTER')?.classic?.since, '4.7');
    assert.deepEqual(get('NETFILTER')?.values, ['disabled', 'stateless', 'stateful', 'full']);
    assert.equal(get('IP_ADDRESS')?.duplicates, 'union');
    assert.equal(get('HOSTNAME')?.duplicates, 'first');
    assert.equal(get('KMEMSIZE')?.duplicates, 'last');
    // check_ub() (vzctl src/lib/ub.c): 20 UBCs without vSwap, PHYSPAGES and SWAPPAGES with it.
    assert.equal(cat.parameters.filter((p) => p.requiredToStart?.includes('non-vswap')).length, 20);
    assert.deepEqual(cat.parameters.filter((p) => p.requiredToStart?.includes('vswap')).map((p) => p.name).sort(), ['PHYSPAGES', 'SWAPPAGES']);
    assert.deepEqual(cat.parameters.filter((p) => p.ignoredOnPloop).map((p) => p.name).sort(), ['DISKINODES', 'DISK_QUOTA', 'QUOTATIME']);
    const nat = cat.vocabulary.iptablesModules.filter((m) => m.netfilter === 'full').map((m) => m.name).sort();
    assert.deepEqual(nat, ['ip_nat_ftp', 'ip_nat_irc', 'ipt_REDIRECT', 'iptable_nat']);
  });
});

describe('catalogue: the seed article KB 114232, exactly', () => {
  const repoRoot = join(__dirname, '..', '..');
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'kb-seed-titles.json'), 'utf8')) as {
    seed: number;
    articles: { id: number; title: string }[];
  };
  const kb = new Map(getCatalog().catalog.kb.map((a) => [a.id, a]));

  it('kb.yaml holds 114232 and every article it lists, with the title the seed gives', () => {
    assert.ok(kb.has(fixture.seed), 'KB 114232 itself');
    assert.equal(fixture.articles.length, 37);
    for (const { id, title } of fixture.articles) assert.equal(kb.get(id)?.title, title, `KB ${id}`);
    for (const a of kb.values()) assert.doesNotMatch(a.title, /unknown/i, `KB ${a.id} title`);
  });

  const seedFile = join(repoRoot, '..', 'shared', 'reference', 'seed-kb-114232.txt');
  it('the fixture is the seed’s own list (needs ../shared)', (t) => {
    if (!existsSync(seedFile)) {
      t.skip('skipped: ../shared/reference/seed-kb-114232.txt not found (the fixture is checked against kb.yaml above)');
      return;
    }
    const listed = [...readFileSync(seedFile, 'utf8').matchAll(/^\s*•\s+(\d+)\s+(.+?)\s*$/gmu)].map((m) => ({ id: Number(m[1]), title: m[2] }));
    assert.deepEqual(listed, fixture.articles);
  });

  it('the rule docs pages give each KB article the title kb.yaml gives', () => {
    const docs = join(repoRoot, 'docs', 'rules');
    let lines = 0;
    for (const f of readdirSync(docs).filter((n) => n.endsWith('.md'))) {
      for (const m of readFileSync(join(docs, f), 'utf8').matchAll(/^- KB (\d+) — (.*): https:\S+$/gmu)) {
        lines += 1;
        assert.equal(m[2], kb.get(Number(m[1]))?.title, `${f}: KB ${m[1]}`);
      }
    }
    assert.ok(lines > 20, `only ${lines} KB lines found in docs/rules`);
  });
});

describe('catalogue: facts against the parameter tables of the sources (test/fixtures/parameter-tables.json)', () => {
  const tables = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'parameter-tables.json'), 'utf8')) as Record<
    'classic' | 'vz7', Record<string, { first: string; last: string; how: string | string[] }>
  >;
  const cat = getCatalog();
  /** The release a tag names; undefined for the oldest tag of the repository (known "always"). */
  const release = (gen: 'classic' | 'vz7', tag: string): string | undefined => {
    if (tag === 'vzctl.open-2.7.0-23' || tag === 'v7.0.42') return undefined;
    return gen === 'classic' ? tag.replace(/^vzctl-/u, '').replace(/-\d+$/u, '') : tag.replace(/^v/u, '');
  };
  // libvzctl dropped KMEMSIZE from its table between 7.0.45 and 7.0.442.x and brought it back (left for later, see README).
  const gaps = new Set(['vz7:KMEMSIZE']);

  for (const gen of ['classic', 'vz7'] as const) {
    it(`${gen}: every key of the table is in the catalogue, known from the release that added it`, () => {
      const wrong: string[] = [];
      for (const [key, t] of Object.entries(tables[gen])) {
        const how = Array.isArray(t.how) ? t.how : [t.how];
        const alias = how.find((h) => h.startsWith('alias:'));
        const def = cat.parameter(key);
        if (!def) { wrong.push(`${key}: missing`); continue; }
        if (alias) { if (def.name !== alias.slice('alias:'.length)) wrong.push(`${key}: alias of ${def.name}, table says ${alias}`); continue; }
        const info = def[gen];
        if (!info) { wrong.push(`${key}: no ${gen} block`); continue; }
        if (how.includes('ignored') || gaps.has(`${gen}:${key}`)) continue; // init scripts read ignored keys before the table listed them
        const want = release(gen, t.first);
        if (info.since !== want) wrong.push(`${key}: since ${info.since ?? '(always)'}, table from ${t.first}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('evidence names a known repository and a tag of that repository', () => {
    const tag: Record<string, RegExp> = { vzctl: /^(vzctl-|vzctl\.open-|master-)?\d[\d.-]*$/u, libvzctl: /^v[78]\.\d+\.\d+(\.\d+)?$/u, vzctl7: /^v[789]\.\d+\.\d+$/u };
    const all: string[] = [];
    for (const p of cat.catalog.parameters) for (const g of [p.classic, p.vz7]) {
      all.push(...(g?.evidence ?? []));
      for (const s of g?.status ?? []) all.push(...(s.evidence ?? []));
    }
    const v = cat.catalog.vocabulary;
    for (const i of [...v.features, ...v.netifFields, ...v.iptablesModules]) all.push(...(i.evidence ?? []));
    assert.ok(all.length > 250, `${all.length} evidence strings`);
    for (const e of all) {
      if (/^KB \d+$/u.test(e)) continue;
      const m = /^(\S+) .+ @ (\S+)$/u.exec(e);
      assert.ok(m && tag[m[1] ?? ''], e);
      assert.match(m[2] ?? '', tag[m[1] ?? ''] as RegExp, e);
    }
  });
});
