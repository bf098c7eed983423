/**
 * Engine, in process (TypeScript sources through tsx, the compiled catalogue): lint of large configs,
 * linear growth 1k → 10k → 100k lines, the pathological inputs that used to be quadratic, and the
 * older per-feature timings on the real corpus.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getCatalog } from '../../server/src/catalog/load';
import { computeCompletions } from '../../server/src/service/completion';
import { formatText } from '../../server/src/service/format';
import { computeHover } from '../../server/src/service/hover';
import { lint } from '../../server/src/service/lint';
import { clearParseCache } from '../../server/src/parser/parse';
import { largeConfig } from './generate';
import { linear, median, mp, ms, report, sample } from './stats';

const CT = '/etc/vz/conf/101.conf';
const corpus = resolve(__dirname, '../../../shared/corpus');
const SKIP = /(^|\/)(dists|README\.md|SOURCES\.md|MANIFEST\.json|download\.conf|osrelease\.conf|oom-groups\.conf|networks_classes)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (SKIP.test(p)) continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Where a bench input is linted as: its path (vz.conf or a container config) and the target (default auto). */
interface Place {
  path?: string;
  target?: string;
}

/** A lint from scratch, as the CLI does for every file (no document of the parse cache reused). */
function lintCold(text: string, place: Place = {}): void {
  clearParseCache();
  lint(text, { path: place.path ?? CT, ...(place.target !== undefined ? { target: place.target } : {}) });
}

/**
 * How many four-element arrays {@link settleHeap} allocates and drops to bring the young generation back to
 * its working size: about 20 MB (80 bytes each with its elements), more than its 16 MB semi-space.
 */
const REFILL_ARRAYS = 250_000;

/** Read by nobody: keeps the refill's arrays observable to the optimiser. */
export let junkSink = 0;

type Gc = (options?: { type: 'major' | 'minor' }) => void;

/**
 * The heap state a timed lint starts from: `settled` (see {@link settleHeap}), `forced` (a full collection
 * only: the method before 2 December midday), `running` (none forced: the lints run back to back, as in a
 * server that lints document after document, and each may be collected in the middle).
 */
type HeapState = 'settled' | 'forced' | 'running';

/**
 * The heap state each timed lint starts from. A full collection first, so that the lint pays for its own
 * garbage and not for what the lint before it (of another size) left: a 40,000-line lint leaves tens of MB,
 * and without it the ratio of two medians swung between ×0.9 and ×1.9 on one quiet machine. A forced full
 * collection also hands most of the young generation's pages back to the system (3.4–5.9 MB of them
 * stayed resident, measured); a lint that then allocates more than that page-faults on every further 4 KiB,
 * ~10 µs each on this VM, and a smaller one does not. So the young generation is then filled once with
 * about 20 MB of throwaway arrays and emptied by a minor collection: both sizes start from a young generation of its working size,
 * as in a server that has been running (where no collection is forced). Each lint still pays for the
 * fresh memory of its own large arrays (V8 maps every array over 128 KiB anew). A lint allocating less
 * than the young generation then runs without a collection in its middle, which in a running server falls
 * on a lint at random, more often on a large one: the `running` state prints that. Without --expose-gc
 * nothing is done; in the `forced` state only the full collection.
 */
function settleHeap(gc: Gc | undefined, state: HeapState): void {
  if (gc === undefined || state === 'running') return;
  gc();
  if (state === 'forced') return;
  let junk: number[][] = [];
  for (let i = 0; i < REFILL_ARRAYS; i += 1) {
    junk.push([i, i, i, i]);
    if (junk.length > 1024) junk = [];
  }
  junkSink = junk.length;
  gc({ type: 'minor' });
}

/** Times and page faults of {@link interleaved} (one array per input, in round order). */
interface Series {
  ms: number[][];
  faults: number[][];
}

/**
 * Cold lint times of several inputs, run interleaved (A B C A B C …) so that the load of a shared
 * machine drifts over all of them alike; `runs` rounds, after `warmup` rounds that are not timed (the
 * engine in a running server is compiled by V8's optimising tier; the first rounds measure the
 * compiler, the CLI's whole-process bench measures a cold start). Each timed lint starts from
 * the heap state `state` ({@link settleHeap}); its minor page faults (process.resourceUsage) are kept with its time.
 */
function interleaved(texts: readonly string[], runs: number, warmup = 1, place: Place = {}, state: HeapState = 'settled'): Series {
  const out: Series = { ms: texts.map(() => []), faults: texts.map(() => []) };
  for (let r = 0; r < warmup; r += 1) for (const t of texts) lintCold(t, place);
  const gc = (globalThis as { gc?: Gc }).gc;
  for (let r = 0; r < runs; r += 1) {
    texts.forEach((t, i) => {
      settleHeap(gc, state);
      const f0 = process.resourceUsage().minorPageFault;
      const t0 = performance.now();
      lintCold(t, place);
      (out.ms[i] as number[]).push(performance.now() - t0);
      (out.faults[i] as number[]).push(process.resourceUsage().minorPageFault - f0);
    });
  }
  return out;
}

/**
 * A pathological line's figure: both sizes' medians (with `mean`, their means: a collection in the middle of
 * one lint in four moves the mean, not the median), the per-unit ratio and the page faults per lint.
 */
function pathoLine(series: Series, small: number, large: number, mean = false): { pass: boolean; text: string } {
  const [aTimes, bTimes] = series.ms as [number[], number[]];
  const [aFaults, bFaults] = series.faults as [number[], number[]];
  const stat = mean ? (xs: readonly number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length : median;
  const l = linear([{ size: small, ms: stat(aTimes) }, { size: large, ms: stat(bTimes) }]);
  const b = mean ? `${ms(stat(bTimes))} mean` : mp(bTimes);
  return { pass: l.pass, text: `${ms(stat(aTimes))} → ${b}, ${l.text}, page faults ${Math.round(stat(aFaults))} → ${Math.round(stat(bFaults))}` };
}

export function engineBench(quick: boolean): void {
  const S = 'engine';
  console.log('\nEngine (in process)');
  const t0 = performance.now();
  getCatalog();
  report(S, 'catalogue load (compiled at build time)', ms(performance.now() - t0), 'reported');

  const budget = quick ? 300 : 1500;
  const sizes = [1000, 10000, 100000];
  const texts = sizes.map((n) => largeConfig(n));
  const series = interleaved(texts, quick ? 5 : 15, quick ? 3 : 10).ms;
  const points: { size: number; ms: number }[] = [];
  sizes.forEach((n, i) => {
    const times = series[i] as number[];
    points.push({ size: n, ms: median(times) });
    const result = lint(texts[i] as string, { path: CT }).findings;
    const findings = `${result.length}${result.some((f) => f.rule === 'too-many-findings') ? ', findings cap applies' : ''}`;
    if (n === 10000) report(S, `lint a 10,000-line config (${findings} findings)`, mp(times), '≤ 15 ms median', median(times) <= 15);
    else report(S, `lint a ${n.toLocaleString('en')}-line config (${findings} findings)`, mp(times));
  });
  const lin = linear(points);
  report(S, 'linear 1k → 10k → 100k lines (time per line vs 1k)', lin.text, 'linear (≤ +25 % per line)', lin.pass);
  // Printed, not judged: the same three sizes after a forced full collection alone (see settleHeap).
  const forced = interleaved(texts, quick ? 5 : 15, 0, {}, 'forced');
  const forcedPoints = sizes.map((n, i) => ({ size: n, ms: median(forced.ms[i] as number[]) }));
  report(S, '  the same, after a forced full collection only', `${forcedPoints.map((p) => ms(p.ms)).join(' → ')}, ${linear(forcedPoints).text}`, 'reported');
  // The server after a keystroke: the same 10,000 lines with one line changed (line models reused).
  const base = texts[1] as string;
  clearParseCache();
  lint(base, { path: CT });
  let k = 0;
  const edited = sample(quick ? 10 : 40, () => {
    k += 1;
    lint(base.replace('# --- block 500:', `# --- block 500${'x'.repeat(k % 7)}:`), { path: CT });
  });
  report(S, 'lint the 10,000-line config after a one-line edit (parse reuse)', mp(edited));

  const NODE = '/etc/vz/vz.conf';
  const patho: [string, (k: number) => string, number, number, Place?][] = [
    ['1 MB single-line value (100 KB → 1 MB)', (k) => `DESCRIPTION="${'x'.repeat(k)}"\n`, 100_000, 1_000_000],
    ['repeated IPTABLES lines (4,000 → 40,000)', (k) => 'IPTABLES="ipt_REJECT"\n'.repeat(k), 4000, 40000],
    // vz.conf: every line's finding offers the one fix that moves all of them to IPTABLES_MODULES.
    ['repeated IPTABLES lines in vz.conf (4,000 → 40,000)', (k) => 'IPTABLES="ipt_REJECT"\n'.repeat(k), 4000, 40000, { path: NODE }],
    // Two keys alternating (A B A B …) on Virtuozzo 7, where the last line wins: one finding per key.
    ['alternating HOSTNAME / ONBOOT lines on vz7 (4,000 → 40,000)', (k) => 'HOSTNAME="ct"\nONBOOT="yes"\n'.repeat(k / 2), 4000, 40000, { target: 'vz7' }],
    ['backslash-continued lines (800 → 8,000)', (k) => 'HOSTNAME=a\\\n'.repeat(k), 800, 8000],
    // A union key whose every other line vzctl rejects (was quadratic: each line looked up in the rejected list).
    ['IP_ADDRESS lines, every other one rejected (4,000 → 40,000)', (k) => 'IP_ADDRESS="10.0.0.1"\nIP_ADDRESS="bad"\n'.repeat(k / 2), 4000, 40000],
    // Suppression blocks, each around one finding (was quadratic: every finding scanned every block of its rule).
    ['vzconf-disable … vzconf-enable blocks, one finding each (1,000 → 10,000)', (k) => Array.from({ length: k }, (_, i) => `# vzconf-disable unknown-parameter\nX${i}=1\n# vzconf-enable unknown-parameter\n`).join(''), 1000, 10000],
    // One comment naming a rule k times, every copy unused (was quadratic: each copy's fix searched the list).
    ['one vzconf-disable-next-line naming a rule 10,000 → 100,000 times', (k) => `# vzconf-disable-next-line unknown-parameter ${'invalid-value '.repeat(k)}\nFOO=1\n`, 10000, 100000],
  ];
  for (const [label, make, small, large, place = {}] of patho) {
    const texts = [make(small), make(large)];
    const runs = quick ? 5 : Math.max(5, Math.round(budget / 70));
    const settled = interleaved(texts, runs, 2, place);
    const capped = lint(texts[1] as string, { path: place.path ?? CT, ...(place.target !== undefined ? { target: place.target } : {}) }).findings.some((f) => f.rule === 'too-many-findings') ? ' [findings cap applies]' : '';
    const l = pathoLine(settled, small, large);
    report(S, `pathological: ${label}${capped}`, l.text, 'linear (≤ +25 % per unit)', l.pass);
    // Printed, not judged: the same after the full collection alone (the large lint then also pays for the
    // young-generation pages it handed back), and with no collection forced (means: collections in the
    // middle of some lints included). See settleHeap. The states run one after the other, each with its two
    // sizes interleaved and no warm-up of its own (the code is warm from the settled rounds): a ratio is
    // measured within one state; a comparison across states also holds the load's drift.
    report(S, '  the same, after a forced full collection only', pathoLine(interleaved(texts, runs, 0, place, 'forced'), small, large).text, 'reported');
    report(S, '  the same, lints back to back, none forced (means)', pathoLine(interleaved(texts, runs, 0, place, 'running'), small, large, true).text, 'reported');
  }

  if (existsSync(corpus)) {
    const files = walk(corpus).map((p) => ({ p, text: readFileSync(p, 'utf8') }));
    const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
    report(S, `lint the whole corpus (${files.length} files, ${lines} lines)`, mp(sample(quick ? 3 : 10, () => { for (const f of files) lint(f.text, { path: f.p }); }, 1)));
  } else {
    console.log(`  (corpus timings skipped: ${corpus} not found)`);
  }
  const ct = vswapLike();
  report(S, 'lint one container config', mp(sample(200, () => lint(ct, { path: CT }))));
  report(S, 'hover on a key of that config', mp(sample(200, () => computeHover(ct, { line: 3, character: 2 }, { path: CT }))));
  report(S, 'complete a key at its end', mp(sample(100, () => computeCompletions(ct, { line: ct.split('\n').length - 1, character: 0 }, { path: CT }))));
  report(S, 'format it', mp(sample(200, () => formatText(ct))));
}

function vswapLike(): string {
  return largeConfig(16) + 'ONBOT="yes"\n';
}
