/**
 * vzlint over a node directory streams (issue 8 item 4): files are read, linted and dropped node by node
 * (`NodeLinter`, keeping findings and the values the node checks compare), large trees are linted in
 * worker threads. None of that may change a finding: the streamed output must equal the non-streamed
 * result — `lintNode` over the same files, every file and analysis in memory at once — on a generated
 * node and on the corpus, with and without worker threads.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LintPool } from '../../server/src/cli/lintWorker';
import { formatJson, formatStylish, JsonWriter, toJsonFindings, type FileReport, type JsonFinding } from '../../server/src/cli/format';
import { formatGithub } from '../../server/src/cli/sarif';
import { compactFinding, lintNode, NodeLinter, type NodeFile, type NodeLintOptions } from '../../server/src/service/node';
import { ctidOf } from '../../server/src/service/nodeFiles';
import { vswapConfig, writeNode } from '../bench/generate';
import { CORPUS, filesUnder, NEEDS_CORPUS } from '../helpers/corpus';
import { runCaptured } from '../helpers/vzlint';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'vzconf-fleet-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A generated node of `count` containers plus what exercises every node check (names, paths, samples, memory, suppressions, lone CRs). */
function generatedNode(name: string, count: number): string {
  const dir = path.join(tmp, name);
  const { root } = writeNode(dir, count);
  const conf = path.join(root, 'conf');
  writeFileSync(path.join(conf, 've-web.conf-sample'), 'ONBOOT="yes"\nPHYSPAGES="0:512M"\nSWAPPAGES="0:512M"\n');
  // The same NAME twice; a VE_PRIVATE without $VEID twice; a sample that does not exist.
  const shared = (ctid: number): string => vswapConfig(ctid, 0).replace('VE_PRIVATE="/vz/private/$VEID"', 'VE_PRIVATE="/vz/private/shared"');
  writeFileSync(path.join(conf, '9001.conf'), `${shared(9001).replace(/ORIGIN_SAMPLE="[^"]*"/, 'ORIGIN_SAMPLE="nosuch"')}NAME="web"\n`);
  writeFileSync(path.join(conf, '9002.conf'), `${shared(9002)}NAME="web"\n`);
  // A suppressed duplicate address, and a file with a lone CR (editor lines differ from vzctl's).
  writeFileSync(path.join(conf, '9003.conf'), `# vzconf-disable duplicate-ip-address\n${vswapConfig(9003, 0).replace(/IP_ADDRESS="[^"]*"/, 'IP_ADDRESS="10.0.0.1"')}`);
  writeFileSync(path.join(conf, '9004.conf'), `# note\rmore\n${vswapConfig(9004, 0).replace(/IP_ADDRESS="[^"]*"/, 'IP_ADDRESS="10.0.0.1"')}`);
  return dir;
}

/** A node whose containers are the corpus's real files (vzctl's shipped configs and configs from the wild). */
function corpusNode(): string {
  const dir = path.join(tmp, 'corpus-node');
  const conf = path.join(dir, 'etc', 'vz', 'conf');
  mkdirSync(conf, { recursive: true });
  writeFileSync(path.join(dir, 'etc', 'vz', 'vz.conf'), readFileSync(path.join(CORPUS, 'versions', 'classic@4.9', 'etc', 'vz.conf')));
  const skip = /^(MANIFEST\.json|README\.md|SOURCES\.md|dists|download\.conf|osrelease\.conf|oom-groups\.conf|networks_classes)$|\.(md|json)$/;
  const texts = [...filesUnder(path.join(CORPUS, 'upstream'), skip, 64 * 1024), ...filesUnder(path.join(CORPUS, 'wild'), skip, 64 * 1024)].filter((f) => !f.includes(`${path.sep}dists${path.sep}`));
  texts.forEach((f, i) => writeFileSync(path.join(conf, `${1000 + i}.conf`), readFileSync(f)));
  writeFileSync(path.join(conf, 've-basic.conf-sample'), readFileSync(texts.find((f) => /ve-basic\.conf-sample/.test(f)) ?? (texts[0] as string)));
  return dir;
}

/**
 * The non-streamed result: `lintNode` over every file of `<dir>/etc/vz` at once (vz.conf as node config,
 * conf/ files as the rest, its samples), as `vzlint --format json` items with paths relative to `dir`.
 */
function nonStreamed(dir: string, options: NodeLintOptions = {}): JsonFinding[] {
  return toJsonFindings(nonStreamedReports(dir, dir, undefined, options));
}

/** {@link nonStreamed} as reports, with paths relative to `base` and `host` set (a fleet's `<base>/<host>/etc/vz`). */
function nonStreamedReports(dir: string, base: string, host: string | undefined, options: NodeLintOptions = {}): FileReport[] {
  const root = path.join(dir, 'etc', 'vz');
  const conf = path.join(root, 'conf');
  const read = (p: string): NodeFile => ({ path: p, text: readFileSync(p, 'utf8') });
  const names = readdirSync(conf).sort();
  const result = lintNode({
    nodeConfig: read(path.join(root, 'vz.conf')),
    containers: names.map((n) => read(path.join(conf, n))),
    // As vzlint lists conf/: the sample names when there are any, else none known (vzctl's shipped ones apply).
    ...(names.some((n) => n.startsWith('ve-')) ? { samples: names.flatMap((n) => /^ve-(.+)\.conf-sample$/.exec(n)?.[1] ?? []) } : {}),
  }, options);
  const reports: FileReport[] = result.files.map((f) => ({ file: path.relative(base, f.path), kind: f.ctx.kind, target: f.ctx.target, findings: f.findings, ...(host !== undefined ? { host } : {}) }));
  reports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return reports;
}

/** `vzlint --format json ARGS` in `cwd`: without worker threads, and with two forced on (whatever the size). */
async function bothWays(cwd: string, args: string[]): Promise<{ plain: string; threaded: string; code: number }> {
  const plain = await runCaptured(['--format', 'json', ...args], cwd, { workers: 0, prefetchFrom: Infinity });
  const threaded = await runCaptured(['--format', 'json', ...args], cwd, { workers: 2, workersFrom: 1 });
  // Read ahead on the reading thread (read.ts Prefetcher), whatever the size.
  const prefetched = await runCaptured(['--format', 'json', ...args], cwd, { workers: 0, prefetchFrom: 1 });
  assert.equal(plain.err, '', plain.err);
  assert.equal(threaded.err, '', threaded.err);
  assert.equal(prefetched.err, '', prefetched.err);
  assert.equal(threaded.code, plain.code);
  assert.equal(prefetched.code, plain.code);
  assert.equal(prefetched.out, plain.out, 'files read ahead on the reading thread: the same output, byte for byte');
  return { plain: plain.out, threaded: threaded.out, code: plain.code };
}

describe('vzlint over a node streams without changing a finding', () => {
  it('a generated node of 300 containers: the same JSON as lintNode over all files at once, with and without worker threads', async () => {
    const dir = generatedNode('gen', 300);
    const { plain, threaded } = await bothWays(dir, ['--node-ram', '16G', 'etc/vz']);
    assert.equal(threaded, plain, 'worker threads change nothing, byte for byte');
    const items = JSON.parse(plain) as JsonFinding[];
    const reference = nonStreamed(dir, { capacity: { ramBytes: 16n * 1024n ** 3n } });
    assert.deepEqual(items, reference);
    // The node checks did run: every cross-container rule has findings here.
    const rules = new Set(items.map((i) => i.rule));
    for (const r of ['duplicate-ip-address', 'duplicate-ct-name', 'shared-private-path', 'sample-not-found', 'node-memory-overcommit']) assert.ok(rules.has(r), `${r} found`);
    // The suppressed file keeps its suppression; the lone-CR file's node finding is in editor lines (after the CR).
    assert.ok(!items.some((i) => i.file.endsWith('9003.conf') && i.rule === 'duplicate-ip-address'));
    const cr = items.find((i) => i.file.endsWith('9004.conf') && i.rule === 'duplicate-ip-address');
    assert.equal(cr?.line, 18, 'IP_ADDRESS is line 17 for vzctl, 18 in the editor');
  });

  it('the corpus as one node (its real files as containers): the same JSON as lintNode, with and without worker threads', { skip: NEEDS_CORPUS }, async () => {
    const dir = corpusNode();
    const { plain, threaded } = await bothWays(dir, ['etc/vz']);
    assert.equal(threaded, plain);
    const items = JSON.parse(plain) as JsonFinding[];
    assert.ok(items.length > 500, `the corpus has findings (${items.length})`);
    assert.deepEqual(items, nonStreamed(dir));
  });

  it('corpus folders as given (upstream/, versions/): the same output with and without worker threads', { skip: NEEDS_CORPUS }, async () => {
    for (const folder of ['upstream', 'versions']) {
      const { plain, threaded } = await bothWays(CORPUS, [folder]);
      assert.ok((JSON.parse(plain) as unknown[]).length > 0, `${folder} has findings`);
      assert.equal(threaded, plain, folder);
    }
  });

  it('NodeLinter (file by file) gives lintNode\'s findings, whole or compact', () => {
    const dir = generatedNode('service', 60);
    const root = path.join(dir, 'etc', 'vz');
    const conf = path.join(root, 'conf');
    const nodeConfig: NodeFile = { path: path.join(root, 'vz.conf'), text: readFileSync(path.join(root, 'vz.conf'), 'utf8') };
    const files: NodeFile[] = readdirSync(conf).sort().map((n) => ({ path: path.join(conf, n), text: readFileSync(path.join(conf, n), 'utf8') }));
    const options: NodeLintOptions = { capacity: { ramBytes: 1024n ** 3n } };
    // No sample list: the samples vzctl shipped (vswap-256m…) exist, so most containers get no node finding.
    const whole = lintNode({ nodeConfig, containers: files }, options);
    const expected = new Map(whole.files.map((f) => [f.path, f.findings]));
    for (const compact of [false, true]) {
      const linter = new NodeLinter(nodeConfig, undefined, { ...options, compact });
      for (const f of files) {
        // Containers go through lintAlone + addLinted (the worker threads' way), the rest through add.
        const alone = linter.lintAlone(f);
        if (alone) linter.addLinted(alone);
        else linter.add(f);
      }
      const { files: got, memory } = linter.finish();
      assert.deepEqual(got.map((f) => f.path), whole.files.map((f) => f.path));
      // Compact: what compactFinding keeps of each finding (rule, severity, message, detail, range, fixes).
      for (const f of got) assert.deepEqual(f.findings, compact ? (expected.get(f.path) ?? []).map(compactFinding) : expected.get(f.path), `${f.path} (compact ${compact})`);
      if (compact) assert.ok(got.some((f) => f.findings.some((x) => x.fixes !== undefined && x.fixes.length === 1 && x.facts === undefined)), 'compact findings keep one fix and no facts');
      assert.deepEqual(memory, whole.memory);
      assert.equal(got.filter((f) => f.role === 'container').length, files.filter((f) => ctidOf(f.path) !== undefined).length);
    }
  });

  it('JSON written as bytes and as parts keeps a detail of 700 KB whole', () => {
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });
    const target = { generation: 'classic' as const, version: '4.11.1', explicit: false, reason: 'auto' };
    const big = 'x\u00e9'.repeat(350_000);
    const reports: FileReport[] = [
      { file: 'a.conf', kind: 'container', target, findings: [{ rule: 'r', severity: 'warning', message: 'small', range: at(0) }] },
      { file: 'b \u00fc.conf', kind: 'container', target, findings: [
        { rule: 'r', severity: 'info', message: 'big', detail: big, range: at(1) },
        { rule: 'r', severity: 'info', message: 'after', range: at(2) },
      ] },
    ];
    const parts: Buffer[] = [];
    const w = new JsonWriter(() => assert.fail('text written where bytes were asked for'), (x) => parts.push(Buffer.from(x)), (ps) => {
      for (const x of ps) parts.push(Buffer.from(x));
    });
    w.add(reports);
    w.add(reports);
    w.end();
    assert.equal(Buffer.concat(parts).toString('utf8'), formatJson([...reports, ...reports]));
  });

  it('JSON written file by file (JsonWriter) and from compact findings is formatJson\'s text, fixes of every kind included', () => {
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });
    const edit = { range: at(0), newText: 'x' };
    const safe = { title: 'safe', edits: [edit], safe: true };
    const unsafe = { title: 'unsafe', edits: [edit], safe: false };
    const target = { generation: 'classic' as const, version: '4.11.1', explicit: false, reason: 'auto' };
    const reports: FileReport[] = [
      { file: 'a "q".conf', kind: 'container', target, findings: [
        { rule: 'r', severity: 'warning', message: 'no fix', range: at(0) },
        { rule: 'r', severity: 'error', message: 'safe only \u2028 "quoted"', detail: 'why', range: at(1), fixes: [safe, { ...safe, title: 'second safe' }] },
        { rule: 'r', severity: 'info', message: 'unsafe only', detail: '', range: at(2), fixes: [unsafe] },
        { rule: 'r', severity: 'hint', message: 'both', range: at(3), fixes: [unsafe, { ...unsafe, title: 'second unsafe' }, safe] },
      ] },
      { file: 'empty.conf', kind: 'container', target, findings: [] },
      // A path of multi-byte characters (its "file" field encoded once, copied for its second finding).
      { file: 'ct \u00fc/\ud83d\ude00.conf', kind: 'container', target, findings: [
        { rule: 'r', severity: 'warning', message: 'one', range: at(0) },
        { rule: 'r', severity: 'warning', message: 'two', range: at(1), fixes: [unsafe] },
      ] },
      { file: 'b.conf', kind: 'node', target, host: 'web\t1', findings: [{ rule: 's', severity: 'error', message: 'm', range: at(5), fixes: [safe] }] },
    ];
    const compact = reports.map((r) => ({ ...r, findings: r.findings.map(compactFinding) }));
    for (const list of [reports, compact]) {
      let text = '';
      const w = new JsonWriter((s) => { text += s; });
      for (const r of list) w.add([r]);
      w.end();
      assert.equal(text, formatJson(reports));
      // As UTF-8 bytes (what dist/vzlint.js writes): the same text; every finding is written twice, so the
      // second time its bytes come from the writer's memo.
      const chunks: Uint8Array[] = [];
      const b = new JsonWriter(() => assert.fail('text written where bytes were asked for'), (x) => chunks.push(x));
      b.add(list);
      b.add(list);
      b.add([]);
      b.end();
      assert.equal(Buffer.concat(chunks).toString('utf8'), formatJson([...reports, ...reports]));
      // As parts (what dist/vzlint.js writes with writev to a file or /dev/null): the same bytes, sizes told right.
      const parts: Uint8Array[] = [];
      const p = new JsonWriter(() => assert.fail('text written where bytes were asked for'), (x) => parts.push(x), (ps, size) => {
        assert.equal(size, ps.reduce((n, x) => n + x.length, 0));
        for (const x of ps) parts.push(Buffer.from(x));
      });
      p.add(list);
      p.add(list);
      p.add([]);
      p.end();
      assert.equal(Buffer.concat(parts).toString('utf8'), formatJson([...reports, ...reports]));
    }
    const items = JSON.parse(formatJson(reports)) as JsonFinding[];
    assert.deepEqual(items.map((i) => [i.fixable, i.unsafeFix]), [[false, undefined], [true, undefined], [false, true], [true, true], [false, undefined], [false, true], [true, undefined]]);
    // Every fix by title, also those compact findings keep without their edits.
    assert.deepEqual(items.map((i) => i.fixes?.map((x) => `${x.title}:${x.safe}`)), [undefined, ['safe:true', 'second safe:true'], ['unsafe:false'], ['unsafe:false', 'second unsafe:false', 'safe:true'], undefined, ['unsafe:false'], ['safe:true']]);
    let empty = '';
    const none = new JsonWriter((s) => { empty += s; });
    none.add([]);
    none.end();
    assert.equal(empty, formatJson([]));
    const noBytes: Uint8Array[] = [];
    const noneBytes = new JsonWriter(() => assert.fail('text written where bytes were asked for'), (x) => noBytes.push(x));
    noneBytes.add([]);
    noneBytes.end();
    assert.equal(Buffer.concat(noBytes).toString('utf8'), formatJson([]));
  });

  it('worker threads only for large trees and free cores', () => {
    assert.equal(LintPool.wanted(999, 1000, 8, 0), 0, 'a small run: none');
    assert.equal(LintPool.wanted(10000, 1000, 2, 0), 1, 'an idle 2-core machine: one worker beside this thread');
    assert.equal(LintPool.wanted(10000, 1000, 2, 1), 0, 'one core busy: none (a thread would only add its start)');
    assert.equal(LintPool.wanted(10000, 1000, 1, 0), 0, 'one core: none');
    assert.equal(LintPool.wanted(10000, 1000, 16, 2.5), 3, 'many free cores: at most 3 workers');
    assert.equal(LintPool.wanted(10000, 1000, 4, 1.2), 2, 'four cores, one busy: two workers and this thread');
  });

  it('a fleet of two hosts, printed node by node: the text every format gives for all reports at once', async () => {
    const fleet = path.join(tmp, 'fleet');
    for (const [host, count] of [['web1', 150], ['web2', 120]] as const) {
      const { root } = writeNode(path.join(fleet, host), count);
      // The same address on both hosts is no duplicate: each host is its own node.
      writeFileSync(path.join(root, 'conf', '9001.conf'), vswapConfig(9001, 5));
    }
    const reports = [...nonStreamedReports(path.join(fleet, 'web1'), tmp, 'web1'), ...nonStreamedReports(path.join(fleet, 'web2'), tmp, 'web2')];
    reports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const expected: Record<string, string> = {
      json: formatJson(reports),
      github: formatGithub(reports),
      stylish: formatStylish(reports, { color: false }),
    };
    for (const format of ['json', 'github', 'stylish']) {
      for (const workers of [0, 1]) {
        const r = await runCaptured(['--format', format, 'fleet'], tmp, { workers, workersFrom: 1 });
        assert.equal(r.err, '');
        assert.equal(r.out, expected[format], `${format}, ${workers} worker threads`);
      }
    }
  });
});
