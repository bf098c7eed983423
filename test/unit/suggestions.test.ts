/**
 * Did-you-mean suggestions: the capped edit distance they rest on (banded, without allocation) against a
 * plain Levenshtein table, and unknown-parameter's suggestions (pruned by character sets) against a
 * search of every known key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { editDistance } from '../../server/src/rules/util';
import { suggestNames } from '../../server/src/rules/parameters';
import { analyze } from '../../server/src/service/lint';
import { suggestRuleIds } from '../../server/src/rules/suppressions';
import { getCatalog } from '../../server/src/catalog/load';
import { lint } from '../../server/src/service/lint';
import { nearestWord } from '../../server/src/values/validate';
import { applyEdits } from '../helpers/edits';
import type { LintContext } from '../../server/src/rules/types';

/** Levenshtein distance, the whole table. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The suggestions of every known key of the target within two edits, as unknown-parameter orders them. */
function bruteForce(ctx: LintContext, name: string): string[] {
  const upper = name.toUpperCase();
  const scored: { n: string; d: number }[] = [];
  for (const n of new Set(ctx.catalog.names())) {
    const def = ctx.catalog.parameter(n);
    if (def === undefined || !ctx.known(def)) continue;
    const d = n === upper ? 0 : name.length >= 4 ? levenshtein(upper, n) : 3;
    if (d <= 2) scored.push({ n, d });
  }
  scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 3).map((s) => s.n);
}

describe('editDistance', () => {
  it('is the Levenshtein distance when at most max, else max + 1', () => {
    const word = fc.string({ unit: fc.constantFrom('A', 'B', 'C', '_', 'a', '1', '\u00e9'), maxLength: 12 });
    fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
      assert.equal(editDistance(a, b, max), Math.min(levenshtein(a, b), max + 1));
    }), { numRuns: 3000 });
    // Longer than its reused rows at first, and the rows it grew do not leak into a short call.
    const long = 'K'.repeat(500);
    assert.equal(editDistance(long, `${long}X`, 2), 1);
    assert.equal(editDistance(`X${long.slice(1)}`, long, 2), 1);
    assert.equal(editDistance('ONBOOT', 'ONBOTT', 2), 1);
    assert.equal(editDistance('', '', 0), 0);
  });
});

describe('unknown-parameter suggestions', () => {
  it('are those of a search of every known key, for misspelt keys and for keys near none', () => {
    for (const target of ['classic', 'vz7', 'classic@3.0.0']) {
      const ctx = analyze('', { target, path: '/etc/vz/conf/101.conf' });
      const names = [...new Set(ctx.catalog.names())];
      // Each known key with one to three edits (a fixed pseudo-random walk), and unrelated keys.
      let seed = 11;
      const next = (k: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
      const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789ab';
      const typos: string[] = ['XKEY1', 'CT_ID', 'ONBOT', 'hostname', 'QQQQQQQQ', 'KMEMSIZ'];
      for (const n of names) {
        for (let k = 0; k < 3; k += 1) {
          let s = n;
          for (let e = 0; e <= next(3); e += 1) {
            const p = next(s.length + 1);
            const op = next(3);
            const c = letters[next(letters.length)] as string;
            s = op === 0 ? s.slice(0, p) + c + s.slice(p) : op === 1 ? s.slice(0, p) + s.slice(p + 1) : s.slice(0, p) + c + s.slice(p + 1);
          }
          typos.push(s);
        }
      }
      let suggested = 0;
      for (const t of typos) {
        const got = suggestNames(ctx, t);
        assert.deepEqual(got, bruteForce(ctx, t), `${target} ${t}`);
        if (got.length > 0) suggested += 1;
      }
      // The walk gives both outcomes in numbers (the comparison above is not only of empty lists).
      assert.ok(suggested > typos.length / 3 && suggested < typos.length, `${suggested} of ${typos.length}`);
    }
  });
});

describe('suppression comment suggestions', () => {
  it('are those of a search of every rule id, for misspelt ids and for names near none, asked once or again', () => {
    const catalog = getCatalog();
    const ids = catalog.catalog.rules.map((r) => r.id);
    const brute = (name: string): string[] => {
      const lower = name.toLowerCase();
      return ids.map((id) => ({ id, d: id === lower ? 0 : id.startsWith(lower) && lower.length >= 4 ? 1 : Math.min(levenshtein(lower, id), 3) }))
        .filter((x) => x.d <= 2).sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)).slice(0, 3).map((x) => x.id);
    };
    let seed = 5;
    const next = (k: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
    const names = ['unknown', 'Unknown-Parameter', 'dup', 'eslint-disable', 'no-unused-vars', 'x'];
    for (const id of ids) {
      for (let k = 0; k < 4; k += 1) {
        let s = id;
        for (let e = 0; e <= next(3); e += 1) {
          const p = next(s.length + 1);
          const c = 'abcdefghijklmnopqrstuvwxyz-0'[next(28)] as string;
          const op = next(3);
          s = op === 0 ? s.slice(0, p) + c + s.slice(p) : op === 1 ? s.slice(0, p) + s.slice(p + 1) : s.slice(0, p) + c + s.slice(p + 1);
        }
        names.push(s);
      }
    }
    let suggested = 0;
    for (const n of [...names, ...names]) {
      const got = suggestRuleIds(catalog, n);
      assert.deepEqual(got, brute(n), n);
      if (got.length > 0) suggested += 1;
    }
    assert.ok(suggested > names.length / 2 && suggested < names.length * 2, `${suggested} of ${names.length * 2}`);
  });
});

describe('invalid-value suggestions (an admin typing NETFILTER="ful" or net_adm:on; trial)', () => {
  it('nearestWord: one word within two edits and under half the letters, in the case written; none on a tie', () => {
    const modes = ['disabled', 'stateless', 'stateful', 'full'];
    assert.equal(nearestWord('ful', modes), 'full');
    assert.equal(nearestWord('stateles', modes), 'stateless');
    assert.equal(nearestWord('FULL', modes), undefined, 'a case-only difference is a case fix, not a guess');
    assert.equal(nearestWord('xyzzy', modes), undefined);
    assert.equal(nearestWord('n', ['no', 'yes']), undefined, 'one letter: no guess');
    assert.equal(nearestWord('yse', ['yes', 'no']), undefined, 'three letters allow one edit; a transposition is two');
    assert.equal(nearestWord('stateXul', modes), 'stateful');
    assert.equal(nearestWord('statefXl', ['statefAl', 'statefBl']), undefined, 'two words equally near: no guess');
    const caps = getCatalog().catalog.vocabulary.capabilities;
    assert.equal(nearestWord('net_adm', caps), 'net_admin');
    assert.equal(nearestWord('NET_ADM', caps), 'NET_ADMIN');
    assert.equal(nearestWord('Net_Adm', caps), 'NET_ADMIN');
  });

  const cases: { target: string; text: string; asked: string; fixed: string }[] = [
    { target: 'classic', text: 'NETFILTER="ful"\n', asked: 'full', fixed: 'NETFILTER="full"\n' },
    { target: 'vz7', text: 'NETFILTER="stateles"\n', asked: 'stateless', fixed: 'NETFILTER="stateless"\n' },
    // Only the item is replaced; the items around it stay as written.
    { target: 'classic', text: 'CAPABILITY="chown:on net_adm:on,kill:off"\n', asked: 'net_admin', fixed: 'CAPABILITY="chown:on net_admin:on,kill:off"\n' },
    { target: 'classic', text: 'CAPABILITY="SYS_NIC:on"\n', asked: 'SYS_NICE', fixed: 'CAPABILITY="SYS_NICE:on"\n' },
  ];
  for (const c of cases) {
    it(`${c.target} ${c.text.trim()}: asks "${c.asked}" in the message and detail, and its fix makes the value valid`, () => {
      const path = '/etc/vz/conf/101.conf';
      const f = lint(`PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n${c.text}`, { target: c.target, path }).findings.find((x) => x.rule === 'invalid-value');
      assert.ok(f, c.text);
      assert.match(f.message, new RegExp(`\\(did you mean ${c.asked}\\?\\)`));
      assert.ok([...f.message].length <= 100, f.message);
      assert.ok(f.detail?.includes(`Did you mean "${c.asked}"?`), f.detail);
      const fix = f.fixes?.find((x) => x.title === `Use "${c.asked}"`);
      assert.ok(fix, JSON.stringify(f.fixes));
      assert.equal(fix.safe, false, 'a guess is never applied in bulk');
      const text = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n${c.text}`;
      const after = applyEdits(text, fix.edits);
      assert.equal(after, `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n${c.fixed}`);
      assert.deepEqual(lint(after, { target: c.target, path }).findings.filter((x) => x.rule === 'invalid-value'), []);
    });
  }

  it('a value near no word keeps the list of allowed values and offers no guess', () => {
    const f = lint('NETFILTER="xyzzy"\n', { target: 'classic', path: '/etc/vz/conf/101.conf' }).findings.find((x) => x.rule === 'invalid-value');
    assert.ok(f);
    assert.match(f.message, /^NETFILTER: "xyzzy" is not disabled\|stateless\|stateful\|full; /);
    assert.equal(f.fixes, undefined);
  });

  it('every near typo of every enumerated value and capability gets a guess that vzctl accepts', () => {
    const path = '/etc/vz/conf/101.conf';
    let asked = 0;
    let tried = 0;
    for (const target of ['classic', 'vz7']) {
      const words: [string, string][] = [...getCatalog().catalog.vocabulary.capabilities.map((c): [string, string] => ['CAPABILITY', `${c.toLowerCase()}:on`]),
        ...['disabled', 'stateless', 'stateful', 'full'].map((m): [string, string] => ['NETFILTER', m])];
      for (const [key, word] of words) {
        // One letter dropped from the middle of the name: a typo an admin makes.
        const name = word.split(':')[0] as string;
        if (name.length < 5) continue;
        const typo = name.slice(0, 2) + name.slice(3) + word.slice(name.length);
        const text = `PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n${key}="${typo}"\n`;
        const f = lint(text, { target, path }).findings.find((x) => x.rule === 'invalid-value');
        if (!f) continue; // CAPABILITY on Virtuozzo 7 is ignored, not read
        tried += 1;
        const fix = f.fixes?.find((x) => x.title.startsWith('Use '));
        if (!fix) continue;
        asked += 1;
        const after = applyEdits(text, fix.edits);
        assert.deepEqual(lint(after, { target, path }).findings.filter((x) => x.rule === 'invalid-value'), [], `${target} ${typo} -> ${after}`);
      }
    }
    assert.ok(tried > 30 && asked > tried * 0.8, `${asked} of ${tried}`);
  });
});

describe('FEATURES names and NETIF fields: did-you-mean from the vocabulary the target reads', () => {
  const path = '/etc/vz/conf/101.conf';
  const HEAD = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:1G"\n';
  const RULES = ['invalid-value', 'unknown-list-item', 'questionable-value'];
  const valueFindings = (text: string, target: string) => lint(`${HEAD}${text}`, { target, path }).findings.filter((x) => RULES.includes(x.rule));
  const cases: { target: string; text: string; rule: string; asked: string; fixed: string }[] = [
    // classic: the item is skipped with a warning (unknown-list-item); libvzctl refuses the line (invalid-value).
    { target: 'classic', text: 'FEATURES="bridg:on nfs:on"\n', rule: 'unknown-list-item', asked: 'bridge', fixed: 'FEATURES="bridge:on nfs:on"\n' },
    { target: 'classic', text: 'FEATURES="NFS:on"\n', rule: 'unknown-list-item', asked: 'nfs', fixed: 'FEATURES="nfs:on"\n' },
    { target: 'vz7', text: 'FEATURES="nfs:on,tim:off"\n', rule: 'invalid-value', asked: 'time', fixed: 'FEATURES="nfs:on,time:off"\n' },
    { target: 'vz7', text: 'FEATURES="sysf:on"\n', rule: 'invalid-value', asked: 'sysfs', fixed: 'FEATURES="sysfs:on"\n' },
    // Only the field's name is replaced; its value and the other fields stay as written.
    { target: 'classic', text: 'NETIF="ifname=eth0,hostifname=veth101.0"\n', rule: 'questionable-value', asked: 'host_ifname', fixed: 'NETIF="ifname=eth0,host_ifname=veth101.0"\n' },
    { target: 'vz7', text: 'NETIF="ifname=eth0,mac_filtr=on;ifname=eth1"\n', rule: 'questionable-value', asked: 'mac_filter', fixed: 'NETIF="ifname=eth0,mac_filter=on;ifname=eth1"\n' },
    { target: 'vz7', text: 'NETIF="ifname=eth0,HOST_MAC=00:18:51:AA:BB:CC"\n', rule: 'questionable-value', asked: 'host_mac', fixed: 'NETIF="ifname=eth0,host_mac=00:18:51:AA:BB:CC"\n' },
    { target: 'vz7', text: 'NETIF="ifname=eth0,dhcp66=yes"\n', rule: 'questionable-value', asked: 'dhcp6', fixed: 'NETIF="ifname=eth0,dhcp6=yes"\n' },
  ];
  for (const c of cases) {
    it(`${c.target} ${c.text.trim()}: asks "${c.asked}", and its fix leaves nothing to say`, () => {
      const [f, ...rest] = valueFindings(c.text, c.target);
      assert.equal(rest.length, 0);
      assert.equal(f?.rule, c.rule);
      assert.match(f?.message ?? '', new RegExp(`\\(did you mean ${c.asked}\\?\\)`));
      assert.ok([...(f?.message ?? '')].length <= 100, f?.message);
      assert.ok(f?.detail?.includes(`Did you mean "${c.asked}"?`), f?.detail);
      const fix = f?.fixes?.find((x) => x.title === `Use "${c.asked}"`);
      assert.ok(fix, JSON.stringify(f?.fixes));
      assert.equal(fix.safe, false, 'a guess is never applied in bulk');
      const after = applyEdits(`${HEAD}${c.text}`, fix.edits);
      assert.equal(after, `${HEAD}${c.fixed}`);
      assert.deepEqual(lint(after, { target: c.target, path }).findings.filter((x) => RULES.includes(x.rule)), []);
    });
  }
  it('no guess for a name near none or two, for a feature the target version lacks, or for a field without "="', () => {
    for (const [text, target] of [
      ['FEATURES="xyzzy:on"\n', 'classic'],
      ['FEATURES="nfss:on"\n', 'classic'], // nfs and nfsd are one edit away each
      ['FEATURES="nfsd:on"\n', 'classic@3.0.20'], // the vocabulary's nfsd, not known to vzctl 3.0.20: no slip
      ['FEATURES="bridg:on"\n', 'classic@3.0.20'], // bridge came with 3.0.24: nothing near that 3.0.20 knows
      ['FEATURES="tim:on"\n', 'classic'], // time is Virtuozzo 7 only
      ['NETIF="ifname=eth0,foo=bar"\n', 'vz7'],
      ['NETIF="ifname=eth0,bridge"\n', 'classic'],
      ['NETIF="ifname=eth0,dhcp=yes"\n', 'classic'], // a Virtuozzo 7 field; classic knows nothing near it
      ["FEATURES='nfs:on'\n", 'classic'], // classic keeps the quote: the item "'nfs" is no spelling slip
      ['NETIF="ifname=eth0,\'mac=00:18:51:AA:BB:CC"\n', 'classic'],
    ] as const) {
      const found = valueFindings(text, target);
      assert.ok(found.length > 0, `${target} ${text}`);
      for (const f of found) {
        assert.doesNotMatch(f.message, /did you mean/, `${target} ${text}`);
        assert.equal(f.fixes?.some((x) => x.title.startsWith('Use ')) ?? false, false, `${target} ${text}`);
      }
    }
    // The range of an unknown NETIF field without a guess is the whole field, as before.
    const [f] = valueFindings('NETIF="ifname=eth0,foo=bar"\n', 'classic');
    assert.deepEqual([f?.range.start.character, f?.range.end.character], [19, 26]);
  });
});
