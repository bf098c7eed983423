import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/service/lint';

const CT = '/etc/vz/conf/101.conf';
const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';

function found(line: string, target?: string): { rule: string; at: string; message: string; detail: string }[] {
  return lint(`${VSWAP}${line}\n`, { path: CT, ...(target ? { target } : {}) }).findings
    .map((f) => ({ rule: f.rule, at: `${f.range.start.character}-${f.range.end.character}`, message: f.message, detail: f.detail ?? '' }));
}

describe('FEATURES in single quotes: one story, the quotes as the cause', () => {
  it("FEATURES='nfs:on': single-quotes (the cause, its fix) and unknown-list-item naming the kept quote", () => {
    const [quotes, item, ...rest] = found("FEATURES='nfs:on'");
    assert.equal(rest.length, 0);
    assert.equal(quotes?.rule, 'single-quotes');
    assert.equal(item?.rule, 'unknown-list-item');
    assert.equal(quotes?.at, item?.at);
    // classic find_feature() (src/lib/vzfeatures.c): the item is 'nfs:on' with its quotes, not name:on|off.
    assert.equal(item?.message, `FEATURES: "'nfs:on'" is not name:on|off (vzctl keeps the quote); vzctl warns and skips it`);
    assert.ok((item?.message.length ?? 0) <= 100);
    assert.match(item?.detail ?? '', /vzctl keeps the single quote/);
  });

  it("FEATURES='nfs:on ppp:on': the first item is read as nfsd (four characters before the colon), the second skipped; both say why", () => {
    const items = found("FEATURES='nfs:on ppp:on'").filter((f) => f.rule === 'unknown-list-item');
    assert.deepEqual(items.map((f) => f.message), [
      `FEATURES: unknown feature "'nfs" (vzctl keeps the quote) may be read as nfsd`,
      `FEATURES: "ppp:on'" is not name:on|off (vzctl keeps the quote); vzctl warns and skips it`,
    ]);
  });

  it('no quote as the cause where there is none: double quotes, a bad item, Virtuozzo 7', () => {
    assert.deepEqual(found('FEATURES="nfs:on"'), []);
    assert.deepEqual(found('FEATURES="nfs:maybe"').map((f) => f.message), ['FEATURES: "nfs:maybe" is not name:on|off; vzctl warns and skips it']);
    // 'nfs:maybe' fails without its quotes too: the quote is not named as the cause.
    assert.doesNotMatch(found("FEATURES='nfs:maybe'").find((f) => f.rule === 'unknown-list-item')?.message ?? '', /keeps the quote/);
    // libvzctl strips single quotes: nfs:on is a known item there, no finding.
    assert.deepEqual(found("FEATURES='nfs:on'", 'vz7').filter((f) => f.rule === 'unknown-list-item'), []);
  });
});
