import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeHover } from '../../server/src/service/hover';

const CT = '/etc/vz/conf/101.conf';

describe('hover', () => {
  const text = 'PHYSPAGES="0:262144"\nNETFILTER="full"\nIPTABLES="iptable_filter"\nDISKSPACE="10485760:11534336"\n';

  it('explains a key with syntax, unit, KB article and docs link', () => {
    const h = computeHover(text, { line: 1, character: 3 }, { path: CT });
    assert.ok(h);
    assert.match(h.contents, /\*\*NETFILTER\*\*/);
    assert.match(h.contents, /`disabled` \| `stateless` \| `stateful` \| `full`/);
    assert.match(h.contents, /\[KB 126787: [^\]]+\]\(https:\/\/kb\.virtuozzo\.com\/126787\)/);
    assert.match(h.contents, /support\.virtuozzo\.com\/hc\/en-us\/articles\/6403678993937/);
    assert.deepEqual(h.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } });
  });

  it('normalises values to human units: 262144 pages = 1 GiB, 10485760 KiB blocks = 10 GiB', () => {
    assert.match(computeHover(text, { line: 0, character: 15 }, { path: CT })?.contents ?? '', /limit `262144` pages = 1 GiB/);
    assert.match(computeHover(text, { line: 3, character: 14 }, { path: CT })?.contents ?? '', /soft `10485760` KiB blocks = 10 GiB/);
  });

  it('explains the NETFILTER mode under the cursor', () => {
    assert.match(computeHover(text, { line: 1, character: 12 }, { path: CT })?.contents ?? '', /`full`:\*\* All netfilter functions, NAT included/);
  });

  it('states the deprecation for the target and the version it assumes', () => {
    const h = computeHover(text, { line: 2, character: 2 }, { path: CT })?.contents ?? '';
    assert.match(h, /Deprecated on vzctl 4\.11\.1/);
    const old = computeHover(text, { line: 2, character: 2 }, { path: CT, target: 'classic@4.6' })?.contents ?? '';
    assert.doesNotMatch(old, /Deprecated on vzctl 4\.6/);
  });

  it('uses the configured KB URL template', () => {
    const h = computeHover(text, { line: 1, character: 3 }, { path: CT, kbUrlTemplate: 'https://kb.cloudblue.com/{id}' });
    assert.match(h?.contents ?? '', /https:\/\/kb\.cloudblue\.com\/126787/);
  });

  it('tells on an unknown key and on the first line which target and kind were chosen', () => {
    assert.match(computeHover('FOO=1\n', { line: 0, character: 1 }, { path: CT })?.contents ?? '', /not a parameter vzconf knows/);
    const first = computeHover('# header\nVERSION="2"\n', { line: 0, character: 2 }, { path: CT })?.contents ?? '';
    assert.match(first, /libvzctl 7\.0\.737/);
    assert.match(first, /VERSION="2"/);
  });

  it('returns null off the text', () => {
    assert.equal(computeHover(text, { line: 40, character: 0 }, { path: CT }), null);
  });
});
