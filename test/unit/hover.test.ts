import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marked } from 'marked';
import { getCatalog } from '../../server/src/catalog/load';
import type { Generation } from '../../server/src/catalog/types';
import { computeHover, MORE_HEADING, sizeSuffixes, SUMMARY_MAX_LINES, syntaxText } from '../../server/src/service/hover';
import { codeSpan, escapeMarkdown } from '../../server/src/service/markdown';
import { parseSizedNumber } from '../../server/src/values/numbers';
import { grammarOf } from '../../server/src/values/validate';

const CT = '/etc/vz/conf/101.conf';

/** The lines of a hover before its "More" section. */
function summaryOf(md: string): string[] {
  const at = md.indexOf(`\n---\n\n${MORE_HEADING}`);
  assert.ok(at > 0, `the hover has a "More" section:\n${md}`);
  return md.slice(0, at).split('\n');
}

/** Every link target and HTML tag name in the hover as VS Code's renderer (marked, GFM) reads it. */
function rendered(md: string): { hrefs: string[]; tags: string[]; srcs: string[] } {
  const html = marked.parse(md, { gfm: true, async: false });
  return {
    hrefs: [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? ''),
    srcs: [...html.matchAll(/src="([^"]*)"/g)].map((m) => m[1] ?? ''),
    tags: [...new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => (m[1] ?? '').toLowerCase()))],
  };
}

/** URLs the catalogue may put in a hover: KB articles (default template), their current copies and docs pages. */
function catalogueUrls(): Set<string> {
  const c = getCatalog().catalog;
  const urls = new Set<string>();
  for (const a of c.kb) {
    urls.add(c.defaultUrlTemplate.replace('{id}', String(a.id)));
    if (a.current) urls.add(a.current);
  }
  for (const p of c.parameters) for (const l of p.links ?? []) urls.add(l.url);
  return urls;
}

/** Tags marked produces for the Markdown vzconf writes (paragraphs, lists, emphasis, code, rules, links). */
const PLAIN_TAGS = new Set(['p', 'ul', 'li', 'strong', 'em', 'code', 'hr', 'a']);

function assertInert(md: string, what: string): void {
  const { hrefs, tags, srcs } = rendered(md);
  const allowed = catalogueUrls();
  for (const h of hrefs) assert.ok(allowed.has(h), `${what}: a link that did not come from the catalogue: ${h}\n${md}`);
  assert.deepEqual(srcs, [], `${what}: an image or src attribute`);
  for (const t of tags) assert.ok(PLAIN_TAGS.has(t), `${what}: HTML tag <${t}> in the rendered hover\n${md}`);
}

describe('hover: a single UBC value', () => {
  it('PHYSPAGES="32G" shows what was written, what vzctl makes of it, and that it is barrier and limit both', () => {
    const h = computeHover('PHYSPAGES="32G"\nSWAPPAGES="0:1G"\n', { line: 0, character: 12 }, { path: CT });
    assert.match(h?.contents ?? '', /- Value: `32G` → 8388608 pages = 32 GiB, as barrier and limit both \(a single value sets both\)/);
  });
  it('a number just below LONG_MAX (what vzcfgvalidate -r writes for KMEMSIZE with NUMPROC unlimited) reads as unlimited − 40 KiB, not 8 EiB', () => {
    const h = computeHover('KMEMSIZE="9223372036854734847:unlimited"\n', { line: 0, character: 12 }, { path: CT });
    assert.match(h?.contents ?? '', /barrier `9223372036854734847` bytes = unlimited − 40 KiB, limit `unlimited`/);
  });
  it('a key ignored over several version ranges says "ignored" once, with the ranges in a list', () => {
    const h = computeHover('KMEMSIZE="1000:1000"\n', { line: 0, character: 2 }, { path: CT, target: 'vz7@7.0.737' });
    const line = (h?.contents ?? '').split('\n').find((l) => l.startsWith('- Virtuozzo 7 (libvzctl):')) ?? '';
    assert.match(line, /; ignored until 7\.0\.442\.9, 7\.0\.442\.10–7\.0\.442\.12, 7\.0\.444–7\.0\.456, /);
    assert.equal(line.match(/ignored/g)?.length, 1, line);
  });
  it('a key vzctl does not parse (PLATFORM in the Virtuozzo 7 samples) is not called "supported" (trial)', () => {
    const h = computeHover('VERSION="2"\nPLATFORM="linux"\n', { line: 1, character: 2 }, { path: CT, target: 'vz7@7.0.737' });
    const line = summaryOf(h?.contents ?? '').find((l) => l.startsWith('- On ')) ?? '';
    assert.match(line, /^- On libvzctl 7\.0\.737 \(Virtuozzo 7\+\): not parsed by vzctl\b.*; read by scripts or other tools$/);
    assert.doesNotMatch(line, /supported/);
  });
  it('a key only the shipped samples carry (classic VERSION) is neither "known" nor "supported" (trial)', () => {
    const h = computeHover('VERSION="2"\n', { line: 0, character: 2 }, { path: CT, target: 'classic@4.11.1' });
    const lines = summaryOf(h?.contents ?? '');
    const on = lines.find((l) => l.startsWith('- On ')) ?? '';
    assert.match(on, /^- On vzctl 4\.11\.1\b.*: in the shipped sample configs, read by no vzctl code; harmless$/);
    const classic = (h?.contents ?? '').split('\n').find((l) => l.startsWith('- Classic vzctl:')) ?? '';
    assert.equal(classic, '- Classic vzctl: in the shipped sample configs, read by no vzctl code; harmless');
    assert.doesNotMatch(on, /supported/);
  });
  it('"Set twice" says which line each generation uses', () => {
    const h = computeHover('ONBOOT="yes"\n', { line: 0, character: 2 }, { path: CT });
    assert.ok((h?.contents ?? '').includes('- Set twice: classic vzctl uses the first, Virtuozzo 7 the last'), h?.contents);
  });
});

describe('hover', () => {
  const text = 'PHYSPAGES="0:262144"\nNETFILTER="full"\nIPTABLES="iptable_filter"\nDISKSPACE="10485760:11534336"\n';

  it('explains a key: scope, what it is, status for the target, one line per KB article with its exact title', () => {
    const h = computeHover(text, { line: 1, character: 3 }, { path: CT });
    assert.ok(h);
    const summary = summaryOf(h.contents);
    assert.match(summary[0] ?? '', /^\*\*NETFILTER\*\* · per container/);
    assert.match(h.contents, /- On vzctl 4\.11\.1: supported since 4\.7; a change on a running container needs a restart/);
    const kb = getCatalog().kb(126787);
    assert.ok(kb);
    assert.ok(summary.includes(`- [KB 126787: ${kb.title.replace(/[[\]\\<>`]/g, (c) => `\\${c}`)}](https://kb.virtuozzo.com/126787)`), summary.join('\n'));
    assert.match(h.contents, /- Syntax: `disabled` \| `stateless` \| `stateful` \| `full`/);
    assert.match(h.contents, /support\.virtuozzo\.com\/hc\/en-us\/articles\/6403678993937/);
    assert.deepEqual(h.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } });
  });

  it('normalises values to human units: 262144 pages = 1 GiB, 10485760 KiB blocks = 10 GiB', () => {
    assert.match(computeHover(text, { line: 0, character: 15 }, { path: CT })?.contents ?? '', /limit `262144` pages = 1 GiB/);
    assert.match(computeHover(text, { line: 3, character: 14 }, { path: CT })?.contents ?? '', /soft `10485760` KiB blocks = 10 GiB/);
  });

  it('explains the NETFILTER mode under the cursor', () => {
    assert.match(computeHover(text, { line: 1, character: 12 }, { path: CT })?.contents ?? '', /- `full`: All netfilter functions, NAT included/);
  });

  it('states the deprecation for the target in the summary and the why once, below "More"', () => {
    const h = computeHover(text, { line: 2, character: 2 }, { path: CT })?.contents ?? '';
    assert.match(summaryOf(h).join('\n'), /- On vzctl 4\.11\.1: deprecated from 4\.7 in CT configs → NETFILTER/);
    assert.equal(h.split('IPTABLES is obsolete since vzctl 4.7').length - 1, 1, 'the why appears once');
    const old = computeHover(text, { line: 2, character: 2 }, { path: CT, target: 'classic@4.6' })?.contents ?? '';
    // IPTABLES is in the classic parameter table of every release (vzctl src/lib/config.c @ vzctl.open-2.7.0-23), so no "since".
    assert.match(old, /- On vzctl 4\.6: supported; a change on a running container needs a restart/);
    assert.doesNotMatch(old, /deprecated from 4\.7 in CT configs → NETFILTER;? a change/);
    const unknown = computeHover('NETFILTER="full"\n', { line: 0, character: 2 }, { path: CT, target: 'classic@4.6' })?.contents ?? '';
    assert.match(unknown, /- On vzctl 4\.6: not known yet \(added in 4\.7\)/);
  });

  it('uses the configured KB URL template, and the default one for a template that is not a plain https: URL', () => {
    const h = computeHover(text, { line: 1, character: 3 }, { path: CT, kbUrlTemplate: 'https://kb.cloudblue.com/{id}' });
    assert.match(h?.contents ?? '', /\]\(https:\/\/kb\.cloudblue\.com\/126787\)/);
    for (const bad of ['javascript:alert({id})', 'command:workbench.action.terminal.new?{id}', 'file:///etc/passwd#{id}', 'http://kb.example/{id}', 'https://kb.example/{id})[x](command:evil', 'https://kb.example/{id}<img src=x>']) {
      const md = computeHover(text, { line: 1, character: 3 }, { path: CT, kbUrlTemplate: bad })?.contents ?? '';
      assert.match(md, /\]\(https:\/\/kb\.virtuozzo\.com\/126787\)/, bad);
      assertInert(md, `template ${bad}`);
    }
  });

  it('tells on an unknown key and on the first line which target and kind were chosen', () => {
    assert.match(computeHover('FOO=1\n', { line: 0, character: 1 }, { path: CT })?.contents ?? '', /not a parameter vzconf knows/);
    const first = computeHover('# header\nVERSION="2"\nPLATFORM="linux"\n', { line: 0, character: 2 }, { path: CT })?.contents ?? '';
    assert.match(first, /libvzctl 7\.0\.737/);
    assert.match(first, /VERSION\\=\\"2\\"/);
  });

  it('returns null off the text', () => {
    assert.equal(computeHover(text, { line: 40, character: 0 }, { path: CT }), null);
  });

  it(`keeps the summary of every parameter at most ${SUMMARY_MAX_LINES} lines, on key and value, with a node config`, () => {
    const catalog = getCatalog().catalog;
    const node = { path: '/etc/vz/vz.conf', text: 'DISK_QUOTA="no"\nVE_LAYOUT="simfs"\nIPTABLES="iptable_filter ipt_state"\n' };
    let longest = 0;
    for (const target of ['classic', 'classic@4.6', 'vz7'] as const) {
      for (const p of catalog.parameters) {
        const line = `${p.name}="${p.default ?? '1'}"`;
        for (const character of [1, line.length - 2]) {
          const h = computeHover(`${line}\n`, { line: 0, character: Math.max(1, character) }, { path: CT, target, nodeConfig: node });
          if (!h) continue;
          const summary = summaryOf(h.contents);
          longest = Math.max(longest, summary.length);
          assert.ok(summary.length <= SUMMARY_MAX_LINES, `${p.name} (${target}): ${summary.length} lines before More:\n${summary.join('\n')}`);
        }
      }
    }
    assert.ok(longest >= 6, 'the check saw real hovers');
  });

  it('never repeats a sentence in a hover', () => {
    const catalog = getCatalog().catalog;
    for (const target of ['classic', 'vz7'] as const) {
      for (const p of catalog.parameters) {
        const md = computeHover(`${p.name}="${p.default ?? '1'}"\n`, { line: 0, character: 1 }, { path: CT, target })?.contents ?? '';
        const sentences = md
          .split(/(?<=[.!?])\s+|\n+/)
          .map((s) => s.replace(/^[-*_\s]+|[*_\s]+$/g, '').toLowerCase())
          .filter((s) => s.length > 25);
        const seen = new Set<string>();
        for (const s of sentences) {
          assert.ok(!seen.has(s), `${p.name} (${target}) repeats: "${s}"\n${md}`);
          seen.add(s);
        }
        // The restart note is generated from `restart` alone.
        assert.ok((md.match(/restart/gi) ?? []).length <= 1 || p.name === 'QUOTAUGIDLIMIT', `${p.name}: restart mentioned more than once\n${md}`);
      }
    }
  });

  it('states the syntax of numbers from the same facts the value check uses (AVNUMPROC takes no suffix, KMEMSIZE K/M/G/T/P/B)', () => {
    const catalog = getCatalog().catalog;
    let checked = 0;
    for (const gen of ['classic', 'vz7'] as Generation[]) {
      for (const p of catalog.parameters) {
        const g = grammarOf(p, gen);
        if (g !== 'ubc' && g !== 'quota') continue;
        const syntax = syntaxText(p, gen);
        const suffixes = sizeSuffixes(p.unit, gen);
        for (const s of ['K', 'M', 'G', 'T', 'P', 'B']) {
          const accepted = parseSizedNumber(`1${s}`, 0, p.unit, gen).ok;
          assert.equal(suffixes.includes(s), accepted, `${p.name} on ${gen}: suffix ${s} accepted=${accepted}, syntax says ${syntax}`);
        }
        assert.equal(/no size suffix/.test(syntax), suffixes.length === 0, `${p.name}: ${syntax}`);
        // The description never states the grammar of numbers again (it would be a second statement).
        assert.doesNotMatch(p.description, /suffix/i, `${p.name}: the description speaks of suffixes`);
        checked += 1;
      }
    }
    assert.ok(checked > 30);
    assert.match(syntaxText(getCatalog().parameter('AVNUMPROC')!, 'classic'), /in counts; no size suffix/);
    assert.match(syntaxText(getCatalog().parameter('KMEMSIZE')!, 'classic'), /K\/M\/G\/T\/P\/B/);
    assert.match(syntaxText(getCatalog().parameter('KMEMSIZE')!, 'vz7'), /K\/M\/G\/T\/B;/);
  });
});

describe('hover escaping (issue 11: nothing from a file, a file name or a setting becomes Markdown)', () => {
  const evilKeys = [
    '[x](command:workbench.action.terminal.new)',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '![i](https://evil.example/i.png)',
    '*a*_b_`c`',
    'www.evil.example',
  ];

  it('escapes keys the catalogue does not know', () => {
    for (const key of evilKeys) {
      const md = computeHover(`${key}="1"\n`, { line: 0, character: 1 }, { path: CT })?.contents;
      if (md === undefined) continue; // the parser does not read it as a key: nothing is shown
      assertInert(md, `key ${key}`);
      assert.doesNotMatch(md, /\]\(command:|\]\(javascript:/, key);
    }
  });

  it('keeps values with backticks, HTML and links inside their code span (effective value, vz.conf value)', () => {
    const values = ['a`b', '``x`` <img src=x>', '[x](command:workbench.action.terminal.new)', '` [y](javascript:alert(1)) `', 'x\u001b]0;title\u0007'];
    for (const v of values) {
      const ct = `HOSTNAME="${v}"\nDISKSPACE="1:2"\nIPTABLES="iptable_filter"\n`;
      const node = { path: '/etc/vz [x](command:evil)/<img src=x>/vz.conf', text: `DISK_QUOTA="${v}"\nIPTABLES="${v}"\n` };
      for (const [line, character] of [[0, 2], [0, 12], [1, 2], [2, 2]] as const) {
        const md = computeHover(ct, { line, character }, { path: CT, nodeConfig: node, target: 'classic@4.6' })?.contents ?? '';
        assertInert(md, `value ${JSON.stringify(v)} at ${line}:${character}`);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(md, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no control characters');
      }
    }
  });

  it('escapes the file name and the reasons in the first line\'s footer', () => {
    for (const dir of ['/tmp/[x](command:workbench.action.terminal.new)', '/tmp/<img src=x onerror=alert(1)>', '/tmp/`a`b`']) {
      for (const name of ['101.conf', 'vz.conf', 've-[x](javascript:alert(1)).conf-sample']) {
        const md = computeHover('# header\nONBOOT="yes"\n', { line: 0, character: 2 }, { path: `${dir}/conf/${name}` })?.contents ?? '';
        assertInert(md, `${dir}/${name}`);
      }
    }
  });

  it('escapeMarkdown and codeSpan', () => {
    assert.equal(escapeMarkdown('[x](y)'), '\\[x\\]\\(y\\)');
    // Control characters as messages and vzlint show them (`\n`, `\u001b`), the backslash escaped for Markdown.
    assert.equal(escapeMarkdown('a\nb'), 'a\\\\nb');
    assert.equal(escapeMarkdown('a\u001b[2Jb'), 'a\\\\u001b\\[2Jb');
    assert.equal(codeSpan('a\u001bb\u202e'), '`a\\u001bb\\u202e`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`a'), '`` `a ``');
    assert.equal(codeSpan(''), '`""`');
    assert.equal(codeSpan('x'.repeat(200), 10), `\`${'x'.repeat(9)}…\``);
  });
});
