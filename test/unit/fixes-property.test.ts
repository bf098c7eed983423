import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { applyEdits, offsetAt } from '../helpers/edits';

/** Lines an admin (or a broken tool) might write: real keys, odd quoting, comments, spacing, list values. */
const key = fc.constantFrom('ONBOOT', 'HOSTNAME', 'IP_ADDRESS', 'IPTABLES', 'IP6TABLES', 'IPTABLES_MODULES', 'NETFILTER', 'KMEMSIZE', 'PHYSPAGES', 'SWAPPAGES', 'DESCRIPTION', 'FEATURES', 'VETH', 'NOATIME', 'ONBOT', 'DISKSPACE', 'NAMESERVER', 'CAPABILITY');
const value = fc.constantFrom('yes', 'no', 'Yes', '"yes"', "'yes'", '"a b"', 'a b', '"0:1G"', '"2G:1G"', '"10.0.0.1"', '"10.0.0.300"', '"iptable_filter ipt_state"', '"iptable_nat"', 'inherit # host', '"nfs:on" # keep', '"$(id)"', '"x', '', '"stateful"', 'full', '"chown:on"', '"$IPTABLES"');
const line = fc.oneof(
  fc.tuple(key, fc.constantFrom('=', ' = ', '= ', ' ='), value).map(([k, eq, v]) => `${k}${eq}${v}`),
  fc.constantFrom('# comment', '', '   ', 'garbage line', '  ipt_REJECT ipt_tos"', '\uFEFF# bom'),
);
const doc = fc.tuple(fc.array(line, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([ls, eol, last]) => ls.join(eol) + (last ? eol : ''));
const options = fc.constantFrom<LintOptions>(
  { path: '/etc/vz/conf/101.conf' },
  { path: '/etc/vz/vz.conf' },
  { path: '/etc/vz/conf/101.conf', target: 'vz7' },
  { path: '/etc/vz/vz.conf', target: 'classic@4.6' },
);

describe('quick fixes on generated files (property-based)', () => {
  it('apply without overlap, leave every untouched line byte-identical, and safe ones add no error', () => {
    fc.assert(fc.property(doc, options, (text, opts) => {
      const before = lint(text, opts).findings;
      const errorsBefore = before.filter((f) => f.severity === 'error');
      for (const f of before) {
        for (const fix of f.fixes ?? []) {
          const next = applyEdits(text, fix.edits); // throws on overlapping edits
          // Text before the first edit and after the last one is unchanged.
          const starts = fix.edits.map((e) => offsetAt(text, e.range.start.line, e.range.start.character));
          const ends = fix.edits.map((e) => offsetAt(text, e.range.end.line, e.range.end.character));
          const first = starts.reduce((m, x) => Math.min(m, x), Infinity);
          const lastEnd = ends.reduce((m, x) => Math.max(m, x), -Infinity);
          assert.equal(next.slice(0, first), text.slice(0, first), fix.title);
          assert.equal(next.slice(next.length - (text.length - lastEnd)), text.slice(lastEnd), fix.title);
          // No line ending of another style is introduced.
          if (!text.includes('\r\n') && text.includes('\n')) assert.ok(!next.includes('\r\n'), fix.title);
          if (text.includes('\r\n') && !/(^|[^\r])\n/.test(text)) assert.ok(!/(^|[^\r])\n/.test(next), `${fix.title}: bare LF in a CRLF file`);
          if (fix.safe) {
            // A safe fix must not add an error. Fixes that make vzctl read the line they repair
            // (spacing, a BOM) may surface that line's own errors, which the user wrote.
            const activates = f.rule === 'space-around-equals' || f.rule === 'byte-order-mark';
            const after = lint(next, opts).findings.filter((x) => x.severity === 'error');
            if (activates) {
              // These edit one line in place (no line shifts): compare errors elsewhere by rule and line.
              // ubc-required is about the whole file and anchors where vzctl's first UBC line is.
              const fixed = new Set(fix.edits.map((e) => e.range.start.line));
              const key = (x: (typeof before)[number]) => `${x.rule}@${x.range.start.line}`;
              const keep = (x: (typeof before)[number]) => !fixed.has(x.range.start.line) && x.rule !== 'ubc-required';
              const old = new Set(errorsBefore.filter(keep).map(key));
              const added = after.filter(keep).filter((x) => !old.has(key(x)));
              assert.deepEqual(added.map(key), [], `safe fix "${fix.title}" added an error:\n${JSON.stringify(text)}\n→ ${JSON.stringify(next)}`);
            } else {
              assert.ok(after.length <= errorsBefore.length, `safe fix "${fix.title}" added an error:\n${JSON.stringify(text)}\n→ ${JSON.stringify(next)}`);
            }
          }
        }
      }
    }), { numRuns: Number(process.env.FC_RUNS ?? 300), ...(process.env.FC_SEED ? {} : { seed: 20261129 }) });
  });
});
