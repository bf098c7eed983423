import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { findSchemasDir, getCatalog } from '../../server/src/catalog/load';
import { configSchema, ConfigFileError, findConfigFile, loadConfigFile, MAX_CONFIG_FILE_BYTES, parseConfigFile, validateAgainstSchema } from '../../server/src/service/config';
import { lint } from '../../server/src/service/lint';
import { mergeSettings } from '../../server/src/settings';

const schemas = findSchemasDir();
const FILE = '/w/.vzconf.yaml';

function error(text: string): ConfigFileError {
  try {
    parseConfigFile(text, FILE);
  } catch (e) {
    assert.ok(e instanceof ConfigFileError, String(e));
    return e;
  }
  assert.fail(`expected an error for ${JSON.stringify(text)}`);
}

describe('.vzconf.yaml: valid files', () => {
  it('reads every option; nodeConfig is made absolute against the file folder', () => {
    const s = parseConfigFile(
      'target: classic@4.6\nkind: container\nrules:\n  ubc-required: off\n  inline-comment: error\nknownParameters: [MY_KEY]\nkb:\n  urlTemplate: https://kb.cloudblue.com/{id}\nignoreSuppressions: true\nnodeConfig: etc/vz/vz.conf\nnodeRam: 64G\nnodeSwap: 8G\n',
      FILE,
    );
    assert.deepEqual(s, {
      target: 'classic@4.6', kind: 'container', rules: { 'ubc-required': 'off', 'inline-comment': 'error' }, knownParameters: ['MY_KEY'],
      kbUrlTemplate: 'https://kb.cloudblue.com/{id}', ignoreSuppressions: true, nodeConfig: '/w/etc/vz/vz.conf', nodeRam: '64G', nodeSwap: '8G',
    });
  });

  it('an empty file or one with comments only sets nothing', () => {
    assert.deepEqual(parseConfigFile('', FILE), {});
    assert.deepEqual(parseConfigFile('# nothing yet\n', FILE), {});
  });
});

describe('.vzconf.yaml: invalid files give a positioned ConfigFileError, never a crash', () => {
  it('YAML syntax', () => {
    const e = error('rules: [a\n');
    assert.match(e.detail, /not valid YAML/);
  });
  it('unknown option, at its key', () => {
    const e = error('target: vz7\ntaget: vz7\n');
    assert.deepEqual([e.line, e.character], [1, 0]);
    assert.match(e.detail, /unknown option "taget"; did you mean target\?/);
    // No option near: where the options are, in one short message (the list itself was 118 characters).
    const far = error('bogusoption: 1\n').detail;
    assert.equal(far, 'unknown option "bogusoption" (the options: docs/configuration.md)');
    assert.ok(far.length <= 100);
  });
  it('a collection as a key: said as an unknown option, and nothing of the YAML library on stderr', async () => {
    // The library warns that such a key "will be stringified" (process.emitWarning in its CommonJS build,
    // console.warn in the ES module build the language server bundles); the problem is said once, by vzconf.
    const said: string[] = [];
    const onWarning = (w: Error): void => void said.push(w.message);
    const consoleWarn = console.warn;
    process.on('warning', onWarning);
    console.warn = (...args: unknown[]): void => void said.push(args.join(' '));
    try {
      assert.equal(error('? [a, b]\n: c\n').detail, 'unknown option "[ a, b ]" (the options: docs/configuration.md)');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      console.warn = consoleWarn;
      process.off('warning', onWarning);
    }
    assert.deepEqual(said, []);
  });
  it('wrong types and values, at the value', () => {
    assert.match(error('target: vz8\n').detail, /^target: invalid target "vz8": use auto, classic, /);
    assert.match(error('rules: off\n').detail, /rules: must be a mapping/);
    const level = error('rules:\n  inline-comment: loud\n');
    assert.deepEqual([level.line, level.character], [1, 18]);
    assert.match(error('knownParameters: [A, A]\n').detail, /listed twice/);
    assert.match(error('ignoreSuppressions: "yes"\n').detail, /must be a boolean/);
    assert.match(error('- a\n- b\n').detail, /must be a mapping, not a list/);
    assert.match(error('nodeRam: lots\n').detail, /nodeRam/);
    // A number YAML reads as Infinity or NaN is named so (JSON.stringify said "number null"; attack).
    assert.match(error('nodeRam: 1e400\n').detail, /nodeRam: must be a string, not number Infinity$/);
    assert.match(error('nodeSwap: .nan\n').detail, /nodeSwap: must be a string, not number NaN$/);
    assert.match(error('ignoreSuppressions: -.inf\n').detail, /must be a boolean, not number -Infinity$/);
  });
  it('a value of the wrong form says in words what is expected, not the schema\'s regular expression', () => {
    assert.equal(error('nodeRam: lots\n').detail, 'nodeRam: "lots" is not bytes, or a number with a K, M, G or T suffix (e.g. 64G)');
    assert.equal(error('nodeSwap: 8 G\n').detail, 'nodeSwap: "8 G" is not bytes, or a number with a K, M, G or T suffix (e.g. 8G)');
    assert.equal(error('knownParameters: [my-key]\n').detail, 'knownParameters.0: "my-key" is not a parameter name: letters, digits and _, not starting with a digit (e.g. MY_BACKUP_POLICY)');
  });
  it('nodeConfig: "" (or blanks) is an error at the value, not a silent "unset"', () => {
    for (const text of ['nodeConfig: ""\n', 'target: auto\nnodeConfig: "  "\n']) {
      const e = error(text);
      assert.equal(e.detail, 'nodeConfig: the path is empty (leave nodeConfig out to find vz.conf as vzctl does)');
      assert.deepEqual([e.line, e.character], [text.split('\n').length - 2, 12]);
    }
  });
  it('unknown rule ids, with did-you-mean', () => {
    const e = error('rules:\n  inline-coment: off\n');
    assert.equal(e.line, 1);
    assert.match(e.detail, /unknown rule "inline-coment"; did you mean inline-comment\?/);
  });
  it('a duplicate key', () => {
    assert.match(error('target: vz7\ntarget: classic\n').detail, /not valid YAML/);
  });
  it('every problem has the span of the key or value it is about (what the language server underlines)', () => {
    const e = error('rules:\n  inline-comment: loud\n  inline-coment: off\nnodeRAM: 64G\n');
    // In the file's order (trial: they came schema mistakes first, unknown rules last).
    assert.deepEqual(e.problems.map((p) => [p.line, p.character, p.end?.line, p.end?.character]), [[1, 18, 1, 22], [2, 2, 2, 15], [3, 0, 3, 7]]);
    assert.match(e.problems[2]?.detail ?? '', /did you mean nodeRam\?/);
  });
  it('a target no release matches (classic@4.66) is reported with the schema mistakes, at its value, in one run', () => {
    const e = error('target: classic@4.66\nrules:\n  nosuch-rule: off\nnodeRam: lots\nbogus: 1\n');
    assert.deepEqual(e.problems.map((p) => [p.line, p.character]), [[0, 8], [2, 2], [3, 9], [4, 0]], JSON.stringify(e.problems));
    assert.match(e.problems[0]?.detail ?? '', /^target: classic@4\.66 is newer than any classic vzctl \(the last is 4\.11\.1\)$/);
    assert.match(e.detail, /\(and 3 more problems\)$/);
    assert.ok((e.problems[0]?.detail.length ?? 0) <= 100);
    // Alone, and the other ways a target names no release.
    assert.deepEqual([error('target: classic@4.66\n').line, error('target: classic@4.66\n').character], [0, 8]);
    assert.match(error('kind: node\ntarget: classic@2.0\n').detail, /^target: classic@2\.0 is older than the oldest vzctl/);
    assert.match(error('target: vz7@vzctl-99.1\n').detail, /no Virtuozzo vzctl release 99\.1 is known/);
  });
  it('YAML syntax: every error the parser finds, each with its span (not only the first)', () => {
    const e = error('target: vz7\ntarget: classic\nkind: node\nkind: container\n');
    assert.equal(e.problems.length, 2, JSON.stringify(e.problems));
    assert.deepEqual(e.problems.map((p) => p.line), [1, 3]);
    for (const p of e.problems) {
      assert.match(p.detail, /^not valid YAML: /);
      assert.ok(p.end && (p.end.line > p.line || p.end.character > p.character), JSON.stringify(p));
    }
    assert.match(e.detail, /\(and 1 more problem\)$/);
  });
  it('duplicate keys in every mapping (block, flow, nested), each at its key; a file of 20,000 keys is read, not stuck', () => {
    const e = error('rules:\n  inline-comment: off\n  ubc-required: off\n  inline-comment: error\nkb: {urlTemplate: a, urlTemplate: b}\n');
    assert.deepEqual(e.problems.map((p) => [p.line, p.character, p.end?.line, p.end?.character, p.detail]), [
      [3, 2, 3, 16, 'not valid YAML: Map keys must be unique'],
      [4, 21, 4, 32, 'not valid YAML: Map keys must be unique'],
    ]);
    // Keys equal as scalars are duplicates however they are quoted; 1 and "1" are not.
    assert.equal(error('target: vz7\n"target": vz7\n').problems.length, 1);
    assert.throws(() => parseConfigFile('rules:\n  1: off\n  "1": off\n', FILE), (x: unknown) => x instanceof ConfigFileError && !/unique/.test(x.detail));
    const many = Array.from({ length: 20000 }, (_, i) => `  bogus-${i}: wrong\n`).join('');
    const big = error(`rules:\n${many}  bogus-7: off\n`);
    assert.deepEqual([big.line, big.character, big.detail], [20001, 2, 'not valid YAML: Map keys must be unique']);
    const bad = error(`rules:\n${many}`);
    assert.equal(bad.problems.length, 11);
    assert.match(bad.detail, /^rules\.bogus-0: must be one of .* \(and 39999 more problems\)$/);
    assert.deepEqual([bad.problems[1]?.line, bad.problems[1]?.character], [2, 11]);
  });
  it('positions count lines as YAML and editors do (a lone CR ends one) and stay inside the text (an error at the end of the file)', () => {
    const cr = error('rules:\r  duplicate-parameter: loud\r  bad-rule: off\n');
    const lines = ['rules:', '  duplicate-parameter: loud', '  bad-rule: off', ''];
    assert.ok(cr.problems.length >= 1, JSON.stringify(cr.problems));
    for (const p of cr.problems) {
      for (const q of [p, p.end ?? p]) assert.ok(q.line < lines.length && q.character <= (lines[q.line] ?? '').length, JSON.stringify(p));
    }
    const eof = error('rules: {');
    for (const p of eof.problems) {
      assert.equal(p.line, 0, JSON.stringify(p));
      assert.ok(p.character <= 8 && (p.end?.line ?? 0) === 0 && (p.end?.character ?? 0) <= 8, JSON.stringify(p));
    }
    // CRLF: the same positions as LF.
    const crlf = error('rules:\r\n  inline-comment: loud\r\n');
    assert.deepEqual([crlf.line, crlf.character, crlf.problems[0]?.end], [1, 18, { line: 1, character: 22 }]);
  });
  it('keys are looked up as own properties only: constructor, toString, __proto__ are unknown options', () => {
    assert.match(error('constructor: 1\n').detail, /^unknown option "constructor"/);
    assert.match(error('toString: x\n').detail, /^unknown option "toString"/);
    assert.match(error('hasOwnProperty: x\n').detail, /^unknown option "hasOwnProperty"/);
    assert.match(error('__proto__: {target: vz7}\n').detail, /^unknown option "__proto__"/);
    assert.match(error('kb:\n  constructor: 1\n').detail, /^kb: unknown option "constructor"/);
    assert.match(error('rules:\n  constructor: off\n').detail, /unknown rule "constructor"/);
    assert.match(error('rules:\n  __proto__: off\n').detail, /unknown rule "__proto__"/);
  });
  it('a huge value or key is cut short in the message', () => {
    const e = error(`target: ${'a'.repeat(5e6)}`);
    assert.ok(e.message.length < 400, `message of ${e.message.length} characters`);
    assert.match(e.detail, /^target: invalid target "a{80}…": use auto/);
    const key = error(`${'k'.repeat(100000)}: 1\n`);
    assert.ok(key.message.length < 400, `message of ${key.message.length} characters`);
    const nested = error(`rules:\n  ${'r'.repeat(100000)}: loud\n`);
    assert.ok(nested.message.length < 600, `message of ${nested.message.length} characters`);
  });
});

describe('.vzconf.yaml: the JSON Schema', () => {
  const schemaJson = JSON.parse(readFileSync(path.join(schemas, 'vzconf-config.schema.json'), 'utf8')) as object;
  it('is a valid draft-07 schema that ajv and the built-in validator agree on', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    // VS Code's JSON Schema extension keyword (its settings use it too): an annotation, no validation.
    ajv.addKeyword('patternErrorMessage');
    const validate = ajv.compile(schemaJson);
    const samples: unknown[] = [
      {}, { target: 'vz7@8.0.70' }, { target: 'nope' }, { rules: { 'inline-comment': 'off' } }, { rules: { 'inline-comment': 'loud' } },
      { knownParameters: ['A_B'] }, { knownParameters: ['1x'] }, { kb: { urlTemplate: 'x' } }, { kb: { url: 'x' } }, { extra: 1 },
      { nodeRam: '1.5T' }, { nodeRam: 'x' }, { ignoreSuppressions: false }, { kind: 'ct0' }, { kind: 'vm' }, [],
    ];
    for (const s of samples) assert.equal(validateAgainstSchema(s, configSchema()).length === 0, validate(s), JSON.stringify(s));
  });
  it('lists every rule for completion', () => {
    const props = Object.keys((schemaJson as { properties: { rules: { properties: Record<string, unknown> } } }).properties.rules.properties).sort();
    assert.deepEqual(props, getCatalog().catalog.rules.map((r) => r.id).sort(), 'add the new rule id to schemas/vzconf-config.schema.json rules.properties');
  });
  it('has an option for every setting the file may hold (target, kind, rules, …)', () => {
    const props = Object.keys((schemaJson as { properties: Record<string, unknown> }).properties).sort();
    assert.deepEqual(props, ['ignoreSuppressions', 'kb', 'kind', 'knownParameters', 'nodeConfig', 'nodeRam', 'nodeSwap', 'rules', 'target']);
  });
});

describe('.vzconf.yaml: on disk, and precedence in the engine', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vzconf-config-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds the nearest file upward and stops at stopAt', async () => {
    const deep = path.join(tmp, 'a', 'etc', 'vz', 'conf');
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(tmp, 'a', '.vzconf.yaml'), 'target: vz7\n');
    assert.equal(await findConfigFile(deep), path.join(tmp, 'a', '.vzconf.yaml'));
    assert.equal(await findConfigFile(deep, path.join(tmp, 'a', 'etc')), undefined);
    assert.deepEqual(await loadConfigFile(path.join(tmp, 'a', '.vzconf.yaml')), { target: 'vz7' });
    await assert.rejects(loadConfigFile(path.join(tmp, 'missing.yaml')), /no such file/);
  });

  it('the nearest of several files upward wins, and a folder between them named .vzconf.yaml is passed over', async () => {
    // The folders are looked at together: the answer must still be the nearest file, not the first look done.
    const deep = path.join(tmp, 'b', 'etc', 'vz', 'conf');
    await mkdir(path.join(deep, '.vzconf.yaml'), { recursive: true });
    await writeFile(path.join(tmp, 'b', '.vzconf.yaml'), 'target: vz7\n');
    await writeFile(path.join(tmp, 'b', 'etc', 'vz', '.vzconf.yaml'), 'target: vz6\n');
    for (let i = 0; i < 20; i += 1) assert.equal(await findConfigFile(deep), path.join(tmp, 'b', 'etc', 'vz', '.vzconf.yaml'));
    assert.equal(await findConfigFile(path.join(tmp, 'b', 'etc')), path.join(tmp, 'b', '.vzconf.yaml'));
    assert.equal(await findConfigFile(deep, deep), undefined, 'stopAt is the folder itself: only it is looked at');
  });

  it('reads only a regular file of at most 1 MiB: a directory, a FIFO, /dev/zero and a huge file are refused at once, naming the path', async () => {
    const refused = async (p: string, detail: RegExp): Promise<void> => {
      const e = await loadConfigFile(p).then(() => undefined, (err: unknown) => err);
      assert.ok(e instanceof ConfigFileError, `${p}: ${String(e)}`);
      assert.ok(e.unreadable);
      assert.match(e.detail, detail);
      assert.ok(e.message.startsWith(`${p}: `), e.message);
    };
    const dir = path.join(tmp, 'guard');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await refused(path.join(dir, 'sub'), /is a directory/);
    await refused('/dev/zero', /not a regular file/);
    await writeFile(path.join(dir, 'big.yaml'), `# ${'x'.repeat(MAX_CONFIG_FILE_BYTES)}\n`);
    await refused(path.join(dir, 'big.yaml'), /too large \(\d+ bytes; a \.vzconf\.yaml is read up to 64 KiB\)$/);
    if (process.platform !== 'win32') {
      const fifo = path.join(dir, '.vzconf.yaml');
      execFileSync('mkfifo', [fifo]);
      // Nothing ever writes to it: reading it would hang the language server.
      await refused(fifo, /named pipe/);
      assert.equal(await findConfigFile(dir), undefined, 'a FIFO named .vzconf.yaml is not a config file');
    }
  });

  it('defaults < .vzconf.yaml < editor settings, as the language server layers them', () => {
    const text = 'IPTABLES="iptable_filter"\nMY_KEY="1"\nPHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\n';
    const ct = '/w/etc/vz/conf/101.conf';
    const ids = (s: ReturnType<typeof mergeSettings>): string[] =>
      lint(text, { path: ct, target: s.target, rules: s.rules, knownParameters: s.knownParameters }).findings.map((f) => `${f.rule}:${f.severity}`);
    const file = parseConfigFile('target: classic@4.6\nknownParameters: [MY_KEY]\nrules:\n  unknown-parameter: error\n', FILE);
    assert.deepEqual(ids(mergeSettings()), ['deprecated-parameter:warning', 'unknown-parameter:warning']);
    assert.deepEqual(ids(mergeSettings(file)), []);
    assert.deepEqual(ids(mergeSettings(file, { target: 'classic', knownParameters: [] })), ['deprecated-parameter:warning']);
  });
});

describe('schemas/vzctl-set.yaml', () => {
  const data = parse(readFileSync(path.join(schemas, 'vzctl-set.yaml'), 'utf8')) as { options: { parameter: string; classic?: string; vz7?: string }[]; ubcConvention: Record<string, { only?: string[]; except?: string[] }> };
  it('validates against its JSON Schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    const schema = JSON.parse(readFileSync(path.join(schemas, 'vzctl-set.schema.json'), 'utf8')) as object;
    assert.ok(ajv.validate(schema, data), ajv.errorsText(ajv.errors));
  });
  it('names only parameters of the catalogue, on generations that know them', () => {
    const cat = getCatalog();
    for (const o of data.options) {
      const def = cat.parameter(o.parameter);
      assert.ok(def, o.parameter);
      assert.equal(def.name, o.parameter, `${o.parameter} is an alias`);
      if (o.classic) assert.ok(def.classic, `${o.parameter}: classic`);
      if (o.vz7) assert.ok(def.vz7, `${o.parameter}: vz7`);
      assert.notEqual(def.grammar, 'ubc', `${o.parameter}: UBC parameters follow the convention`);
    }
    for (const conv of Object.values(data.ubcConvention)) {
      for (const n of [...(conv.only ?? []), ...(conv.except ?? [])]) assert.equal(cat.parameter(n)?.grammar, 'ubc', n);
    }
  });
});
