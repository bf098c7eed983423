/**
 * The proof behind catalogue facts: a finding that rests on an `unverified` fact is at most info
 * (server/src/catalog/evidence.ts), and the facts the sources contradicted are fixed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex, getCatalog } from '../../server/src/catalog/load';
import type { Catalog } from '../../server/src/catalog/types';
import { lint } from '../../server/src/service/lint';

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';

/** A copy of the real catalogue with `edit` applied. */
function catalogWith(edit: (c: Catalog) => void): CatalogIndex {
  const copy = structuredClone(getCatalog().catalog);
  edit(copy);
  return new CatalogIndex(copy);
}
const rules = (text: string, opts: Parameters<typeof lint>[1]) => lint(text, opts).findings.map((f) => `${f.rule}:${f.severity}`);

describe('unverified facts never raise an error or a warning', () => {
  it('a value-grammar fact marked unverified turns invalid-value from error into info', () => {
    const text = 'DISKSPACE="lots"\n';
    assert.ok(rules(text, { path: CT, target: 'classic' }).includes('invalid-value:error'));
    const catalog = catalogWith((c) => {
      const d = c.parameters.find((p) => p.name === 'DISKSPACE');
      if (d?.classic) d.classic.unverified = 'for this test';
    });
    const capped = rules(text, { path: CT, target: 'classic', catalog });
    assert.ok(capped.includes('invalid-value:info'), capped.join());
    assert.ok(!capped.some((r) => r.startsWith('invalid-value:') && r !== 'invalid-value:info'), capped.join());
    // The user's explicit severity still wins.
    assert.ok(rules(text, { path: CT, target: 'classic', catalog, rules: { 'invalid-value': 'error' } }).includes('invalid-value:error'));
  });

  it('a since fact marked unverified caps unknown-parameter', () => {
    const text = 'NODEMASK="all"\n';
    assert.ok(rules(text, { path: CT, target: 'classic@4.7' }).some((r) => r.startsWith('unknown-parameter:') && !r.endsWith(':info')));
    const catalog = catalogWith((c) => {
      const d = c.parameters.find((p) => p.name === 'NODEMASK');
      if (d?.classic) d.classic.unverified = 'for this test';
    });
    assert.deepEqual(rules(text, { path: CT, target: 'classic@4.7', catalog }).filter((r) => r.startsWith('unknown-parameter')), ['unknown-parameter:info']);
  });

  it('a status entry marked unverified caps its status finding (IP6TABLES: the 4.11.1 init script still loads it)', () => {
    const found = rules('IP6TABLES="ip6_tables"\n', { path: NODE, target: 'classic@4.11.1' }).filter((r) => r.startsWith('deprecated-parameter'));
    for (const r of found) assert.equal(r, 'deprecated-parameter:info');
  });

  it('an unverified vocabulary item caps unknown-list-item', () => {
    const text = 'FEATURES="nfsd:on"\n';
    assert.ok(rules(text, { path: CT, target: 'classic@3.0.15' }).some((r) => r === 'unknown-list-item:error' || r === 'unknown-list-item:warning'));
    const catalog = catalogWith((c) => {
      const f = c.vocabulary.features.find((x) => x.name === 'nfsd');
      if (f) f.unverified = 'for this test';
    });
    assert.ok(rules(text, { path: CT, target: 'classic@3.0.15', catalog }).includes('unknown-list-item:info'));
  });
});

describe('facts the sources contradicted, fixed', () => {
  const has = (text: string, target: string, rule: string, path = CT) => lint(text, { path, target }).findings.some((f) => f.rule === rule && f.severity !== 'info');
  it('FEATURES sit and ipip came with vzctl 3.0.23 (vzfeatures.c), not 3.0.13', () => {
    assert.ok(has('FEATURES="sit:on"\n', 'classic@3.0.15', 'unknown-list-item'));
    assert.ok(!has('FEATURES="sit:on"\n', 'classic@3.0.23', 'unknown-list-item'));
    assert.ok(has('FEATURES="ppp:on"\n', 'classic@3.0.23', 'unknown-list-item'));
  });
  it('libvzctl learned FEATURES time in 7.0.521 (lib/vzfeatures.c)', () => {
    assert.ok(has('FEATURES="time:on"\n', 'vz7@7.0.511', 'invalid-value') || has('FEATURES="time:on"\n', 'vz7@7.0.511', 'unknown-list-item'));
    assert.ok(!has('FEATURES="time:on"\n', 'vz7@7.0.737', 'invalid-value') && !has('FEATURES="time:on"\n', 'vz7@7.0.737', 'unknown-list-item'));
  });
  it('libvzctl knows FEATURES sysfs at every tag', () => {
    assert.ok(!has('FEATURES="sysfs:on"\n', 'vz7', 'unknown-list-item'));
    assert.ok(!has('FEATURES="sysfs:on"\n', 'vz7', 'invalid-value'));
  });
  it('per-CT socket-buffer UBCs stopped having an effect with libvzctl 7.0.60, not at every version', () => {
    assert.ok(!has('TCPSNDBUF="1M:2M"\n', 'vz7@7.0.46', 'ignored-parameter'));
    assert.ok(lint('TCPSNDBUF="1M:2M"\n', { path: CT, target: 'vz7@7.0.60' }).findings.some((f) => f.rule === 'ignored-parameter'));
  });
  it('libvzctl learned MEMGUARANTEE in 7.0.170 and NUMNETIF in 7.0.511', () => {
    assert.ok(lint('MEMGUARANTEE="10"\n', { path: CT, target: 'vz7@7.0.134' }).findings.some((f) => f.rule === 'unknown-parameter'));
    assert.ok(!lint('MEMGUARANTEE="10"\n', { path: CT, target: 'vz7@7.0.170' }).findings.some((f) => f.rule === 'unknown-parameter'));
  });
  it('vzctl 4.0 to 4.2 list NOATIME as ignored', () => {
    assert.ok(lint('NOATIME="yes"\n', { path: CT, target: 'classic@4.2' }).findings.some((f) => f.rule === 'ignored-parameter'));
    assert.ok(!lint('NOATIME="yes"\n', { path: CT, target: 'classic@3.1' }).findings.some((f) => f.rule === 'ignored-parameter'));
  });
});

describe('parameters the sources know, in the catalogue', () => {
  const loud = (text: string, target: string, path = CT) =>
    lint(text, { path, target }).findings.filter((f) => f.rule === 'unknown-parameter' && f.severity !== 'info').map((f) => f.message);
  it('Virtuozzo 7: EXT_IP_ADDRESS (vzctl7 src/config.c), ARCH (appended to installed samples), VEFORMAT (libvzctl 7.0.547)', () => {
    assert.deepEqual(loud('EXT_IP_ADDRESS="192.0.2.7"\nARCH="x86_64"\nVEFORMAT="ext4"\n', 'vz7'), []);
    assert.equal(loud('VEFORMAT="ext4"\n', 'vz7@7.0.511').length, 1);
  });
  it('Virtuozzo 7 vz.conf: PFCACHE and PFCACHE_BCID', () => {
    assert.deepEqual(loud('PFCACHE="/vz/pfcache"\nPFCACHE_BCID="70"\n', 'vz7', '/etc/vz/vz.conf'), []);
  });
  it('classic samples of 2.7.0 to 3.0.x: OFFLINE_MANAGEMENT, CLASSID, VERSION', () => {
    assert.deepEqual(loud('VERSION="2"\nCLASSID="1"\nOFFLINE_MANAGEMENT="yes"\n', 'classic@2.7.0'), []);
  });
  it('keys in every classic table since 2.7.0 are known to classic@2.7.0 (no since 3.0.10)', () => {
    assert.deepEqual(loud('HOSTNAME="a"\nDISKSPACE="1:1"\nIP_ADDRESS="192.0.2.1"\nCPUUNITS="1000"\n', 'classic@2.7.0'), []);
  });
});
