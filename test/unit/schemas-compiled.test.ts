/**
 * The catalogue is compiled at build time (scripts/compile-schemas.mjs → server/src/catalog/generated/,
 * bundled by esbuild): the compiled data must be exactly what schemas/**\/*.yaml say, a schema error must
 * fail the compile, and the bundles must not need schemas/*.yaml at run time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { findSchemasDir, getCatalog, schemaData, schemaNames } from '../../server/src/catalog/load';

const root = path.resolve(__dirname, '../..');
const schemas = findSchemasDir();
const compiler = path.join(root, 'scripts/compile-schemas.mjs');

function yamlFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(full, base));
    else if (e.name.endsWith('.yaml')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The YAML data as the compiled module ships it: evidence entries keep repo, tag and file, not their `note`. */
function withoutEvidenceNotes(value: unknown, inEvidence = false): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutEvidenceNotes(v, inEvidence));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(inEvidence && k === 'note')).map(([k, v]) => [k, withoutEvidenceNotes(v, k === 'evidence')]));
}

const tmp = mkdtempSync(path.join(tmpdir(), 'vzconf-schemas-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function compileCopy(name: string, change: (dir: string) => void): { status: number | null; stderr: string; out: string } {
  const dir = path.join(tmp, name);
  cpSync(schemas, dir, { recursive: true });
  change(dir);
  const out = path.join(dir, 'out.js');
  const r = spawnSync(process.execPath, [compiler, '--schemas', dir, '--out', out], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, out };
}

describe('compiled catalogue', () => {
  it('holds every schemas/**/*.yaml file, equal to the YAML but for the notes of evidence entries', () => {
    const files = yamlFiles(schemas);
    assert.ok(files.length >= 8 && files.some((f) => f.startsWith('rules/')), files.join(', '));
    assert.deepEqual(schemaNames(), files.map((f) => f.replace(/\.yaml$/, '')));
    for (const f of files) {
      assert.deepEqual(schemaData(f.replace(/\.yaml$/, '')), withoutEvidenceNotes(parse(readFileSync(path.join(schemas, f), 'utf8'))), `schemas/${f}`);
    }
  });

  it('ships the evidence of behaviour facts without the reviewers\' notes (the YAML keeps them)', () => {
    const yaml = parse(readFileSync(path.join(schemas, 'behaviours.yaml'), 'utf8')) as { behaviours: { id: string; evidence?: Record<string, string>[] }[] };
    const noted = yaml.behaviours.filter((b) => (b.evidence ?? []).some((e) => typeof e.note === 'string'));
    assert.ok(noted.length > 10, `behaviours with noted evidence: ${noted.length}`);
    const shipped = new Map((schemaData('behaviours') as typeof yaml).behaviours.map((b) => [b.id, b]));
    for (const b of noted) {
      const s = shipped.get(b.id)?.evidence ?? [];
      assert.deepEqual(s, (b.evidence ?? []).map(({ note: _note, ...rest }) => rest), b.id);
      assert.ok(s.every((e) => typeof e.repo === 'string' && typeof e.tag === 'string' && typeof e.file === 'string' && !('note' in e)), b.id);
    }
  });

  it('the catalogue index is built from it (rules of every rules/*.yaml file)', () => {
    const cat = getCatalog().catalog;
    const ruleFiles = yamlFiles(schemas).filter((f) => f.startsWith('rules/'));
    const ids = ruleFiles.flatMap((f) => (parse(readFileSync(path.join(schemas, f), 'utf8')) as { rules: { id: string }[] }).rules.map((r) => r.id));
    assert.deepEqual(cat.rules.map((r) => r.id), ids);
    assert.equal(cat.parameters.length, (parse(readFileSync(path.join(schemas, 'parameters.yaml'), 'utf8')) as { parameters: unknown[] }).parameters.length);
  });

  it('a file that breaks its JSON Schema fails the compile and writes nothing', () => {
    const r = compileCopy('typo', (dir) => {
      const p = path.join(dir, 'parameters.yaml');
      writeFileSync(p, readFileSync(p, 'utf8').replace(/^(\s+)grammar:/m, '$1grammer:'));
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /schemas\/parameters\.yaml: .*grammer/);
    assert.equal(existsSync(r.out), false);
  });

  it('a YAML file without a JSON Schema, or that is not YAML, fails the compile', () => {
    const r = compileCopy('noschema', (dir) => {
      writeFileSync(path.join(dir, 'extra-facts.yaml'), 'facts: []\n');
      writeFileSync(path.join(dir, 'rules', 'broken.yaml'), 'rules: [\n');
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /schemas\/extra-facts\.yaml: no JSON Schema \(expected schemas\/extra-facts\.schema\.json\)/);
    assert.match(r.stderr, /schemas\/rules\/broken\.yaml: not YAML/);
  });

  it('the vzlint bundle lints without schemas/ beside it (the catalogue is inside)', { skip: existsSync(path.join(root, 'dist/vzlint.js')) ? false : 'dist/vzlint.js not built (npm run build)' }, () => {
    const dir = path.join(tmp, 'alone');
    cpSync(path.join(root, 'dist/vzlint.js'), path.join(dir, 'bin', 'vzlint.js'));
    cpSync(path.join(root, 'dist/vzlint-core.js'), path.join(dir, 'bin', 'vzlint-core.js'));
    writeFileSync(path.join(dir, '101.conf'), 'ONBOOT="yes"\nONBOT="yes"\n');
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'vzlint.js'), '--format', 'json', '--no-color', '101.conf'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.stderr, '');
    const items = JSON.parse(r.stdout) as { rule: string; line: number }[];
    assert.ok(items.some((i) => i.rule === 'unknown-parameter' && i.line === 2), r.stdout);
  });
});
