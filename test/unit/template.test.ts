import assert from 'node:assert/strict';
import fc from 'fast-check';
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
    for (const f of r.findings) {
      assert.ok(!f.message.includes(P), f.message);
      for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(!e.newText.includes(P));
    }
    // The spacing fix on a placeholder line is dropped (it would rewrite template text).
    const space = r.findings.find((f) => f.rule === 'space-around-equals');
    assert.ok(space && space.fixes === undefined, JSON.stringify(space));
  });
});

describe('template values and keys are not judged (trial: a false ERROR on a Jinja2 conditional)', () => {
  const findings = (text: string, path = '/x/conf/102.conf.j2'): { rule: string; line: number; message: string; detail: string }[] =>
    lint(text, { path }).findings.map((f) => ({ rule: f.rule, line: f.range.start.line, message: f.message, detail: f.detail ?? '' }));

  it('a value with a control tag or a placeholder is never claimed invalid (Jinja2, Go, ERB, ISPConfig, shell, Python)', () => {
    const values = [
      '{% if ct.autostart %}yes{% else %}no{% endif %}', '{{ if .X }}yes{{ else }}no{{ end }}', '<% if @a %>yes<% else %>no<% end %>',
      "<tmpl_if name='a'>yes<tmpl_else>no</tmpl_if>", '{{ x }}es', 'ye{{ s }}', '${x}es', '%(x)ses', '{{ a }}{{ b }}',
    ];
    for (const v of values) {
      for (const [key, path] of [['ONBOOT', '/x/conf/102.conf.j2'], ['NETFILTER', '/x/conf/102.conf.tmpl'], ['KMEMSIZE', '/x/conf/102.conf.erb'], ['FEATURES', '/x/conf/102.conf.tpl'], ['IP_ADDRESS', '/x/conf/102.conf.tmpl']] as const) {
        const got = findings(`${key}="${v}"\n`, path).filter((f) => f.rule === 'invalid-value' || f.rule === 'unknown-list-item');
        assert.deepEqual(got, [], `${key}="${v}" in ${path}`);
      }
    }
    // The reported cases whole, as the user ran them: no finding at all.
    assert.deepEqual(findings('ONBOOT="{% if ct.autostart %}yes{% else %}no{% endif %}"\n'), []);
    assert.deepEqual(findings('ONBOOT="{{ if .X }}yes{{ else }}no{{ end }}"\n', '/x/conf/102.conf.tmpl'), []);
    // Literal suffixes and masks next to a placeholder are not judged either: `{{ d }}` may render a quote.
    assert.deepEqual(findings('DISKSPACE="{{ d }}Q:1G"\nIP_ADDRESS="${ipaddr}/255.255.255.255"\nSWAPPAGES="0:{% if big %}1G{% else %}512M{% endif %}"\n'), []);
    // A plain value in a template (inside a branch) is checked as in a plain file.
    const plain = findings('{% if a %}\nONBOOT="maybe"\n{% endif %}\n');
    assert.deepEqual(plain.map((f) => [f.rule, f.line]), [['invalid-value', 1]]);
    // Also in the else branch of a line with a placeholder: rendered, it is the first line of its key.
    const branch = findings('{% if a %}\nONBOOT="{{ x }}"\n{% else %}\nONBOOT="maybe"\n{% endif %}\n');
    assert.deepEqual(branch.map((f) => [f.rule, f.line]), [['invalid-value', 3]]);
  });

  it('a key made of a placeholder is unknown until rendered: no key finding, no empty name in the detail', () => {
    assert.deepEqual(findings('{% for k, v in extra.items() %}\n{{ k }}="{{ v }}"\n{% endfor %}\n'), []);
    assert.deepEqual(findings('CT_{{ n }}_X=1\n{{ k }}="{{ v }}"\n{{ k }}="{{ v }}"\n'), []);
    // A literal unknown key is still reported, with the placeholder of its value shown as {…} everywhere.
    const unknown = findings('ONBOT="{{ v }}"\n');
    assert.deepEqual(unknown.map((f) => f.rule), ['unknown-parameter']);
  });

  it('a value elsewhere that holds template syntax decides nothing: DISK_QUOTA="{{ q }}" may render to no', () => {
    const quota = (dq: string): string[] => findings(`DISK_QUOTA=${dq}\nDISKINODES="100:50"\n`).filter((f) => f.rule === 'barrier-above-limit').map((f) => f.message);
    assert.equal(quota('yes').length, 1);
    assert.deepEqual(quota('no'), []);
    assert.deepEqual(quota('"{{ q }}"'), []);
    assert.deepEqual(quota('"{% if q %}yes{% else %}no{% endif %}"'), []);
  });

  it('a duplicate with a templated value: vzctl (classic) uses the first line it accepts, not a line it names', () => {
    const dup = findings('ONBOOT="{{ onboot }}"\nONBOOT="yes"\n').filter((f) => f.rule === 'duplicate-parameter');
    assert.equal(dup.length, 1, JSON.stringify(dup));
    assert.match(dup[0]?.message ?? '', /first line it accepts/);
    assert.doesNotMatch(dup[0]?.detail ?? '', /uses line 1|and ignores/);
    assert.ok(!(dup[0]?.detail ?? '').includes(P), dup[0]?.detail);
    // Virtuozzo 7's libvzctl takes the last line whatever it holds; a plain template keeps the usual message.
    const vz7 = lint('ONBOOT="{{ onboot }}"\nONBOOT="yes"\n', { path: '/x/conf/102.conf.j2', target: 'vz7' }).findings.filter((f) => f.rule === 'duplicate-parameter');
    assert.ok(vz7.length === 1 && !/accepts/.test(vz7[0]?.message ?? ''), JSON.stringify(vz7));
    const plain = findings('ONBOOT="no"\nONBOOT="yes"\n').filter((f) => f.rule === 'duplicate-parameter');
    assert.ok(plain.length === 1 && /uses the first$/.test(plain[0]?.message ?? ''), JSON.stringify(plain));
    // The detail of a merged list quotes the placeholder as {…}, never the raw mask character.
    const union = findings('IP_ADDRESS="{{ ip }}"\nIP_ADDRESS="10.0.0.1"\n').filter((f) => f.rule === 'duplicate-parameter');
    assert.ok(union.length === 1 && union[0]?.detail.includes('"{…} 10.0.0.1"'), JSON.stringify(union));
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

  it('DESCRIPTION (free text): an unquoted placeholder is an info as for lists; quoted, self-quoting or a plain file, as before', () => {
    assert.deepEqual(shell('DESCRIPTION={{ description }}\n'), ['info@3:12-29 DESCRIPTION: unquoted placeholder; rendered text with a blank breaks sourcing by sh']);
    assert.equal(shell('DESCRIPTION=<%= @description %>\n', '/srv/101.conf.erb').length, 1);
    assert.deepEqual(shell('DESCRIPTION="{{ description }}"\nDESCRIPTION=\'{{ d }}\'\n'), []);
    assert.deepEqual(shell('DESCRIPTION={{ description | quote }}\n'), []);
    const f = lint(`${VSWAP}DESCRIPTION={{ d }}\n`, { path: CT }).findings.find((x) => x.rule === 'shell-unsafe-value');
    assert.deepEqual(f?.fixes ?? [], [], 'no fix on a template line');
    assert.ok((f?.message.length ?? 0) <= 100);
    // What it stands for: the rendered line with a blank is the plain file's warning (sh runs `server`).
    assert.deepEqual(lint(`${VSWAP}DESCRIPTION=web server\n`, { path: '/etc/vz/conf/101.conf' }).findings.filter((x) => x.rule === 'shell-unsafe-value').map((x) => `${x.severity} ${x.message}`),
      ['warning DESCRIPTION: a shell sourcing this file ends the value at the space and runs "server"']);
    // Other string parameters are not free text in the catalogue: quiet, as before.
    assert.deepEqual(shell('VE_ROOT={{ root }}\nOSTEMPLATE={{ os }}\nNAME={{ name }}\n'), []);
  });

  it('marks self-quoting placeholders by line', () => {
    assert.deepEqual([...(scanTemplate('A={{ a | quote }}\nB={{ b }}\n').selfQuotingLines ?? [])], [0]);
    assert.equal(scanTemplate('B={{ b }}\n').selfQuotingLines, undefined);
  });
});

describe('templates: if/else branches at any depth', () => {
  it('two lines are exclusive exactly when some if block holds them in two different branches (random nestings)', () => {
    const op = fc.constantFrom('if', 'else', 'for', 'end', 'line', 'line');
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      // The template, and per line the if branches it sits in (block, branch), outermost first, kept the
      // plain way: a copy of the open ifs for every line.
      const lines: string[] = [];
      const paths: { block: number; branch: number }[][] = [];
      const stack: { block: number; branch: number; isIf: boolean }[] = [];
      let next = 0;
      const config: number[] = [];
      for (const o of ops) {
        paths.push(stack.filter((x) => x.isIf).map(({ block, branch }) => ({ block, branch })));
        if (o === 'if') { lines.push('{% if a %}'); stack.push({ block: next++, branch: 0, isIf: true }); }
        else if (o === 'for') { lines.push('{% for x in y %}'); stack.push({ block: next++, branch: 0, isIf: false }); }
        else if (o === 'else') { lines.push('{% else %}'); const top = stack[stack.length - 1]; if (top?.isIf) top.branch += 1; }
        else if (o === 'end') { lines.push('{% endif %}'); stack.pop(); }
        else { config.push(lines.length); lines.push(`X${lines.length}=1`); }
      }
      const scan = scanTemplate(lines.join('\n') + '\n');
      for (const a of config) {
        for (const b of config) {
          const want = (paths[a] ?? []).some((x) => (paths[b] ?? []).some((y) => x.block === y.block && x.branch !== y.branch));
          assert.equal(exclusiveLines(scan, a, b), want, `${lines.join(' | ')}: ${a} ${b}`);
        }
      }
    }), { numRuns: 400 });
  });

  it('20,000 nested ifs: one branch object per if, and lines apart in the innermost if/else are exclusive', () => {
    const depth = 20000;
    const text = `${'{% if a %}\n'.repeat(depth)}X=1\n{% else %}\nX=2\n${'{% endif %}\n'.repeat(depth)}X=3\n`;
    const scan = scanTemplate(text);
    assert.equal(exclusiveLines(scan, depth, depth + 2), true);
    assert.equal(exclusiveLines(scan, depth, 2 * depth + 3), false);
    // Every line inside shares the branch object of its innermost if: memory linear in the depth.
    assert.equal(new Set(scan.branches.values()).size, depth + 1);
  });
});
