#!/usr/bin/env node
// npm run package: production bundle (esbuild, minified) and a .vsix made with @vscode/vsce 3.9.2
// (the last vsce line that runs on Node 20).
//
//   node scripts/package.mjs [--out FILE]     default: vzconf-<version>.vsix in the repository root
//
// vsce is taken from test/e2e/node_modules (installed with the e2e tier, so the root install stays
// light); without it, `npx --yes @vscode/vsce@3.9.2` fetches the same version from npm.
// Flags: --no-dependencies (everything is bundled into dist/), --allow-missing-repository (the
// project has no public repository URL yet), --no-rewrite-relative-links (README links and images
// stay relative: the VSIX ships docs/images/ and the pages the README links to, which VS Code resolves
// inside the installed extension, instead of pointing at a repository that does not exist).
// After packaging, the archive's file list is checked against what the extension needs at run
// time and what it must not carry (sources, tests, node_modules).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { extensionReadme, relativeLinks } from './extension-readme.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const VSCE_VERSION = '3.9.2';

const args = process.argv.slice(2);
let out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = path.resolve(args[++i]);
  else {
    console.error(`package: unknown option ${args[i]} (expected --out FILE)`);
    process.exit(2);
  }
}

function run(label, cmd, cmdArgs) {
  console.log(`package: ${label}: ${[cmd, ...cmdArgs].join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`package: ${label} failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error(`package: Node ${process.versions.node} is too old; @vscode/vsce ${VSCE_VERSION} needs Node 20`);
  process.exit(1);
}

// 1. Production bundle.
run('production build', process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--production']);

// 2. The extension's README (its page in VS Code's Extensions view): README.md without the sections that
//    are not about the extension (scripts/extension-readme.mjs).
// vsce takes the file only from inside the package folder: dist/ (built, not committed; .vscodeignore
// keeps the file itself out of the archive, vsce adds it as extension/readme.md).
const extReadme = path.join(root, 'dist', 'README.extension.md');
const extReadmeText = extensionReadme(readFileSync(path.join(root, 'README.md'), 'utf8'));
writeFileSync(extReadme, extReadmeText);

// 3. vsce.
const localVsce = path.join(root, 'test', 'e2e', 'node_modules', '@vscode', 'vsce', 'vsce');
const vsceArgs = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', path.relative(root, extReadme), '--out', out];
if (existsSync(localVsce)) {
  const version = JSON.parse(readFileSync(path.join(path.dirname(localVsce), 'package.json'), 'utf8')).version;
  if (version !== VSCE_VERSION) console.warn(`package: warning: test/e2e has @vscode/vsce ${version}, expected ${VSCE_VERSION}`);
  run(`vsce ${version}`, process.execPath, [localVsce, ...vsceArgs]);
} else {
  run(`vsce ${VSCE_VERSION} via npx`, 'npx', ['--yes', `@vscode/vsce@${VSCE_VERSION}`, ...vsceArgs]);
}

// 4. Check the archive's contents (`unzip -Z1` lists the entries; vsce puts the files under extension/).
const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' });
if (list.status !== 0) {
  console.error(`package: cannot list ${out}: ${list.stderr || list.error}`);
  process.exit(1);
}
const files = list.stdout.split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
const problems = [];
const need = [
  'package.json',
  'dist/client.js',
  'dist/server.js',
  'dist/lsp-protocol.js',
  'dist/rule-docs.json.br',
  'language-configuration.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE.txt',
  pkg.icon,
  ...(pkg.contributes?.grammars ?? []).map((g) => g.path.replace(/^\.\//, '')),
];
// vsce writes README.md and CHANGELOG.md as readme.md / changelog.md and LICENSE as LICENSE.txt.
const lower = new Set(files.map((f) => f.toLowerCase()));
for (const f of need) {
  if (f && !lower.has(f.toLowerCase()) && !(f === 'LICENSE.txt' && lower.has('license'))) problems.push(`missing ${f}`);
}
for (const dir of ['schemas/']) {
  if (!files.some((f) => f.startsWith(dir))) problems.push(`missing ${dir}**`);
}
// The rule pages travel in dist/rule-docs.json.br (scripts/build.mjs): every page of docs/rules/ must be in it.
{
  const pages = JSON.parse(brotliDecompressSync(readFileSync(path.join(root, 'dist', 'rule-docs.json.br'))).toString('utf8')).pages ?? {};
  for (const name of readdirSync(path.join(root, 'docs', 'rules')).filter((n) => n.endsWith('.md'))) {
    if (typeof pages[name] !== 'string') problems.push(`dist/rule-docs.json.br lacks docs/rules/${name}`);
  }
}
for (const f of files) {
  if (f === 'dist/vzlint.js' || f === 'dist/vzlint-core.js' || f.startsWith('dist/vendor/')) problems.push(`must not ship ${f} (the CLI is not part of the extension)`);
  else if (/(^|\/)node_modules\//.test(f)) problems.push(`must not ship ${f}`);
  else if (/^(client|server|test|scripts|examples|\.ci|\.github|\.vscode)\//.test(f)) problems.push(`must not ship ${f}`);
  else if (/\.(ts|map)$/.test(f) || /\.vsix$/.test(f) || /tsconfig.*\.json$/.test(f)) problems.push(`must not ship ${f}`);
}
// Every relative link and image of the extension's README must be in the archive (VS Code resolves them
// inside the installed extension).
for (const { target, line } of relativeLinks(extReadmeText)) {
  const file = decodeURI(target.split('#')[0]);
  if (file !== '' && !lower.has(file.toLowerCase())) problems.push(`the extension's README links to ${file} (line ${line}), which the package does not ship`);
}
const size = statSync(out).size;
if (problems.length > 0) {
  console.error(`package: ${path.relative(root, out)} is wrong:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package: ${path.relative(root, out) || out}: ${files.length} files, ${(size / 1024).toFixed(0)} KiB; contents checked`);
