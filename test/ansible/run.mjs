#!/usr/bin/env node
// Ansible integration tier: runs examples/ansible/collect-and-lint.yml for real (ansible-core, connection
// local) against two fake nodes on this machine with different inventory names and vz_roots, then checks
// what was collected, the SARIF vzlint wrote, and the rendered templates. Needs ansible-playbook on PATH
// (.ci/run installs Debian's ansible-core) and a built dist/vzlint.js (npm test builds it).
// Prints one closing line "N passed, N failed"; exit status 1 when a check failed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vzlint = path.join(root, 'dist/vzlint.js');
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n     ${detail}` : ''}`);
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

const which = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
if (which.error || which.status !== 0) {
  console.log('ansible-playbook not found (apt-get install ansible-core): Ansible tier not run');
  check('ansible-playbook is installed', false, String(which.error ?? which.stderr));
  finish();
}
console.log(which.stdout.split('\n')[0]);
if (!existsSync(vzlint)) {
  check('dist/vzlint.js is built (npm run build)', false);
  finish();
}

const work = mkdtempSync(path.join(tmpdir(), 'vzconf-ansible-'));
const play = path.join(work, 'play');
cpSync(path.join(root, 'examples/ansible'), play, { recursive: true });
const write = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
// Node "alpha": the usual /etc/vz layout under another root. One container with a barrier above its limit.
const alpha = path.join(work, 'hosts/alpha/etc/vz');
write(path.join(alpha, 'vz.conf'), 'VIRTUOZZO=yes\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\n');
write(path.join(alpha, 'conf/101.conf'), 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nKMEMSIZE="20000000:10000000"\nIP_ADDRESS="10.0.0.1"\n');
write(path.join(alpha, 'conf/ve-basic.conf-sample'), 'PHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\n');
write(path.join(alpha, 'conf/101.mount'), '#!/bin/sh\n');
// Node "beta": a different vz_root; the same IP as alpha's 101 (not a duplicate: another node), a deprecated
// global IPTABLES, and ve.conf as a symlink as on Virtuozzo 7.
const beta = path.join(work, 'hosts/beta/vz');
write(path.join(beta, 'vz.conf'), 'VE_ROOT=/vz/root/$VEID\nIPTABLES="ipt_REJECT ipt_tos"\n');
write(path.join(beta, 'conf/201.conf'), 'ONBOOT="yes"\nPHYSPAGES="0:262144"\nSWAPPAGES="0:131072"\nIP_ADDRESS="10.0.0.1"\n');
symlinkSync('201.conf', path.join(beta, 'conf/ve.conf'));

write(path.join(work, 'inventory'), [
  '[vz]',
  `node-alpha ansible_connection=local ansible_python_interpreter=/usr/bin/python3 vz_root=${alpha}`,
  `node-beta ansible_connection=local ansible_python_interpreter=/usr/bin/python3 vz_root=${beta}`,
  '',
].join('\n'));
write(path.join(work, 'host_vars/node-alpha.yml'), 'vz_containers:\n  - { ctid: 101, ram_mb: 1024, swap_mb: 512, ip: 10.0.0.11 }\n  - { ctid: 102, ram_mb: 2048, swap_mb: 1024 }\n');
write(path.join(work, 'host_vars/node-beta.yml'), 'vz_containers:\n  - { ctid: 201, ram_mb: 512, swap_mb: 512, ip: 10.0.1.1, disk_gb: 5 }\n');
cpSync(path.join(work, 'host_vars'), path.join(play, 'host_vars'), { recursive: true });

const run = spawnSync('ansible-playbook', ['-i', path.join(work, 'inventory'), path.join(play, 'collect-and-lint.yml'), '-e', JSON.stringify({ vzlint_cmd: `${process.execPath} ${vzlint}` })], {
  cwd: play,
  encoding: 'utf8',
  env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false' },
});
console.log(run.stdout.split('\n').filter((l) => /^(PLAY|TASK|ok:|changed:|fatal:|failed:)|RECAP|node-|localhost/.test(l)).join('\n'));
check('ansible-playbook succeeds', run.status === 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);

const nodes = path.join(play, 'nodes');
for (const f of ['node-alpha/etc/vz/vz.conf', 'node-alpha/etc/vz/conf/101.conf', 'node-alpha/etc/vz/conf/ve-basic.conf-sample', 'node-beta/etc/vz/vz.conf', 'node-beta/etc/vz/conf/201.conf', 'node-beta/etc/vz/conf/ve.conf']) {
  check(`fetched nodes/${f}`, existsSync(path.join(nodes, f)));
}
check('nothing else fetched (101.mount stays)', !existsSync(path.join(nodes, 'node-alpha/etc/vz/conf/101.mount')));

let sarif;
try {
  sarif = JSON.parse(readFileSync(path.join(play, 'vzlint.sarif'), 'utf8'));
  check('vzlint.sarif is SARIF 2.1.0', sarif.version === '2.1.0' && Array.isArray(sarif.runs?.[0]?.results));
} catch (err) {
  check('vzlint.sarif written and parsed', false, String(err));
}
if (sarif) {
  const results = sarif.runs[0].results;
  const uri = (r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
  check('every result names its host, matching its path', results.length > 0 && results.every((r) => typeof r.properties?.host === 'string' && uri(r).startsWith(`nodes/${r.properties.host}/etc/vz/`)), JSON.stringify(results.map((r) => [r.properties?.host, uri(r)])));
  check('alpha: barrier-above-limit in conf/101.conf', results.some((r) => r.ruleId === 'barrier-above-limit' && r.properties.host === 'node-alpha' && uri(r) === 'nodes/node-alpha/etc/vz/conf/101.conf'));
  check('beta: deprecated global IPTABLES in vz.conf', results.some((r) => r.ruleId === 'deprecated-parameter' && r.properties.host === 'node-beta' && uri(r) === 'nodes/node-beta/etc/vz/vz.conf'));
  check('one node per host: the same IP on two hosts is no duplicate', !results.some((r) => r.ruleId === 'duplicate-ip-address'));
  check('artifact URIs are relative to the scanned root', results.every((r) => r.locations[0].physicalLocation.artifactLocation.uriBaseId === 'ROOT'));
}

const rendered = path.join(play, 'rendered');
const r101 = path.join(rendered, 'node-alpha/101.conf');
check('templates rendered on the control node per host', existsSync(r101) && existsSync(path.join(rendered, 'node-alpha/102.conf')) && existsSync(path.join(rendered, 'node-beta/201.conf')));
if (existsSync(r101)) {
  const text = readFileSync(r101, 'utf8');
  check('rendered 101.conf has the host values', text.includes('PHYSPAGES="0:1024M"') && text.includes('IP_ADDRESS="10.0.0.11"') && !text.includes('{{'));
  const lint = spawnSync(process.execPath, [vzlint, '--kind', 'container', '--format', 'json', r101], { encoding: 'utf8' });
  check('rendered 101.conf passes vzlint (exit 0)', lint.status === 0, lint.stdout + lint.stderr);
}
check('the lint task ran on the control node for every container', /vzlint --kind container on each rendered file/.test(run.stdout) && (run.stdout.match(/ok: \[node-(alpha|beta) -> localhost\] => \(item=\d+\)/g) ?? []).length >= 3, run.stdout.slice(-1500));

rmSync(work, { recursive: true, force: true });
finish();
