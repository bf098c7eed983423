import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exclusiveLines, isTemplateName, PLACEHOLDER_CHAR, scanTemplate, stripTemplateExtension } from '../../server/src/parser/template';
import { lint } from '../../server/src/service/lint';

const P = PLACEHOLDER_CHAR;

describe('template pre-pass (parser/template.ts)', () => {
  it('keeps every line and column; placeholders become U+E000, tag-only lines become comments', () => {
    const text = 'A="{{ x }}"\r\n{% if y %}\nB=<%= @b %>:1\n  {# note #}\nC={tmpl_var name=\'c\'}\n';
    const scan = scanTemplate(text);
    assert.equal(scan.masked.length, text.length);
    assert.deepEqual(scan.masked.split(/\r?\n/).map((l) => l.length), text.split(/\r?\n/).map((l) => l.length));
    assert.equal(scan.masked.split('\n')[0], `A="${P.repeat(7)}"\r`);
    assert.ok(scan.masked.split('\n')[1]?.startsWith('#'));
    assert.ok(scan.masked.split('\n')[3]?.startsWith('#'));
    assert.equal(scan.masked.split('\n')[2], `B=${P.repeat(9)}:1`);
    assert.deepEqual([...scan.controlLines].sort(), [1, 3]);
    assert.deepEqual([...scan.placeholderLines].sort(), [0, 2, 4]);
  });

  it('knows the if/else branches of Jinja2, ERB, Go templates and ISPConfig', () => {
    const cases: [string, string][] = [
      ['jinja', '{% if a %}\nX=1\n{% elif b %}\nX=2\n{% else %}\nX=3\n{% endif %}\nX=4\n'],
      ['erb', '<% if @a -%>\nX=1\n<% elsif @b -%>\nX=2\n<% else -%>\nX=3\n<% end -%>\nX=4\n'],
      ['go', '{{- if .a }}\nX=1\n{{- else if .b }}\nX=2\n{{- else }}\nX=3\n{{- end }}\nX=4\n'],
      ['ispconfig', "<tmpl_if name='a'>\nX=1\n<tmpl_elseif name='b'>\nX=2\n<tmpl_else>\nX=3\n</tmpl_if>\nX=4\n"],
    ];
    for (const [name, text] of cases) {
      const scan = scanTemplate(text);
      assert.ok(exclusiveLines(scan, 1, 3) && exclusiveLines(scan, 1, 5) && exclusiveLines(scan, 3, 5), name);
      assert.ok(!exclusiveLines(scan, 1, 7) && !exclusiveLines(scan, 5, 7), `${name}: after the block`);
      const dups = (t: string): number[] => lint(t.replace(/X=/g, 'ONBOOT=').replace(/=\d/g, '=yes'), { template: true }).findings.filter((f) => f.rule === 'duplicate-parameter').map((f) => f.range.start.line);
      // The three branches alone: no duplicate. With the assignment after the block: a real duplicate.
      assert.deepEqual(dups(text.replace(/X=4\n$/, '')), [], name);
      assert.ok(dups(text).length > 0, `${name}: the line after the block duplicates the branches`);
    }
  });

  it('a loop body is not a branch; nested ifs keep their own branches', () => {
    const scan = scanTemplate('{% for i in x %}\nA=1\n{% endfor %}\n{% if a %}\n{% if b %}\nB=1\n{% else %}\nB=2\n{% endif %}\n{% else %}\nB=3\n{% endif %}\n');
    assert.ok(!exclusiveLines(scan, 1, 5));
    assert.ok(exclusiveLines(scan, 5, 7) && exclusiveLines(scan, 5, 10) && exclusiveLines(scan, 7, 10));
  });

  it('shell ${var}, Python %(x)s and autoconf @X@ are placeholders; an escaped \\${x} is not', () => {
    const scan = scanTemplate('A="${a}/x"\nB="%(b)sG"\nC=@C_DIR@/x\nD="\\${d}"\n');
    const lines = scan.masked.split('\n');
    assert.equal(lines[0], `A="${P.repeat(4)}/x"`);
    assert.equal(lines[1], `B="${P.repeat(5)}G"`);
    assert.equal(lines[2], `C=${P.repeat(7)}/x`);
    assert.equal(lines[3], 'D="\\${d}"');
  });

  it('names: template extensions and the name underneath', () => {
    for (const n of ['101.conf.j2', 'x/vz.conf.erb', 've-a.conf-sample.tmpl', 'openvz.conf.tpl', '1.conf.JINJA2']) assert.ok(isTemplateName(n), n);
    for (const n of ['101.conf', 've-a.conf-sample.x86_64', 'vz.conf.in', undefined]) assert.ok(!isTemplateName(n), String(n));
    assert.equal(stripTemplateExtension('conf/101.conf.j2'), 'conf/101.conf');
  });

  it('lint: kind from the name under the extension; messages show {…}; no fix writes placeholder text', () => {
    const r = lint('VE_ROOT="/vz/{{ r }}"\nIPTABLES="{{ mods }}"\nQUOTATIME = "{{ q }}"\nDISKSPACE="{{ d }}Q:1G"\n', { path: '/x/vz.conf.j2' });
    assert.equal(r.kind, 'node');
    const suffix = r.findings.find((f) => f.rule === 'invalid-value');
    assert.ok(suffix && suffix.range.start.line === 3, JSON.stringify(r.findings));
    for (const f of r.findings) {
      assert.ok(!f.message.includes(P), f.message);
      for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(!e.newText.includes(P));
    }
    // A message quotes the template's text, never the stand-in a placeholder was checked with: the
    // heredoc of wild 039 (`${ipaddr}/255.255.255.255`) was reported as '"1" is not a valid IPv4 address'.
    const said = (text: string): string[] => lint(text, { path: '/x/conf/101.conf.tmpl' }).findings.filter((f) => f.rule === 'invalid-value').map((f) => f.message);
    const mask = said('IP_ADDRESS="${ipaddr}/255.255.255.255"\n');
    assert.equal(mask.length, 1, JSON.stringify(mask));
    assert.match(mask[0] ?? '', /"255\.255\.255\.255" is a dotted mask/);
    assert.deepEqual(said('IP_ADDRESS="${ipaddr}/24 ${ip2}"\n'), []);
    const enumValue = said('ONBOOT="${x}es"\n');
    assert.ok(enumValue.length === 1 && enumValue[0]?.includes('"{…}es"'), JSON.stringify(enumValue));
    // The spacing fix on a placeholder line is dropped (it would rewrite template text).
    const space = r.findings.find((f) => f.rule === 'space-around-equals');
    assert.ok(space && space.fixes === undefined, JSON.stringify(space));
  });
});

describe('template pre-pass on stray openers (attack: 1 MB line of `{{` took 28 s, `{%` over a minute)', () => {
  /** Characters String.prototype.indexOf looked at while `fn` ran (the scan's work, not its time). */
  function scanned(fn: () => void): number {
    const original = String.prototype.indexOf;
    let work = 0;
    String.prototype.indexOf = function (this: string, search: string, from?: number): number {
      const at = original.call(this, search, from);
      work += (at < 0 ? this.length : at) - (from ?? 0);
      return at;
    };
    try {
      fn();
    } finally {
      String.prototype.indexOf = original;
    }
    return work;
  }

  for (const opener of ['{{', '{%', '<%', '{#', '{tmpl_var ', '<tmpl_']) {
    it(`looks at each character a bounded number of times for 200,000 unclosed "${opener}"`, () => {
      const text = `ONBOOT="${opener.repeat(200_000)}"\n`;
      let scan: ReturnType<typeof scanTemplate> | undefined;
      const work = scanned(() => {
        scan = scanTemplate(text);
      });
      assert.equal(scan?.masked.length, text.length);
      assert.ok(work <= 20 * text.length, `indexOf scanned ${work} characters for a text of ${text.length}`);
    });
  }

  it('still finds the tags after many stray openers (the closer search is remembered correctly)', () => {
    // The stray `{%` are more than a tag's length (4 KiB) from the first `%}`, so they stay plain text.
    const text = `A="${'{%'.repeat(50)}"\n# ${'x'.repeat(5000)}\nB="{{ b }}"\n{% if d %}\nX=1\n{% endif %}\nC={% raw %}\n`;
    const scan = scanTemplate(text);
    const lines = scan.masked.split('\n');
    assert.equal(lines[0], `A="${'{%'.repeat(50)}"`);
    assert.equal(lines[2], `B="${P.repeat(7)}"`);
    assert.deepEqual([...scan.controlLines].sort((a, b) => a - b), [3, 5]);
    assert.equal(lines[6], `C=${P.repeat(9)}`);
  });
});

describe('templates: an unquoted placeholder of a list parameter', () => {
  const CT = '/srv/roles/openvz/templates/101.conf.j2';
  const VSWAP = 'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
  const shell = (text: string, path = CT): string[] => lint(`${VSWAP}${text}`, { path }).findings
    .filter((f) => f.rule === 'shell-unsafe-value')
    .map((f) => `${f.severity}@${f.range.start.line + 1}:${f.range.start.character}-${f.range.end.character} ${f.message}`);

  it('is an info on the placeholder when no quote of the template encloses it (Jinja2, ERB, Go, ${var})', () => {
    assert.deepEqual(shell("IP_ADDRESS={{ ips | join(' ') }}\n"), ['info@3:11-32 IP_ADDRESS: unquoted placeholder; a rendered list of 2+ items breaks sourcing by sh']);
    assert.equal(shell('NAMESERVER=<%= @nameservers.join(" ") %>\n', '/srv/101.conf.erb').length, 1);
    assert.equal(shell('FEATURES={{ .Features }}\n', '/srv/101.conf.tmpl').length, 1);
    // After a literal first item (escaped blank included), the placeholder is still outside quotes.
    assert.equal(shell('IP_ADDRESS=10.0.0.1\\ {{ ip }}\n').length, 1);
    // In an if/else branch too.
    assert.equal(shell('{% if a %}\nDEVICES={{ devs }}\n{% endif %}\n').length, 1);
    const f = lint(`${VSWAP}IP_ADDRESS={{ ips }}\n`, { path: CT }).findings.find((x) => x.rule === 'shell-unsafe-value');
    assert.deepEqual(f?.fixes ?? [], [], 'no fix on a template line');
    assert.ok((f?.message.length ?? 0) <= 100);
  });

  it('is quiet when quoted, for single-word values, and where the placeholder may quote what it renders', () => {
    assert.deepEqual(shell('IP_ADDRESS="{{ ips }}"\nSEARCHDOMAIN="a {{ d }}"\n'), []);
    // HOSTNAME, numbers, yes/no: a blank would be a wrong value anyway.
    assert.deepEqual(shell('HOSTNAME={{ host }}\nCPUS={{ cpus }}\nONBOOT={{ onboot }}\n'), []);
    assert.deepEqual(shell("IP_ADDRESS={{ ips | join(' ') | quote }}\nNAMESERVER={{ ns | to_json }}\n"), []);
    assert.deepEqual(shell('NAMESERVER=<%= @ns.inspect %>\n', '/srv/101.conf.erb'), []);
    // A plain (non-template) file has no placeholders: `{{ ips }}` is just an unquoted blank there.
    assert.deepEqual(lint(`${VSWAP}IP_ADDRESS={{ ips }}\n`, { path: '/etc/vz/conf/101.conf' }).findings.filter((x) => x.rule === 'shell-unsafe-value').map((x) => x.severity), ['warning']);
  });

  it('marks self-quoting placeholders by line', () => {
    assert.deepEqual([...(scanTemplate('A={{ a | quote }}\nB={{ b }}\n').selfQuotingLines ?? [])], [0]);
    assert.equal(scanTemplate('B={{ b }}\n').selfQuotingLines, undefined);
  });
});
