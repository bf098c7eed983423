import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { findSchemasDir } from '../../server/src/catalog/load';
import { computeCompletions, type CompletionItem, type CompletionOptions } from '../../server/src/service/completion';
import { computeHover } from '../../server/src/service/hover';
import { applyEdits } from '../helpers/edits';
import { NEEDS_CORPUS } from '../helpers/corpus';

const CT = '/etc/vz/conf/101.conf';
const NODE = '/etc/vz/vz.conf';
const CT0 = '/etc/vz/conf/0.conf';
const CORPUS = resolve(__dirname, '../../../shared/corpus');
// Read only where the corpus exists; the tests that use them skip otherwise (NEEDS_CORPUS).
const VSWAP_1G = NEEDS_CORPUS ? '' : readFileSync(join(CORPUS, 'upstream/openvz-vzctl-classic/conf/ve-vswap-1g.conf-sample'), 'utf8');
const VZ_CONF_46 = NEEDS_CORPUS ? '' : readFileSync(join(CORPUS, 'upstream/openvz-vzctl-classic/historical/vz.conf.in@vzctl-4.6'), 'utf8');

/** Completions at the end of `line` (or at `character`). */
function at(text: string, line: number, character: number | undefined, options: CompletionOptions): CompletionItem[] {
  const lineText = text.split(/\r\n|\n/)[line] ?? '';
  return computeCompletions(text, { line, character: character ?? lineText.length }, options);
}
const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
const byLabel = (items: CompletionItem[], label: string): CompletionItem => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} expected among ${labels(items).join(', ')}`);
  return item;
};
/** The items in the order an editor shows them (sortText, then label). */
const sorted = (items: CompletionItem[]): string[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

describe('completion: keys', () => {
  it('ve-vswap-1g.conf-sample: offers container keys not yet set, with value-grammar snippets', { skip: NEEDS_CORPUS }, () => {
    const text = `${VSWAP_1G}\n`;
    const lines = text.split('\n');
    const items = at(text, lines.length - 1, 0, { path: '/etc/vz/conf/ve-vswap-1g.conf-sample' });
    const names = labels(items);
    for (const set of ['PHYSPAGES', 'SWAPPAGES', 'DISKSPACE', 'DISKINODES', 'QUOTATIME', 'CPUUNITS', 'NETFILTER']) assert.ok(!names.includes(set), `${set} is already set`);
    for (const want of ['KMEMSIZE', 'ONBOOT', 'OSTEMPLATE', 'FEATURES', 'IP_ADDRESS', 'VE_LAYOUT']) assert.ok(names.includes(want), `${want} expected`);
    for (const nodeOnly of ['LOCKDIR', 'IPTABLES_MODULES', 'DEF_OSTEMPLATE', 'CONFIGFILE']) assert.ok(!names.includes(nodeOnly), `${nodeOnly} is node-wide`);
    // Virtuozzo 7-only and removed keys are not offered on classic vzctl 4.11.1.
    for (const other of ['UUID', 'CPULIMIT_MHZ', 'NOATIME']) assert.ok(!names.includes(other), `${other} unknown or removed on vzctl 4.11.1`);
    const kmem = byLabel(items, 'KMEMSIZE');
    assert.equal(kmem.textEdit.newText, 'KMEMSIZE="${1:barrier}:${2:limit}"');
    assert.equal(kmem.insertTextFormat, 2);
    assert.equal(byLabel(items, 'ONBOOT').textEdit.newText, 'ONBOOT="${1|yes,no|}"');
    assert.equal(byLabel(items, 'VE_LAYOUT').textEdit.newText, 'VE_LAYOUT="${1|ploop,simfs,ploop:expanded,ploop:plain|}"');
    assert.equal(byLabel(items, 'MEMINFO').textEdit.newText, 'MEMINFO="${1|privvmpages:1,none|}"');
    assert.equal(byLabel(items, 'FEATURES').textEdit.newText, 'FEATURES="${1|sysfs,nfs,sit,ipip,ppp,ipgre,bridge,nfsd|}:${2|on,off|}"');
    assert.equal(byLabel(items, 'QUOTAUGIDLIMIT').kind, 10);
    // Keys whose value has completions of its own re-open the suggest widget.
    assert.equal(byLabel(items, 'OSTEMPLATE').command?.command, 'editor.action.triggerSuggest');
    // Applying the snippet's text (as plain text) gives a line vzctl can parse once the placeholders are filled.
    assert.equal(applyEdits('\n', [{ ...kmem.textEdit, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]), 'KMEMSIZE="${1:barrier}:${2:limit}"\n');
  });

  it('deprecated and ignored keys are tagged Deprecated and sorted last; removed ones are not offered', () => {
    const items = at('\n', 0, 0, { path: CT });
    const iptables = byLabel(items, 'IPTABLES');
    assert.deepEqual(iptables.tags, [1]);
    assert.match(iptables.detail ?? '', /deprecated/);
    const order = sorted(items);
    const firstTagged = order.findIndex((l) => items.find((i) => i.label === l)?.tags);
    assert.ok(firstTagged > 0);
    assert.ok(order.slice(firstTagged).every((l) => items.find((i) => i.label === l)?.tags), 'all tagged keys come after the others');
    assert.equal(byLabel(items, 'NETFILTER').tags, undefined);
    // NOATIME: removed in vzctl 4.3, still known (and offered) on 4.2.
    assert.ok(!labels(items).includes('NOATIME'));
    assert.ok(labels(at('\n', 0, 0, { path: CT, target: 'classic@4.2' })).includes('NOATIME'));
  });

  it('follows the target: NETFILTER from vzctl 4.7 (IPTABLES not yet deprecated before), none on libvzctl 8.0.70', () => {
    const old = at('\n', 0, 0, { path: CT, target: 'classic@4.6' });
    assert.ok(!labels(old).includes('NETFILTER'));
    assert.equal(byLabel(old, 'IPTABLES').tags, undefined);
    const vz7 = at('\n', 0, 0, { path: CT, target: 'vz7' });
    assert.ok(labels(vz7).includes('NETFILTER'));
    assert.ok(labels(vz7).includes('UUID'));
    assert.ok(!labels(vz7).includes('VE_LAYOUT'), 'libvzctl does not know VE_LAYOUT');
    assert.equal(byLabel(vz7, 'ONBOOT').textEdit.newText, 'ONBOOT="${1|yes,no,auto|}"');
    assert.ok(!labels(at('\n', 0, 0, { path: CT, target: 'vz7@8.0.70' })).includes('NETFILTER'), 'removed in 8.0.70');
  });

  it('follows the file kind: vz.conf gets node-wide and shared keys, 0.conf only UBC, memory and ONBOOT', () => {
    const node = labels(at('\n', 0, 0, { path: NODE }));
    for (const k of ['LOCKDIR', 'IPTABLES_MODULES', 'DEF_OSTEMPLATE', 'CONFIGFILE', 'VE_LAYOUT', 'DISK_QUOTA', 'VE_ROOT']) assert.ok(node.includes(k), `${k} in vz.conf`);
    for (const k of ['PHYSPAGES', 'NETFILTER', 'OSTEMPLATE', 'IP_ADDRESS']) assert.ok(!node.includes(k), `${k} is per container`);
    const ct0 = labels(at('\n', 0, 0, { path: CT0 }));
    assert.ok(ct0.includes('KMEMSIZE') && ct0.includes('PHYSPAGES') && ct0.includes('ONBOOT'));
    assert.ok(!ct0.includes('IP_ADDRESS') && !ct0.includes('DISKSPACE') && !ct0.includes('LOCKDIR'));
  });

  it('historical vz.conf of vzctl 4.6: keys already set are left out, the typed prefix is replaced', { skip: NEEDS_CORPUS }, () => {
    const text = `${VZ_CONF_46}IPTA\n`;
    const line = text.split('\n').length - 2;
    const items = at(text, line, 4, { path: NODE, target: 'classic@4.6' });
    const names = labels(items);
    assert.ok(!names.includes('IPTABLES') && !names.includes('IPTABLES_MODULES') && !names.includes('LOCKDIR'), 'set in the file');
    assert.ok(names.includes('SKIP_SYSCTL_SETUP'), 'known since 4.6');
    assert.ok(!names.includes('SKIP_ARPDETECT'), 'only from 4.7');
    const item = byLabel(items, 'SKIP_SYSCTL_SETUP');
    assert.deepEqual(item.textEdit.range, { start: { line, character: 0 }, end: { line, character: 4 } });
  });

  it('before an existing "=" inserts the name only; in a comment offers nothing', () => {
    const items = at('NETF="full"\n', 0, 4, { path: CT });
    const nf = byLabel(items, 'NETFILTER');
    assert.equal(nf.textEdit.newText, 'NETFILTER');
    assert.equal(nf.insertTextFormat, undefined);
    assert.deepEqual(nf.textEdit.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    assert.deepEqual(at('# NET\n', 0, 5, { path: CT }), []);
    assert.deepEqual(at('PHYSPAGES="0:1G" # x\n', 0, 20, { path: CT }), [], 'after the closing quote');
  });

  it('each key is documented with the hover text of the parameter', () => {
    const items = at('\n', 0, 0, { path: CT });
    for (const name of ['NETFILTER', 'PHYSPAGES', 'IPTABLES', 'DISKSPACE']) {
      const doc = byLabel(items, name).documentation;
      assert.equal(doc?.kind, 'markdown');
      const hover = computeHover(`${name}="x"\n\n`, { line: 0, character: 1 }, { path: CT });
      assert.ok(hover && doc && hover.contents.startsWith(`${doc.value}\n\n_`), `${name}: documentation is the hover without its footer`);
    }
    assert.match(byLabel(items, 'NETFILTER').documentation?.value ?? '', /\[KB 126787: /);
    assert.match(byLabel(items, 'NETFILTER').documentation?.value ?? '', /kb\.cloudblue\.com\/126787|kb\.virtuozzo\.com\/126787/);
    const custom = at('\n', 0, 0, { path: CT, kbUrlTemplate: 'https://kb.cloudblue.com/{id}' });
    assert.match(byLabel(custom, 'NETFILTER').documentation?.value ?? '', /https:\/\/kb\.cloudblue\.com\/126787/);
  });
});

describe('completion: notes and defaults', () => {
  it('CPUUWEIGHT comes only with its note and sorts after CPUUNITS (classic) and CPUWEIGHT (vz7 has no CPUUWEIGHT)', () => {
    const items = at('ONBOOT="yes"\nCPU', 1, undefined, { path: CT });
    const order = sorted(items);
    const typo = byLabel(items, 'CPUUWEIGHT');
    assert.match(typo.detail ?? '', /^undocumented; the name is a typo of CPUWEIGHT/);
    assert.equal(typo.labelDetails?.description, 'undocumented; the name is a typo of CPUWEIGHT (use CPUUNITS)');
    assert.ok(order.indexOf('CPUUWEIGHT') > order.indexOf('CPUUNITS'), order.join(' '));
    assert.ok(order.indexOf('CPUUWEIGHT') > order.indexOf('CPULIMIT'), 'after the ordinary CPU keys');
    const vz7 = at('VERSION="2"\nCPU', 1, undefined, { path: CT, target: 'vz7' });
    assert.ok(labels(vz7).includes('CPUWEIGHT'));
    assert.ok(!labels(vz7).includes('CPUUWEIGHT'));
  });

  it('the default value is marked: stateless for NETFILTER, in the detail and beside the label', () => {
    const items = at('NETFILTER=""\n', 0, 11, { path: CT });
    const stateless = byLabel(items, 'stateless');
    assert.match(stateless.detail ?? '', /^default · /);
    assert.equal(stateless.labelDetails?.description, 'default');
    for (const other of ['disabled', 'stateful', 'full']) assert.equal(byLabel(items, other).labelDetails, undefined, other);
  });
});

describe('completion: values', () => {
  it('NETFILTER modes with their description; an unquoted value gets double quotes', () => {
    const quoted = at('NETFILTER=""\n', 0, 11, { path: CT });
    assert.deepEqual(labels(quoted), ['disabled', 'stateless', 'stateful', 'full']);
    const full = byLabel(quoted, 'full');
    assert.equal(full.detail, 'All netfilter functions, NAT included.');
    assert.match(full.documentation?.value ?? '', /^\*\*NETFILTER\*\* · per container[^\n]*\n\n[^\n]+\n\n\*\*`full`:\*\* All netfilter functions, NAT included\./);
    assert.deepEqual(full.textEdit, { range: { start: { line: 0, character: 11 }, end: { line: 0, character: 11 } }, newText: 'full' });
    const bare = byLabel(at('NETFILTER=sta\n', 0, 13, { path: CT }), 'stateful');
    assert.deepEqual(bare.textEdit, { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 13 } }, newText: '"stateful"' });
    assert.equal(bare.filterText, 'stateful');
    assert.equal(applyEdits('NETFILTER=sta\n', [bare.textEdit]), 'NETFILTER="stateful"\n');
    // Replacing an existing quoted value replaces all of it.
    const replace = byLabel(at('NETFILTER="stateless"\n', 0, 14, { path: CT }), 'full');
    assert.equal(applyEdits('NETFILTER="stateless"\n', [replace.textEdit]), 'NETFILTER="full"\n');
  });

  it('yes/no, VE_LAYOUT and MEMINFO forms', () => {
    assert.deepEqual(labels(at('DISK_QUOTA="', 0, undefined, { path: NODE })), ['yes', 'no']);
    assert.deepEqual(labels(at('ONBOOT=""', 0, 8, { path: CT, target: 'vz7' })), ['yes', 'no', 'auto']);
    const layout = at('VE_LAYOUT="p"', 0, 12, { path: NODE });
    assert.deepEqual(labels(layout), ['ploop', 'simfs', 'ploop:expanded', 'ploop:plain', 'ploop:raw']);
    assert.equal(sorted(layout).at(-1), 'ploop:raw', 'the unsupported raw format comes last');
    const meminfo = at('MEMINFO=""', 0, 9, { path: CT });
    assert.deepEqual(labels(meminfo), ['privvmpages:1', 'pages:N', 'none']);
    assert.equal(byLabel(meminfo, 'pages:N').textEdit.newText, 'pages:${1:262144}');
    assert.equal(byLabel(meminfo, 'pages:N').insertTextFormat, 2);
  });

  it('an inline comment is never replaced, and nothing is offered inside it', () => {
    const vz7 = { path: CT, target: 'vz7' };
    const yes = byLabel(at('ONBOOT=y # c', 0, 8, vz7), 'yes');
    assert.deepEqual(yes.textEdit.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } });
    assert.equal(applyEdits('ONBOOT=y # c', [yes.textEdit]), 'ONBOOT="yes" # c');
    for (const ch of [9, 10, 12]) assert.deepEqual(at('ONBOOT=y # c', 0, ch, vz7), [], `cursor at ${ch} is in the comment`);
    // In the blank before the comment; an empty value; a quoted value with a quote inside the comment.
    assert.equal(applyEdits('ONBOOT=  # c', [byLabel(at('ONBOOT=  # c', 0, 7, vz7), 'no').textEdit]), 'ONBOOT="no"  # c');
    assert.equal(applyEdits('ONBOOT="y" # it\'s "x"', [byLabel(at('ONBOOT="y" # it\'s "x"', 0, 9, vz7), 'yes').textEdit]), 'ONBOOT="yes" # it\'s "x"');
    const list = byLabel(at('FEATURES=nfs:on,p # c', 0, 17, vz7), 'ppp:on');
    assert.equal(applyEdits('FEATURES=nfs:on,p # c', [list.textEdit]), 'FEATURES=nfs:on,ppp:on # c');
    // Classic reads `# c` into an unquoted value, but the edit still stops before it.
    assert.equal(applyEdits('ONBOOT=y # c', [byLabel(at('ONBOOT=y # c', 0, 8, { path: CT }), 'yes').textEdit]), 'ONBOOT="yes" # c');
  });

  it("classic: a single-quoted value (quotes kept by vzctl) is replaced whole by a double-quoted one", () => {
    const items = at("ONBOOT=''", 0, 8, { path: CT });
    const yes = byLabel(items, 'yes');
    assert.equal(applyEdits("ONBOOT=''", [yes.textEdit]), 'ONBOOT="yes"');
    assert.equal(yes.filterText, "'yes", 'filtered against the text from the range start, the quote included');
    assert.equal(applyEdits("NETFILTER='stat'", [byLabel(at("NETFILTER='stat'", 0, 14, { path: CT }), 'stateful').textEdit]), 'NETFILTER="stateful"');
    assert.deepEqual(at("FEATURES='nfs:on,'", 0, 17, { path: CT }), [], 'list items would stay inside the single quotes');
    assert.deepEqual(at("KMEMSIZE='1:'", 0, 12, { path: CT }), []);
    // Virtuozzo 7 removes single quotes: completion stays inside them.
    assert.equal(applyEdits("ONBOOT=''", [byLabel(at("ONBOOT=''", 0, 8, { path: CT, target: 'vz7' }), 'yes').textEdit]), "ONBOOT='yes'");
  });

  it('FEATURES: name:on|off items not already in the list, for the features the target knows', () => {
    const text = 'FEATURES="nfs:on sysfs:off "\n';
    const items = at(text, 0, 27, { path: CT });
    const names = labels(items);
    assert.ok(!names.some((n) => n.startsWith('nfs:') || n.startsWith('sysfs:')), 'nfs and sysfs are set');
    assert.ok(names.includes('ppp:on') && names.includes('bridge:off'));
    assert.match(byLabel(items, 'ppp:on').documentation?.value ?? '', /\*\*`ppp`:\*\* PPP devices/);
    assert.deepEqual(byLabel(items, 'ppp:on').textEdit.range, { start: { line: 0, character: 27 }, end: { line: 0, character: 27 } });
    // After "name:" the item under the cursor is replaced whole.
    const colon = at('FEATURES="nfs:on ppp:"\n', 0, 21, { path: CT });
    assert.deepEqual(byLabel(colon, 'ppp:on').textEdit.range, { start: { line: 0, character: 17 }, end: { line: 0, character: 21 } });
    // vzctl 3.0.13 knew no ipgre / bridge / nfsd yet; libvzctl knows sysfs at every tag (lib/vzfeatures.c).
    const old = labels(at('FEATURES=""\n', 0, 10, { path: CT, target: 'classic@3.0.13' }));
    assert.ok(old.includes('sysfs:on') && !old.includes('bridge:on'));
    const vz7 = labels(at('FEATURES=""\n', 0, 10, { path: CT, target: 'vz7' }));
    assert.ok(vz7.includes('sysfs:on') && vz7.includes('time:on'));
  });

  it('CAPABILITY: names not in the list (case-insensitive), switching a dangerous one on sorts last', () => {
    const items = at('CAPABILITY="net_admin:on,"\n', 0, 25, { path: CT });
    const names = labels(items);
    assert.ok(!names.includes('NET_ADMIN:on') && !names.includes('NET_ADMIN:off'));
    assert.ok(names.includes('CHOWN:on') && names.includes('SYS_TIME:off'));
    assert.equal(sorted(items).at(-1)?.endsWith(':on'), true);
    assert.match(byLabel(items, 'SYS_ADMIN:on').detail ?? '', /dangerous/);
  });

  it('IPTABLES and IPTABLES_MODULES module names, without those already listed', { skip: NEEDS_CORPUS }, () => {
    const text = 'IPTABLES="ipt_REJECT iptable_filter "\n';
    const items = at(text, 0, 36, { path: CT, target: 'classic@4.6' });
    assert.ok(!labels(items).includes('ipt_REJECT'));
    assert.match(byLabel(items, 'iptable_nat').documentation?.value ?? '', /needs at least `NETFILTER="full"`/);
    assert.ok(!labels(at('IPTABLES=""\n', 0, 10, { path: CT, target: 'vz7' })).includes('ipt_recent'), 'classic-only module');
    // vz.conf of vzctl 4.6: its IPTABLES_MODULES="$IPTABLES" line; a new name after a blank.
    const lines = VZ_CONF_46.split('\n');
    const n = lines.findIndex((l) => l.startsWith('IPTABLES_MODULES='));
    assert.ok(n >= 0);
    const edited = [...lines.slice(0, n), 'IPTABLES_MODULES="ipt_REJECT "', ...lines.slice(n + 1)].join('\n');
    const modules = at(edited, n, 29, { path: NODE, target: 'classic@4.6' });
    assert.ok(labels(modules).includes('ip6_tables') && labels(modules).includes('ipt_limit') && !labels(modules).includes('ipt_REJECT'));
    assert.deepEqual(labels(at('IP6TABLES=""\n', 0, 11, { path: NODE })).sort(), ['ip6_tables', 'ip6t_REJECT', 'ip6table_filter', 'ip6table_mangle']);
  });

  it('OSTEMPLATE / DEF_OSTEMPLATE: the OS templates of KB 127023, in the form of the target', () => {
    const classic = at('OSTEMPLATE=""\n', 0, 12, { path: CT });
    const names = labels(classic);
    for (const want of ['centos-6-x86_64', 'centos-6-x86', 'centos-7-x86_64', 'debian-8.0-x86_64', 'ubuntu-10.04.4-x86', 'suse-13.2-x86_64', 'fedora-22-x86_64', 'redhat-el7-x86_64', 'sles-11-x86']) assert.ok(names.includes(want), want);
    assert.ok(!names.includes('centos-7-x86'), 'KB 127023 lists centos-7 for x86_64 only');
    assert.match(byLabel(classic, 'centos-6-x86_64').documentation?.value ?? '', /KB 127023/);
    const node = labels(at('DEF_OSTEMPLATE="cen"\n', 0, 19, { path: NODE }));
    assert.ok(node.includes('centos-6-x86'));
    const vz7 = labels(at('DEF_OSTEMPLATE=""\n', 0, 16, { path: NODE, target: 'vz7' }));
    assert.ok(vz7.includes('.centos-7') && vz7.includes('.ubuntu-15.04') && !vz7.includes('centos-7-x86_64'));
  });

  it('CONFIGFILE / ORIGIN_SAMPLE: sample names for the version, the node\'s own samples first', () => {
    const now = labels(at('CONFIGFILE=""\n', 0, 12, { path: NODE }));
    assert.ok(now.includes('vswap-1g') && now.includes('basic') && !now.includes('unlimited') && !now.includes('vps.basic'));
    const old = labels(at('CONFIGFILE=""\n', 0, 12, { path: NODE, target: 'classic@3.0.10' }));
    assert.ok(old.includes('vps.basic') && old.includes('unlimited') && !old.includes('basic'));
    const local = at('ORIGIN_SAMPLE=""\n', 0, 15, { path: CT, samples: ['mysite', 'basic'] });
    assert.deepEqual(sorted(local).slice(0, 2), ['mysite', 'basic']);
    assert.equal(labels(local).filter((l) => l === 'basic').length, 1);
    assert.ok(labels(at('CONFIGFILE=""\n', 0, 12, { path: NODE, target: 'vz7' })).includes('vswap.1024MB'));
  });

  it('UBC parts: `unlimited` for the part under the cursor; classic quotas do not take it', () => {
    const ubc = at('PRIVVMPAGES="262144:"\n', 0, 20, { path: CT });
    assert.deepEqual(labels(ubc), ['unlimited']);
    assert.deepEqual(ubc[0]?.textEdit.range, { start: { line: 0, character: 20 }, end: { line: 0, character: 20 } });
    assert.deepEqual(at('DISKSPACE="1G:"\n', 0, 14, { path: CT }), []);
    assert.deepEqual(labels(at('DISKSPACE="1G:"\n', 0, 14, { path: CT, target: 'vz7' })), ['unlimited']);
  });

  it('unknown keys and values without vocabulary offer nothing; CRLF files work', () => {
    assert.deepEqual(at('FOO=""\n', 0, 5, { path: CT }), []);
    assert.deepEqual(at('HOSTNAME=""\n', 0, 10, { path: CT }), []);
    assert.deepEqual(labels(at('ONBOOT="yes"\r\nNETFILTER=""\r\n', 1, 11, { path: CT })), ['disabled', 'stateless', 'stateful', 'full']);
  });
});

describe('completion data: schemas validate', () => {
  const dir = findSchemasDir();
  for (const name of ['templates', 'host-modules']) {
    it(`schemas/${name}.yaml`, () => {
      const ajv = new Ajv({ allErrors: true, strict: true });
      const schema = JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8')) as object;
      const data = parse(readFileSync(join(dir, `${name}.yaml`), 'utf8')) as unknown;
      assert.ok(ajv.validate(schema, data), ajv.errorsText(ajv.errors));
      assert.equal(ajv.validate(schema, { ...(data as object), extra: 1 }), false, 'the schema rejects unknown fields');
    });
  }
});
