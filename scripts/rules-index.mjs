#!/usr/bin/env node
// Rewrites the rule table of docs/rules/README.md (the rules index the README links to) from
// schemas/rules/*.yaml, between the markers <!-- rules:begin --> and <!-- rules:end -->. Run after
// adding or changing a rule:
//   npm run docs:rules
import { readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'schemas', 'rules');
const families = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort((a, b) => (a === 'core.yaml' ? -1 : b === 'core.yaml' ? 1 : a.localeCompare(b)));

function table(linkPrefix) {
  const rows = ['| rule | family | severity | quick fix | checks |', '|---|---|---|---|---|'];
  for (const f of families) {
    const { rules } = parse(readFileSync(path.join(dir, f), 'utf8'));
    for (const r of rules) rows.push(`| [\`${r.id}\`](${linkPrefix}${r.id}.md) | ${f.replace(/\.yaml$/, '')} | ${[r.severity, ...(r.alsoSeverities ?? [])].join('/')} | ${r.fixable ? 'yes' : ''} | ${r.title} |`);
  }
  return rows.join('\n');
}

function rewrite(file, linkPrefix) {
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- rules:begin -->';
  const end = '<!-- rules:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file}: markers ${begin} … ${end} not found`);
  const next = `${text.slice(0, i + begin.length)}\n${table(linkPrefix)}\n${text.slice(j)}`;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}

rewrite(path.join(root, 'docs', 'rules', 'README.md'), '');
console.log('rule table of docs/rules/README.md rewritten');
