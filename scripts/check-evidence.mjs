#!/usr/bin/env node
// Checks the evidence of the catalogue against local clones of the upstream sources: every file an
// `evidence` string names exists at the tag it names, and for a parameter or vocabulary item the name
// occurs in at least one of those files at that tag. Needs git and the clones (not run by npm test):
//   node scripts/check-evidence.mjs --vzctl DIR --libvzctl DIR --vzctl7 DIR
// DIR is a clone (or bare git dir) of github.com/kolyshkin/vzctl, OpenVZ/libvzctl and OpenVZ/vzctl with tags.
// Exit status 1 when something does not check out; the lines printed say what.
// With --write-tables it also rewrites test/fixtures/parameter-tables.json from the tags of the clones:
// for each key of the classic config[] table (src/lib/config.c) and the libvzctl config_param_map[]
// (lib/env_config.c), the first and last tag listing it and how (parsed, ignored, alias:KEY).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node scripts/check-evidence.mjs --vzctl DIR --libvzctl DIR --vzctl7 DIR [--write-tables]\n' +
  '  DIR: a local clone with tags of kolyshkin/vzctl, OpenVZ/libvzctl and OpenVZ/vzctl (see docs/development.md, "How we know")';
let values;
try {
  ({ values } = parseArgs({ options: { vzctl: { type: 'string' }, libvzctl: { type: 'string' }, vzctl7: { type: 'string' }, 'write-tables': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  console.error(`check-evidence: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const repos = { vzctl: values.vzctl, libvzctl: values.libvzctl, vzctl7: values.vzctl7 };
for (const [name, dir] of Object.entries(repos)) {
  if (!dir) {
    console.error(`${USAGE}\n(missing --${name})`);
    process.exit(2);
  }
}

const cache = new Map();
/** The text of `file` at `tag` in `repo`, or undefined when it does not exist there. */
function show(repo, tag, file) {
  const key = `${repo}\0${tag}\0${file}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, execFileSync('git', ['-C', repos[repo], 'show', `${tag}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      cache.set(key, undefined);
    }
  }
  return cache.get(key);
}

let checked = 0;
const problems = [];
/** Checks one evidence string for the fact `what`; `name` must occur in one of its files unless null. */
function check(what, evidence, name) {
  if (/^KB \d+$/u.test(evidence)) return;
  const m = /^(vzctl|libvzctl|vzctl7) (.+) @ (\S+)$/u.exec(evidence);
  if (!m) { problems.push(`${what}: malformed evidence "${evidence}"`); return; }
  const [, repo, files, tag] = m;
  const texts = files.split(', ').map((f) => [f, show(repo, tag, f)]);
  for (const [f, text] of texts) if (text === undefined) problems.push(`${what}: ${repo} ${f} does not exist at ${tag}`);
  if (name && !texts.some(([, text]) => text?.includes(name))) problems.push(`${what}: "${name}" not found in ${evidence}`);
  checked += 1;
}

const params = parse(readFileSync(path.join(root, 'schemas', 'parameters.yaml'), 'utf8'));
for (const p of params.parameters) {
  for (const gen of ['classic', 'vz7']) {
    const info = p[gen];
    if (!info) continue;
    for (const e of info.evidence ?? []) check(`${p.name} (${gen})`, e, p.name);
    for (const s of info.status ?? []) for (const e of s.evidence ?? []) check(`${p.name} (${gen}) status ${s.kind}`, e, null);
  }
}
const vocab = parse(readFileSync(path.join(root, 'schemas', 'vocabulary.yaml'), 'utf8'));
for (const f of vocab.features) for (const e of f.evidence ?? []) check(`FEATURES ${f.name}`, e, `"${f.name}"`);
for (const f of vocab.netifFields) for (const e of f.evidence ?? []) check(`NETIF ${f.name}`, e, `"${f.name}=`);
for (const m of vocab.iptablesModules) for (const e of m.evidence ?? []) check(`IPTABLES ${m.name}`, e, `"${m.name}"`);
for (const m of vocab.netfilterModes) for (const e of m.evidence ?? []) check(`NETFILTER ${m.name}`, e, `"${m.name}"`);
for (const e of vocab.evidence?.capabilities ?? []) check('CAPABILITY names', e, '"SYS_ADMIN"');
const hostModules = parse(readFileSync(path.join(root, 'schemas', 'host-modules.yaml'), 'utf8'));
for (const e of hostModules.evidence ?? []) for (const m of hostModules.modules) check(`host module ${m.name}`, e, m.name);

if (values['write-tables']) writeTables();

/** Version order of tag names: numeric parts compared as numbers. */
function byVersion(a, b) {
  const pa = a.split(/[.-]/u).map((x) => (/^\d+$/u.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/u).map((x) => (/^\d+$/u.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? -1;
    const y = pb[i] ?? -1;
    if (x === y) continue;
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  }
  return 0;
}

/** Keys of one tag's table: `{"KEY", NULL|"ALIAS", PARAM_X}` (classic) or `{"KEY", ID[, "ALIAS"]}` (libvzctl). */
function tableKeys(gen, text) {
  const keys = new Map();
  const body = gen === 'classic' ? /vps_config\s+config\[\]\s*=\s*\{([\s\S]*?)\n\};/u.exec(text)?.[1] : /config_param_map\[\]\s*=\s*\{([\s\S]*?)\n\};/u.exec(text)?.[1];
  for (const line of (body ?? '').split('\n')) {
    if (line.trim().startsWith('//')) continue;
    const m = gen === 'classic'
      ? /\{"([A-Z0-9_]+)",\s*(NULL|"[A-Z0-9_]+")\s*,\s*([A-Z_0-9-]+)\}/u.exec(line)
      : /\{"([A-Z0-9_]+)",\s*[A-Z_0-9]+(?:,\s*"([A-Z0-9_]+)")?\}/u.exec(line);
    if (!m) continue;
    if (gen === 'classic') keys.set(m[1], m[2] !== 'NULL' ? `alias:${m[2].replace(/"/gu, '')}` : m[3] === 'PARAM_IGNORED' ? 'ignored' : 'parsed');
    else keys.set(m[1], m[2] ? `alias:${m[2]}` : 'parsed');
  }
  return keys;
}

function writeTables() {
  const out = { classic: {}, vz7: {} };
  const sources = { classic: ['vzctl', /^(vzctl-|vzctl\.open-)?\d[\d.-]*$/u, 'src/lib/config.c', (t) => t.replace(/^vzctl(\.open)?-/u, '')], vz7: ['libvzctl', /^v\d[\d.]*$/u, 'lib/env_config.c', (t) => t.slice(1)] };
  for (const [gen, [repo, pattern, file, version]] of Object.entries(sources)) {
    const tags = execFileSync('git', ['-C', repos[repo], 'tag'], { encoding: 'utf8' }).split('\n').filter((t) => pattern.test(t) && !t.startsWith('master-'));
    tags.sort((a, b) => byVersion(version(a), version(b)));
    const seen = new Map();
    for (const tag of tags) {
      for (const [key, how] of tableKeys(gen, show(repo, tag, file) ?? '')) {
        const e = seen.get(key) ?? { first: tag, last: tag, how: new Set() };
        e.last = tag;
        e.how.add(how);
        seen.set(key, e);
      }
    }
    for (const key of [...seen.keys()].sort()) {
      const e = seen.get(key);
      const how = [...e.how].sort();
      out[gen][key] = { first: e.first, last: e.last, how: how.length === 1 ? how[0] : how };
    }
  }
  const about = 'Keys of each generation\'s parameter table per release tag, read from the sources (classic: vzctl src/lib/config.c config[]; vz7: libvzctl lib/env_config.c config_param_map[]): first and last tag that list the key and how. Facts, used by test/unit/catalog.test.ts. Written by scripts/check-evidence.mjs --write-tables.';
  const lines = ['{', ` "about": ${JSON.stringify(about)},`];
  for (const gen of ['classic', 'vz7']) {
    const entries = Object.entries(out[gen]).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v).replace(/":/gu, '": ').replace(/,"/gu, ', "')}`);
    lines.push(` "${gen}": {`, entries.join(',\n'), gen === 'classic' ? ' },' : ' }');
  }
  lines.push('}');
  writeFileSync(path.join(root, 'test', 'fixtures', 'parameter-tables.json'), `${lines.join('\n')}\n`);
  console.log('wrote test/fixtures/parameter-tables.json');
}

for (const line of problems) console.log(line);
console.log(`${checked} evidence strings checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);
