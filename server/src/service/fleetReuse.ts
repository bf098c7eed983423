/**
 * Container-to-container reuse of per-file rule results on the fleet path ({@link NodeLinter} in compact
 * mode: `vzlint` over a node). A fleet is rendered from a few samples: most lines of a container are the
 * same text at the same line number as in a container before it, and the parser already gives such lines
 * the same line model object (parse.ts `reusableLine`). A rule whose run on an earlier container read only
 * lines the two files share gives the same findings again, so those are taken over instead of recomputed.
 *
 * Exact by construction, not by declaration: a rule is never trusted to say what it reads. Each run that may
 * be reused later is made through a {@link TracingContext}, which hands the rule the real data and writes
 * down, in a {@link Reads}, what it touched of the file:
 *
 * - a line (`doc.lines[n]`, `doc.text[n]`, an entry passed to `values.get`): its number;
 * - a parameter (`byName.get(NAME)` / `has`, an entry passed to `values.get`): its name, since the answer
 *   changes when any line of that parameter does;
 * - anything it cannot follow line by line (iterating the lines, entries, `live`, `values` or `byName`;
 *   the path, `kindReason`, any other property of the document): `whole`, never reused.
 *
 * The target, kind, catalogue, node config, capacity and options are the same for every file a
 * {@link FleetReuse} compares (part of the {@link Shape} or fixed per node), and so are the line count,
 * dialect, byte-order mark and line endings; files with a template, multi-line values, lone CRs or beyond
 * the size limit are linted as usual and never compared. A rule is a pure function of its context, so when
 * every line a run read is the same line model in the new file, and no line that differs is a line of a
 * parameter it asked for, the rule would read the same answers and give the same findings.
 *
 * The fresh results stay the reference: test/unit/fleetReuse.test.ts lints corpus nodes, generated nodes
 * and random fleets both ways and compares every finding and fact.
 */
import type { CatalogIndex } from '../catalog/load';
import type { FileKind } from '../model/kind';
import type { Target } from '../model/target';
import type { ConfigDocument, ConfigLine, Entry } from '../parser/types';
import { LazyFixFinding } from '../rules/finding';
import type { Finding, LintContext, Rule } from '../rules/types';
import type { ValueCheck } from '../values/validate';
import { CacheHost } from '../util/objectCache';

/** What one run of a rule read of its file, beyond its {@link Shape}. */
export class Reads {
  /** Read something not followed line by line: never reused. */
  whole = false;
  /** Numbers of the lines whose model or text it read (0-based, vzctl's lines). */
  readonly lines = new Set<number>();
  /** Names of the parameters (as `ctx.byName` keys them: the catalogue's name) whose lines it asked for. */
  readonly names = new Set<string>();
}

/** The catalogue name of the parameter a line sets, as `byName` files it (else its name as written). */
function nameOf(catalog: CatalogIndex, e: Entry): string {
  return catalog.parameter(e.name)?.name ?? e.name;
}

/** An array of the document (`lines`, `text`) whose elements are read one by one: notes each index read. */
function traceArray<T>(array: readonly T[], reads: Reads): readonly T[] {
  return new Proxy(array, {
    get(target, p, receiver) {
      if (typeof p === 'string') {
        const c = p.charCodeAt(0);
        if (c >= 48 && c <= 57) {
          reads.lines.add(Number(p));
          return target[Number(p)];
        }
        // The line count is part of the shape.
        if (p === 'length') return target.length;
      }
      // Iterating, searching, slicing: the whole file.
      reads.whole = true;
      return Reflect.get(target, p, receiver) as unknown;
    },
    has(target, p) {
      reads.whole = true;
      return Reflect.has(target, p);
    },
    ownKeys(target) {
      reads.whole = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, p) {
      reads.whole = true;
      return Reflect.getOwnPropertyDescriptor(target, p);
    },
  });
}

/**
 * The document as a traced rule sees it: `lines[n]` and `text[n]` are noted; the properties equal in every
 * file of a shape (dialect, byte-order mark, line endings, the empty multi-line views) are free; anything
 * else (the entries, iterating the lines) makes the run `whole`.
 */
function traceDoc(doc: ConfigDocument, reads: Reads): ConfigDocument {
  const lines = traceArray(doc.lines, reads);
  const text = traceArray(doc.text, reads);
  return new Proxy(doc, {
    get(target, p, receiver) {
      switch (p) {
        case 'lines': return lines;
        case 'text': return text;
        case 'dialect':
        case 'bom':
        case 'eol':
        case 'editorLines':
        case 'multiline':
        case 'multilineOf':
        case 'continuationLines':
          return target[p];
        default:
          reads.whole = true;
          return Reflect.get(target, p, receiver) as unknown;
      }
    },
    has(target, p) {
      reads.whole = true;
      return Reflect.has(target, p);
    },
    ownKeys(target) {
      reads.whole = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, p) {
      reads.whole = true;
      return Reflect.getOwnPropertyDescriptor(target, p);
    },
  });
}

/** `ctx.values` for a traced rule: `get`/`has` note the entry's line and parameter; the rest is `whole`. */
class TracedValues implements ReadonlyMap<Entry, ValueCheck> {
  readonly #real: Map<Entry, ValueCheck>;
  readonly #reads: Reads;
  readonly #catalog: CatalogIndex;

  constructor(real: Map<Entry, ValueCheck>, reads: Reads, catalog: CatalogIndex) {
    this.#real = real;
    this.#reads = reads;
    this.#catalog = catalog;
  }

  #note(e: Entry): void {
    // Whether a line has a check depends on the lines of its parameter above it (classic first-wins).
    this.#reads.lines.add(e.line);
    this.#reads.names.add(nameOf(this.#catalog, e));
  }

  get(e: Entry): ValueCheck | undefined {
    this.#note(e);
    return this.#real.get(e);
  }

  has(e: Entry): boolean {
    this.#note(e);
    return this.#real.has(e);
  }

  get size(): number {
    this.#reads.whole = true;
    return this.#real.size;
  }

  forEach(cb: (value: ValueCheck, key: Entry, map: ReadonlyMap<Entry, ValueCheck>) => void, thisArg?: unknown): void {
    this.#reads.whole = true;
    this.#real.forEach((v, k) => cb.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[Entry, ValueCheck]> {
    this.#reads.whole = true;
    return this.#real.entries();
  }

  keys(): MapIterator<Entry> {
    this.#reads.whole = true;
    return this.#real.keys();
  }

  values(): MapIterator<ValueCheck> {
    this.#reads.whole = true;
    return this.#real.values();
  }

  [Symbol.iterator](): MapIterator<[Entry, ValueCheck]> {
    return this.entries();
  }
}

/** `ctx.byName` for a traced rule: `get`/`has` note the parameter; the rest is `whole`. */
class TracedByName implements ReadonlyMap<string, Entry[]> {
  readonly #real: ReadonlyMap<string, Entry[]>;
  readonly #reads: Reads;

  constructor(real: ReadonlyMap<string, Entry[]>, reads: Reads) {
    this.#real = real;
    this.#reads = reads;
  }

  get(name: string): Entry[] | undefined {
    this.#reads.names.add(name);
    return this.#real.get(name);
  }

  has(name: string): boolean {
    this.#reads.names.add(name);
    return this.#real.has(name);
  }

  get size(): number {
    this.#reads.whole = true;
    return this.#real.size;
  }

  forEach(cb: (value: Entry[], key: string, map: ReadonlyMap<string, Entry[]>) => void, thisArg?: unknown): void {
    this.#reads.whole = true;
    this.#real.forEach((v, k) => cb.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[string, Entry[]]> {
    this.#reads.whole = true;
    return this.#real.entries();
  }

  keys(): MapIterator<string> {
    this.#reads.whole = true;
    return this.#real.keys();
  }

  values(): MapIterator<Entry[]> {
    this.#reads.whole = true;
    return this.#real.values();
  }

  [Symbol.iterator](): MapIterator<[string, Entry[]]> {
    return this.entries();
  }
}

/**
 * The {@link LintContext} a traced rule run gets: the real file's data, with every read of what differs
 * between the files of a shape noted in `reads`. A {@link CacheHost} of its own, so that the per-lint memos
 * the rule's helpers keep (effective values, the UBC/vSwap mode) are computed through it, and noted, in
 * this run. After {@link close} every read is `whole` (a lazily built fix read later is not followed).
 */
export class TracingContext extends CacheHost implements LintContext {
  readonly #real: LintContext;
  readonly #reads: Reads;
  #closed = false;
  #doc?: ConfigDocument;
  #values?: Map<Entry, ValueCheck>;
  #byName?: ReadonlyMap<string, Entry[]>;

  constructor(real: LintContext, reads: Reads) {
    super();
    this.#real = real;
    this.#reads = reads;
  }

  /** Ends the run: later reads cannot be followed and make the run `whole`. */
  close(): void {
    this.#closed = true;
  }

  #any<T>(value: T): T {
    if (this.#closed) this.#reads.whole = true;
    return value;
  }

  get doc(): ConfigDocument {
    return this.#any(this.#doc ??= traceDoc(this.#real.doc, this.#reads));
  }

  get values(): Map<Entry, ValueCheck> {
    // Read-only by contract (LintContext): a rule never sets a value check.
    return this.#any(this.#values ??= new TracedValues(this.#real.values, this.#reads, this.#real.catalog) as unknown as Map<Entry, ValueCheck>);
  }

  get byName(): ReadonlyMap<string, Entry[]> {
    return this.#any(this.#byName ??= new TracedByName(this.#real.byName, this.#reads));
  }

  get live(): Entry[] {
    this.#reads.whole = true;
    return this.#real.live;
  }

  get path(): string | undefined {
    this.#reads.whole = true;
    return this.#real.path;
  }

  get kindReason(): string {
    this.#reads.whole = true;
    return this.#real.kindReason;
  }

  // The same in every file a FleetReuse compares (its shape, or fixed for the node):
  get kind(): FileKind { return this.#any(this.#real.kind); }
  get target(): Target { return this.#any(this.#real.target); }
  get catalog(): CatalogIndex { return this.#any(this.#real.catalog); }
  get def(): LintContext['def'] { return this.#any(this.#real.def); }
  get known(): LintContext['known'] { return this.#any(this.#real.known); }
  get status(): LintContext['status'] { return this.#any(this.#real.status); }
  get node(): LintContext | undefined { return this.#any(this.#real.node); }
  get capacity(): LintContext['capacity'] { return this.#any(this.#real.capacity); }
  get template(): LintContext['template'] { return this.#any(this.#real.template); }
  get tooLarge(): boolean | undefined { return this.#any(this.#real.tooLarge); }
}

/**
 * Runs `rule` on `ctx` through a {@link TracingContext}.
 * @returns its findings (fixes built, so that they too were read in the run) and what it read
 */
export function traceRule(rule: Rule, ctx: LintContext): { findings: Finding[]; reads: Reads } {
  const reads = new Reads();
  const traced = new TracingContext(ctx, reads);
  const findings = rule.check(traced);
  // A lazily built fix reads the context when first asked for: build it inside the run.
  for (const f of findings) if (f instanceof LazyFixFinding) void f.fixes;
  traced.close();
  return { findings, reads };
}

/** One rule's traced result on a file: its findings and what the run that made them read. */
interface RuleResult {
  findings: Finding[];
  reads: Reads;
}

/** What must be equal for two files to be compared line by line (besides the node and options of the run). */
interface Shape {
  lineCount: number;
  target: Target;
  kind: FileKind;
  dialect: ConfigDocument['dialect'];
  bom: boolean;
  eol: ConfigDocument['eol'];
}

/** A file linted with reuse: its lines and each rule's result (by index in the rule list). */
interface FileRecord extends Shape {
  doc: ConfigDocument;
  results: (RuleResult | undefined)[];
}

/** Files kept per line count to compare the next files with (the fleet's samples and their variants). */
const PER_LINE_COUNT = 6;
/** Files that differ in more lines than this are not compared. */
const MAX_DIFF = 16;
/**
 * A rule whose traced runs read the whole file this many times in a row is run untraced from then on (the
 * core rules look at every line: tracing them only costs).
 */
const WHOLE_LIMIT = 3;

/** How the rules of a {@link FleetReuse} fared, for tests and measurements. */
export interface ReuseStats {
  /** Rule results taken over from an earlier file. */
  reused: number;
  /** Rule runs traced (their results may be reused later). */
  traced: number;
  /** Rule runs as in `lint` (the rule reads the whole file, or the file is not compared). */
  direct: number;
  /** Files linted without comparison (template, multi-line values, lone CRs, too large). */
  alone: number;
}

/**
 * The per-file rule results of the files of one node run, reused from file to file (see the module
 * comment). One per {@link NodeLinter}: the target setting, node config, capacity, catalogue and options
 * are fixed for it. Bounded: a few files per line count, a few dozen line counts.
 */
export class FleetReuse {
  private readonly byCount = new Map<number, FileRecord[]>();
  /** Per rule (index in the rule list): how many traced runs in a row read the whole file. */
  readonly wholeRuns: number[] = [];
  readonly stats: ReuseStats = { reused: 0, traced: 0, direct: 0, alone: 0 };

  /**
   * The rule runner for the lint of one file (`lintAnalysed`'s `run`): each rule's findings, taken from an
   * earlier file where that is exact, else computed (traced when they may be reused later). Call
   * {@link FileRun.done} after the rules ran.
   */
  begin(ctx: LintContext): FileRun {
    const doc = ctx.doc;
    if (ctx.template !== undefined || ctx.tooLarge === true || doc.multiline.length > 0 || doc.continuationLines.size > 0 || doc.editorLines !== undefined) {
      this.stats.alone += 1;
      return new AloneRun(this);
    }
    const record: FileRecord = { lineCount: doc.lines.length, target: ctx.target, kind: ctx.kind, dialect: doc.dialect, bom: doc.bom, eol: doc.eol, doc, results: [] };
    // The earlier files of the same shape, newest first (compared line by line when a rule first needs it).
    const earlier: FileRecord[] = [];
    for (const r of this.byCount.get(record.lineCount) ?? []) if (sameShape(r, record)) earlier.push(r);
    return new ComparedRun(this, ctx.catalog, record, earlier);
  }

  /** Keeps a file linted with comparison as a reference for the next ones. */
  keep(record: FileRecord): void {
    let list = this.byCount.get(record.lineCount);
    if (!list) {
      if (this.byCount.size >= LINE_COUNTS) {
        const oldest = this.byCount.keys().next().value;
        if (oldest !== undefined) this.byCount.delete(oldest);
      }
      this.byCount.set(record.lineCount, (list = []));
    }
    list.unshift(record);
    if (list.length > PER_LINE_COUNT) list.length = PER_LINE_COUNT;
  }

  /** Rule `index` run as in `lint`. */
  direct(rule: Rule, ctx: LintContext): Finding[] {
    this.stats.direct += 1;
    return rule.check(ctx);
  }

  /** Rule `index` run traced; notes whether it read the whole file. */
  traced(rule: Rule, index: number, ctx: LintContext): RuleResult {
    this.stats.traced += 1;
    const r = traceRule(rule, ctx);
    this.wholeRuns[index] = r.reads.whole ? (this.wholeRuns[index] ?? 0) + 1 : 0;
    return r;
  }
}

/** Line counts kept (oldest forgotten first). */
const LINE_COUNTS = 32;

function sameShape(a: Shape, b: Shape): boolean {
  return a.lineCount === b.lineCount && a.kind === b.kind && a.dialect === b.dialect && a.bom === b.bom && a.eol === b.eol && sameTarget(a.target, b.target);
}

function sameTarget(a: Target, b: Target): boolean {
  return a === b || (a.generation === b.generation && a.version === b.version && a.explicit === b.explicit && a.reason === b.reason);
}

/**
 * The numbers of the lines of `b` that are not the same line model as in `a` (same line count), or
 * undefined when there are more than `max`. A line other than an assignment whose text is equal counts as
 * the same: its model is a function of its text, number and dialect (the last line of a file is never
 * shared by the parser, and is mostly empty).
 */
function differingLines(a: ConfigDocument, b: ConfigDocument, max: number): number[] | undefined {
  const out: number[] = [];
  const la = a.lines;
  const lb = b.lines;
  for (let n = 0; n < lb.length; n += 1) {
    const x = la[n] as ConfigLine;
    const y = lb[n] as ConfigLine;
    if (x === y || (x.kind !== 'entry' && y.kind !== 'entry' && a.text[n] === b.text[n])) continue;
    out.push(n);
    if (out.length > max) return undefined;
  }
  return out;
}

/** The rule runner of one file (see {@link FleetReuse.begin}). */
export interface FileRun {
  /** Rule `rule` (index `index` in the rule list) on the file. */
  run(rule: Rule, index: number, ctx: LintContext): Finding[];
  /** After the last rule: keeps the file as a reference. */
  done(): void;
}

/** A file not compared: every rule runs as in `lint`. */
class AloneRun implements FileRun {
  constructor(private readonly owner: FleetReuse) {}

  run(rule: Rule, _index: number, ctx: LintContext): Finding[] {
    return this.owner.direct(rule, ctx);
  }

  done(): void {}
}

/** An earlier file of the same shape and the lines in which the file being linted differs from it. */
interface Compared {
  record: FileRecord;
  /** Undefined: more than {@link MAX_DIFF} lines differ. */
  diff: readonly number[] | undefined;
  /** The parameters of the differing lines, in the earlier file and in this one (made when first needed). */
  names?: Set<string>;
}

class ComparedRun implements FileRun {
  /** `earlier[i]` compared with this file, made when a rule first asks. */
  private readonly compared: Compared[] = [];
  /** Rules run traced on this file. */
  private tracedRuns = 0;

  constructor(
    private readonly owner: FleetReuse,
    private readonly catalog: CatalogIndex,
    private readonly record: FileRecord,
    private readonly earlier: readonly FileRecord[],
  ) {}

  run(rule: Rule, index: number, ctx: LintContext): Finding[] {
    if ((this.owner.wholeRuns[index] ?? 0) >= WHOLE_LIMIT) return this.owner.direct(rule, ctx);
    for (let i = 0; i < this.earlier.length; i += 1) {
      const r = (this.earlier[i] as FileRecord).results[index];
      if (r === undefined || r.reads.whole) continue;
      if (this.holds(r.reads, this.comparedWith(i))) {
        this.owner.stats.reused += 1;
        this.record.results[index] = r;
        return r.findings;
      }
    }
    const r = this.owner.traced(rule, index, ctx);
    this.tracedRuns += 1;
    this.record.results[index] = r;
    return r.findings;
  }

  done(): void {
    // A file whose rule results all came from earlier files adds nothing to compare with: keeping the
    // earlier ones keeps each variant of the fleet's samples at hand (a rare variant is not pushed out).
    if (this.tracedRuns > 0) this.owner.keep(this.record);
  }

  private comparedWith(i: number): Compared {
    let c = this.compared[i];
    if (!c) {
      const record = this.earlier[i] as FileRecord;
      this.compared[i] = c = { record, diff: differingLines(record.doc, this.record.doc, MAX_DIFF) };
    }
    return c;
  }

  /** Whether a run that read `reads` of the earlier file `c` reads the same in this file. */
  private holds(reads: Reads, c: Compared): boolean {
    const diff = c.diff;
    if (diff === undefined) return false;
    if (diff.length === 0) return true;
    for (const n of diff) if (reads.lines.has(n)) return false;
    if (reads.names.size === 0) return true;
    const names = (c.names ??= this.diffNames(c, diff));
    for (const name of names) if (reads.names.has(name)) return false;
    return true;
  }

  private diffNames(c: Compared, diff: readonly number[]): Set<string> {
    const out = new Set<string>();
    for (const n of diff) {
      const a = c.record.doc.lines[n];
      const b = this.record.doc.lines[n];
      if (a?.kind === 'entry') out.add(nameOf(this.catalog, a));
      if (b?.kind === 'entry') out.add(nameOf(this.catalog, b));
    }
    return out;
  }
}
