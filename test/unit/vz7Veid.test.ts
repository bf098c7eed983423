/**
 * VEID per generation. Classic vzctl reads it with parse_int() (src/lib/config.c @ vzctl-3.0.11..4.11.1,
 * case PARAM_VEID): a whole number. libvzctl never parses it when it loads a config (not in
 * config_param_map, lib/env_config.c @ v7.0.42..v8.0.90); it writes the CTID there (lib/snapshot.c,
 * lib/vz.c) and reads it back with vzctl2_parse_ctid() (get_cid_uuid_pair(), lib/env.c @ v7.0.737): a UUID,
 * the same in braces, 32 hex digits, or the legacy whole number 0..INT_MAX.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCatalog } from '../../server/src/catalog/load';
import { computeHover } from '../../server/src/service/hover';
import { lint } from '../../server/src/service/lint';
import { checkValue, type ValueProblem } from '../../server/src/values/validate';

const UUID = '8f3e2a10-1c2d-4e5f-9a0b-1c2d3e4f5a6b';
const VALUE_RULES = new Set(['invalid-value', 'questionable-value']);

function valueFindings(text: string, target: string): string[] {
  return lint(text, { target, kind: 'container', path: '/vz7/conf/x.conf' }).findings.filter((f) => VALUE_RULES.has(f.rule)).map((f) => `${f.rule}: ${f.message}`);
}

describe('VEID on Virtuozzo 7 is a CTID, on classic vzctl a whole number', () => {
  it('a UUID VEID is fine on vz7', () => {
    assert.deepEqual(valueFindings(`VEID="${UUID}"\n`, 'vz7@7.0.737'), []);
  });
  it('every form vzctl2_parse_ctid() accepts passes on vz7, the rest is questionable', () => {
    const def = getCatalog().parameter('VEID');
    assert.ok(def);
    const ctx = { generation: 'vz7' as const, version: '7.0.737', catalog: getCatalog() };
    for (const ok of [UUID, UUID.toUpperCase(), `{${UUID}}`, UUID.replace(/-/g, ''), '101', '0', ' 101', '+7', '2147483647']) {
      assert.deepEqual(checkValue(def, ok, ctx).problems, [], ok);
    }
    for (const bad of ['', 'abc', '-5', '2147483648', `${UUID}x`, UUID.slice(0, 35), '101 ', 'g'.repeat(32)]) {
      const p: readonly ValueProblem[] = checkValue(def, bad, ctx).problems;
      assert.equal(p.length, 1, bad);
      assert.equal(p[0]?.kind, 'suspicious', `libvzctl never refuses a config for VEID: ${bad}`);
      assert.ok(p[0]!.message.length <= 100 + bad.length, p[0]!.message);
      assert.match(p[0]!.message, /UUID|outside 0\.\.2147483647/);
    }
  });
  it('classic still wants a whole number', () => {
    const got = valueFindings(`VEID="${UUID}"\n`, 'classic@4.11.1');
    assert.equal(got.length, 1);
    assert.match(got[0]!, /^invalid-value: .*not a whole number/);
  });
  it('the hover gives the syntax of the target generation', () => {
    const md = (target: string) => computeHover(`VEID="${UUID}"\n`, { line: 0, character: 2 }, { path: '/vz7/conf/x.conf', target })?.contents ?? '';
    const vz7 = md('vz7@7.0.737');
    assert.match(vz7, /UUID/);
    assert.doesNotMatch(vz7, /container's numeric ID/);
    assert.doesNotMatch(vz7, /Syntax: whole number/);
    assert.match(md('classic@4.11.1'), /whole number/);
  });
});
