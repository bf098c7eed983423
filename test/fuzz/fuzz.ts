/**
 * The fuzz tier (issue 11): random and mutated config files through every feature of the engine and the
 * CLI formats, with properties that must hold for any input. Shared by the small-budget run in `npm test`
 * (test/unit/fuzz.test.ts) and the large one, `npm run fuzz` (test/fuzz/run.ts).
 *
 * Properties (each failure names its property):
 * - no-throw: lint, lintNode, every quick fix, fix-all, formatting, hover, completion, symbols, folding,
 *   links, inlay hints, effective configuration and vzlint (in process) never throw;
 * - ranges-inside: every range (findings, fix edits, hover, completion edits, symbols, folding, links, hints)
 *   lies inside the document as the editor counts lines (`\n`, `\r\n` and a lone `\r` end a line);
 * - fix-edits-disjoint: the edits of one fix never overlap;
 * - fix-all-idempotent: after fix-all, a second fix-all offers nothing;
 * - format-idempotent: formatting formatted text changes nothing;
 * - hover-markdown-safe: hover Markdown has no raw HTML and links only to catalogue URLs and KB articles;
 * - output-no-controls: human-readable vzlint output (stylish, github, stderr) has no control characters;
 *   JSON and SARIF are valid JSON;
 * - memory-bounded: checked by the runner (heap after GC does not grow; peak RSS reported).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { filesUnder } from '../helpers/corpus';
import fc from 'fast-check';
import { marked, type Token } from 'marked';
import { getCatalog } from '../../server/src/catalog/load';
import { runVzlint } from '../../server/src/cli/vzlint';
import { applyTextEdits, fixAllText, safeFixEdits } from '../../server/src/service/codeActions';
import { computeCompletions } from '../../server/src/service/completion';
import type { Finding } from '../../server/src/rules/types';
import { effectiveConfigText } from '../../server/src/service/effective';
import { computeFoldingRanges } from '../../server/src/service/folding';
import { formatText } from '../../server/src/service/format';
import { computeHover } from '../../server/src/service/hover';
import { computeInlayHints } from '../../server/src/service/inlayHints';
import { computeDocumentLinks } from '../../server/src/service/links';
import { lint, type LintOptions } from '../../server/src/service/lint';
import { lintNode } from '../../server/src/service/node';
import { computeDocumentSymbols, type DocumentSymbol } from '../../server/src/service/symbols';
import { hasControls } from '../../server/src/util/escape';

/** The config files of a folder tree (test inputs): no docs, manifests or scripts. */
const listFiles = (dir: string): string[] => filesUnder(dir, /\.(md|json|yaml|sh)$/, 64 * 1024);

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');

/** A property that does not hold, named. */
export class PropertyFailure extends Error {
  constructor(
    readonly property: string,
    detail: string,
  ) {
    super(`${property}: ${detail}`);
  }
}

/**
 * Properties known to fail until another part of issue 11 lands; a failure of one of them is counted and
 * reported by name instead of failing the run. Empty: every property holds.
 */
export const KNOWN_FAILURES: ReadonlySet<string> = new Set<string>();


/** Seed texts: the project's own fixtures (every clone has them), plus the shared corpus when present. */
export function seedTexts(): string[] {
  const files = [...listFiles(path.join(ROOT, 'examples')), ...listFiles(path.join(ROOT, 'test/e2e/fixtures/workspace')), ...listFiles(path.join(ROOT, 'test/fixtures'))];
  if (existsSync(CORPUS)) for (const d of ['upstream', 'wild']) for (const f of listFiles(path.join(CORPUS, d))) files.push(f);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  // Hand-written lines that reach the tricky paths (multi-line values, suppressions, shell, markup in keys).
  texts.push(
    'PHYSPAGES="0:1G"\nSWAPPAGES="0:2G"\nNETFILTER="full"\rIPTABLES="iptable_filter"\nONBOOT="yes"\r$(reboot)\n',
    '# vzconf-disable-next-line unknown-parameter -- why\nFOO=1\nDESCRIPTION="a\nb"\nIP_ADDRESS="10.0.0.1 10.0.0.1"\n',
    '[x](command:workbench.action.terminal.new)=1\n<img src=x onerror=alert(1)>="javascript:alert(1)"\nHOSTNAME="`id`"\n',
    '\uFEFFKMEMSIZE="300331648:150331648"\r\nCAPABILITY="SYS_ADMIN:on"\r\nFEATURES="nfs:on sysfs:off"\r\n',
  );
  return texts;
}

const catalogKeys = (): string[] => getCatalog().catalog.parameters.map((p) => p.name);

/** Pieces random texts are made of: syntax, keys, values, and what breaks parsers and terminals. */
function pieces(): string[] {
  return [
    ...catalogKeys(),
    '=', '"', "'", '`', '$(', ')', '$', '{', '}', '#', '\\', ' ', '\t', '\n', '\r\n', '\r', '\0', '\uFEFF', '\u001b[2J', '\u001b]0;t\u0007',
    '\u009b', '\u202e', '😀', 'é', ':', ',', ';', '|', '&', '<', '>', '[x](command:x)', '<img src=x>', 'javascript:', '](',
    '0', '1', '262144', '1G', '2.5M', 'unlimited', 'yes', 'no', 'full', 'stateless', '0:1G', '9223372036854775807', '-1',
    'iptable_filter', 'nfs:on', 'sys_admin:on', '10.0.0.1', '::1', '/vz/private/$VEID', 'ploop', 'simfs', 'x'.repeat(600),
    '# vzconf-disable-next-line ', '# vzconf-disable ', 'unknown-parameter', ' -- reason', 'VERSION="2"',
  ];
}

/** One fuzz input: a text and how it is linted. */
export interface FuzzInput {
  text: string;
  path: string;
  target: string;
  /** Positions (fractions of the editor lines and of a line) where hover and completion are asked. */
  probes: [number, number][];
  /** Which vzlint format runs on it. */
  format: 'stylish' | 'json' | 'sarif' | 'github';
  /** Whether vzlint runs on it (about one input in eight: it writes a file and costs the most). */
  cli: boolean;
  /** Whether it is also linted as a node of three files (about one in eight). */
  node: boolean;
  /** Whether the editor features (hover, completion, symbols, folding, links, hints) run on it (one in two). */
  editor: boolean;
}

/** Random texts, mutated seeds, and now and then a huge one (beyond the size limit, or many lines). */
export function fuzzInput(seeds: readonly string[]): fc.Arbitrary<FuzzInput> {
  const piece = fc.constantFrom(...pieces());
  const random = fc.array(piece, { maxLength: 80 }).map((p) => p.join(''));
  const seed = fc.constantFrom(...seeds);
  const mutation = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat(40), ins: fc.array(piece, { maxLength: 6 }) });
  const mutated = fc.tuple(seed, fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom('none', 'crlf', 'bom', 'lone-cr', 'dup-lines')).map(([s, muts, variant]) => {
    let t = s;
    for (const m of muts) {
      const i = Math.floor(m.at * t.length);
      t = t.slice(0, i) + m.ins.join('') + t.slice(i + m.del);
    }
    if (variant === 'crlf') t = t.replace(/\r?\n/g, '\r\n');
    else if (variant === 'bom') t = `\uFEFF${t}`;
    else if (variant === 'lone-cr') t = t.replace(/\n/, '\r');
    else if (variant === 'dup-lines') t = t.split('\n').flatMap((l) => [l, l]).join('\n');
    return t;
  });
  // Large inputs: over the findings cap, or over the size limit (4 MiB) now and then.
  const huge = fc.oneof(
    fc.tuple(fc.constantFrom('x\n', 'A=`\n', 'KMEMSIZE="1:2"\n', '\r', 'a'), fc.constantFrom(20_000, 60_000)),
    fc.tuple(fc.constantFrom('x\n', '`', 'a'), fc.constant(250_000)),
    fc.tuple(fc.constantFrom('a', '€'), fc.constant(4_300_000)),
  ).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
  const text = fc.oneof({ weight: 100, arbitrary: random }, { weight: 120, arbitrary: mutated }, { weight: 1, arbitrary: huge });
  return fc.record({
    text,
    path: fc.constantFrom('/n/conf/101.conf', '/n/vz.conf', '/n/conf/ve-basic.conf-sample', '/n/conf/0.conf', '/x/y.txt'),
    target: fc.constantFrom('auto', 'classic', 'vz7', 'classic@3.0.22', 'vz7@8.0.70'),
    probes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 2 }),
    format: fc.constantFrom('stylish', 'json', 'sarif', 'github'),
    cli: fc.nat(7).map((n) => n === 0),
    node: fc.nat(7).map((n) => n === 0),
    editor: fc.boolean(),
  });
}

// ------------------------------------------------------------------------------------------------
// Checks

interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}

function editorLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function inside(lines: readonly string[], r: Rng, what: string): void {
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0 || p.line >= lines.length || p.character > (lines[p.line] ?? '').length) {
      throw new PropertyFailure('ranges-inside', `${what}: ${JSON.stringify(r)} outside a document of ${lines.length} lines`);
    }
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) throw new PropertyFailure('ranges-inside', `${what}: reversed range ${JSON.stringify(r)}`);
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

let allowedUrls: Set<string> | undefined;
/** Every URL the catalogue (schemas/) holds: the links a hover may carry, besides KB articles. */
function catalogueUrls(): Set<string> {
  if (allowedUrls) return allowedUrls;
  allowedUrls = new Set<string>();
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(yaml|json)$/.test(f)) for (const m of readFileSync(p, 'utf8').matchAll(/https?:\/\/[^\s'"<>()\]]+/g)) allowedUrls?.add(m[0].replace(/[.,;:]+$/, ''));
    }
  };
  walk(path.join(ROOT, 'schemas'));
  return allowedUrls;
}

/** Hover Markdown: no raw HTML; links only to catalogue URLs or KB articles. */
export function checkHoverMarkdown(md: string): void {
  const urls = catalogueUrls();
  marked.walkTokens(marked.lexer(md), (t: Token) => {
    if (t.type === 'html') throw new PropertyFailure('hover-markdown-safe', `raw HTML ${JSON.stringify(t.raw.slice(0, 80))}`);
    if (t.type === 'link' || t.type === 'image') {
      const href = (t as { href: string }).href;
      if (t.type === 'image' || !(urls.has(href) || /^https:\/\/kb\.virtuozzo\.com\/\d+$/.test(href))) throw new PropertyFailure('hover-markdown-safe', `${t.type} to ${JSON.stringify(href.slice(0, 80))} not from the catalogue`);
    }
  });
}

/** Texts up to this length go through every feature; longer ones through lint and vzlint. */
const FULL_PIPELINE_CHARS = 16 * 1024;

const findingsOf = (text: string, options: LintOptions): Finding[] => lint(text, options).findings;

/** What one input cost, for the runner's statistics. */
export interface FuzzStats {
  bytes: number;
  findings: number;
  fixes: number;
  fixAllRounds: number;
}

/** Time spent per stage in milliseconds (for the runner's report). */
export const stageTimes = new Map<string, number>();

function guard<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } catch (err) {
    if (err instanceof PropertyFailure) throw err;
    throw new PropertyFailure('no-throw', `${what} threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    const stage = what.replace(/ ".*/, '');
    stageTimes.set(stage, (stageTimes.get(stage) ?? 0) + performance.now() - t0);
  }
}

async function guardAsync<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } catch (err) {
    if (err instanceof PropertyFailure) throw err;
    throw new PropertyFailure('no-throw', `${what} threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    stageTimes.set(what, (stageTimes.get(what) ?? 0) + performance.now() - t0);
  }
}

/**
 * Runs one input through everything and checks every property.
 *
 * @param tmpDir  a folder for vzlint's input file (the CLI runs in process on a real file)
 * @throws PropertyFailure naming the property that does not hold
 */
export async function checkInput(input: FuzzInput, tmpDir: string): Promise<FuzzStats> {
  const { text } = input;
  const lines = editorLines(text);
  const options: LintOptions = { path: input.path, target: input.target };
  const result = guard('lint', () => lint(text, options));
  let fixes = 0;
  for (const f of result.findings) {
    inside(lines, f.range, `finding ${f.rule}`);
    for (const fix of f.fixes ?? []) {
      fixes += 1;
      const edits = [...fix.edits].sort((a, b) => (before(a.range.start, b.range.start) ? -1 : before(b.range.start, a.range.start) ? 1 : 0));
      for (const e of edits) inside(lines, e.range, `fix "${fix.title}" of ${f.rule}`);
      for (let i = 1; i < edits.length; i += 1) {
        if (before((edits[i] as { range: Rng }).range.start, (edits[i - 1] as { range: Rng }).range.end)) throw new PropertyFailure('fix-edits-disjoint', `fix "${fix.title}" of ${f.rule} has overlapping edits`);
      }
      // Applying is linear in the text: the first fixes only (a capped file has 10,000 of them).
      if (fixes <= 40) guard(`quick fix "${fix.title}"`, () => applyTextEdits(text, fix.edits));
    }
  }
  // One quick fix applied and linted again (all of them would multiply the cost by the number of fixes).
  const anyFix = result.findings.flatMap((f) => f.fixes ?? [])[0];
  if (anyFix && input.node) guard('lint after a quick fix', () => lint(applyTextEdits(text, anyFix.edits), options));

  // Large inputs (over the findings cap or the size limit) go through lint and vzlint only: the editor features
  // on them are exercised by the smaller ones, and a full pass over a 4 MiB text would take the whole budget.
  const tooLarge = text.length > FULL_PIPELINE_CHARS || result.findings.some((f) => f.rule === 'file-too-large');
  let fixAllRounds = 0;
  if (!tooLarge) {
    const fa = await guardAsync('fix-all', () => fixAllText(text, result.findings, (t) => findingsOf(t, options)));
    fixAllRounds = fa.rounds;
    if (fa.rounds > 0) {
      for (const e of fa.edits) inside(lines, e.range, 'fix-all edit');
      if (applyTextEdits(text, fa.edits) !== fa.text) throw new PropertyFailure('fix-all-idempotent', 'the fix-all edits do not give the fixed text');
      const second = safeFixEdits(findingsOf(fa.text, options));
      if (second.length > 0 || fa.unsettled) throw new PropertyFailure('fix-all-idempotent', `${second.length} safe edits left after ${fa.rounds} rounds`);
    }
    const once = guard('format', () => formatText(text));
    const twice = guard('format twice', () => formatText(once));
    if (twice !== once) throw new PropertyFailure('format-idempotent', 'formatting the formatted text changed it');

    for (const [fl, fc2] of input.editor ? input.probes : []) {
      const line = Math.min(lines.length - 1, Math.floor(fl * lines.length));
      const position = { line, character: Math.floor(fc2 * ((lines[line] ?? '').length + 1)) };
      const hover = guard('hover', () => computeHover(text, position, { ...options, kbUrlTemplate: 'https://kb.virtuozzo.com/{id}' }));
      if (hover) {
        inside(lines, hover.range, 'hover range');
        checkHoverMarkdown(hover.contents);
      }
      const items = guard('completion', () => computeCompletions(text, position, options));
      for (const it of items.slice(0, 50)) inside(lines, it.textEdit.range, `completion ${it.label}`);
    }
    const symbols = input.editor ? guard('symbols', () => computeDocumentSymbols(text, options)) : [];
    const walk = (s: DocumentSymbol[]): void => {
      for (const x of s) {
        inside(lines, x.range, `symbol ${x.name}`);
        inside(lines, x.selectionRange, `symbol ${x.name}`);
        walk(x.children ?? []);
      }
    };
    walk(symbols);
    for (const r of input.editor ? guard('folding', () => computeFoldingRanges(text)) : []) {
      if (r.startLine < 0 || r.endLine >= lines.length || r.startLine > r.endLine) throw new PropertyFailure('ranges-inside', `folding ${JSON.stringify(r)}`);
    }
    for (const l of input.editor ? guard('links', () => computeDocumentLinks(text)) : []) inside(lines, l.range, 'document link');
    for (const h of input.editor ? guard('inlay hints', () => computeInlayHints(text, undefined, options)) : []) inside(lines, { start: h.position, end: h.position }, 'inlay hint');
    if (input.node) guard('effective configuration', () => effectiveConfigText(text, options));
    if (input.node) guard('lintNode', () => lintNode({ nodeConfig: { path: '/n/vz.conf', text }, containers: [{ path: '/n/conf/101.conf', text }, { path: '/n/conf/102.conf', text }] }, { target: input.target }));
  }

  // vzlint in process on a real file, in the chosen format (always for large inputs: the CLI's limits).
  if (!input.cli && !tooLarge) return { bytes: text.length, findings: result.findings.length, fixes, fixAllRounds };
  const name = input.path.endsWith('vz.conf') ? 'vz.conf' : input.path.includes('sample') ? 've-basic.conf-sample' : 'conf/101.conf';
  mkdirSync(path.join(tmpDir, 'conf'), { recursive: true });
  // Each input on its own: a file an earlier input left there (a vz.conf over the size limit) must not
  // become this one's node config (vzlint refuses a node config it cannot read: exit 2).
  for (const other of ['vz.conf', 've-basic.conf-sample', 'conf/101.conf']) rmSync(path.join(tmpDir, other), { force: true });
  writeFileSync(path.join(tmpDir, name), text);
  let out = '';
  let err = '';
  const code = await guardAsync('vzlint', () =>
    runVzlint(['--no-config', '--target', input.target, '--format', input.format, name], { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: tmpDir }),
  );
  if (code === 2 && !/file-too-large/.test(out)) throw new PropertyFailure('no-throw', `vzlint exit 2: ${err.slice(0, 400)}`);
  if (hasControls(err, { allowNewlines: true })) throw new PropertyFailure('output-no-controls', `stderr: ${JSON.stringify(err.slice(0, 200))}`);
  if (input.format === 'stylish' || input.format === 'github') {
    if (hasControls(out, { allowNewlines: true })) {
      // eslint-disable-next-line no-control-regex
      const i = out.search(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      throw new PropertyFailure('output-no-controls', `${input.format}: ${JSON.stringify(out.slice(Math.max(0, i - 60), i + 20))}`);
    }
  } else {
    try {
      JSON.parse(out);
    } catch {
      throw new PropertyFailure('output-no-controls', `${input.format}: output is not valid JSON`);
    }
  }
  return { bytes: text.length, findings: result.findings.length, fixes, fixAllRounds };
}
