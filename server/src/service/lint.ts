import { capUnverified } from '../catalog/evidence';
import { keepShellWords, shellWords, type ShellWord } from './shellSafety';
import { getCatalog, type CatalogIndex } from '../catalog/load';
import type { ParameterDef, Severity, StatusEntry } from '../catalog/types';
import { detectKind, parseKind, type FileKind } from '../model/kind';
import { parseTargetSetting, resolveTarget, TargetError, type Target } from '../model/target';
import { compareVersions, inVersionRange } from '../model/version';
import { capText, MAX_DETAIL_CHARS, MAX_FILE_BYTES, MAX_FINDINGS_PER_FILE, MAX_FIX_TITLE_CHARS, MAX_MESSAGE_CHARS, utf8Length } from '../limits';
import { parseConfig, parseConfigFresh, toEditorRange } from '../parser/parse';
import type { ConfigDocument, Entry } from '../parser/types';
import { RULES } from '../rules/index';
import type { Finding, LintContext, NodeCapacity, Rule, ValueChecks } from '../rules/types';
import { fileFacts, SHELL_WORD, SUPPRESSION_COMMENT, type FactsMemo } from '../rules/facts';
import { copyFinding, LazyFixFinding } from '../rules/finding';
import { FindingsBudget, setFindingsBudget, type FindingsFilter } from '../rules/budget';
import type { SuppressionName } from '../rules/suppressions';
import { checkValue, refuses, type ValueCheck } from '../values/validate';
import { suppressionTracker, type SuppressionTracker } from './suppressions';
import { UNUSED_SUPPRESSION, unusedSuppressions, type UnusedSuppressions } from './unusedSuppressions';
import { exclusiveLines, isTemplateName, scanTemplate, stripTemplateExtension } from '../parser/template';
import { keptInTemplate, templateFinding, templateValueCheck } from './template';
import { CacheHost, ObjectCache } from '../util/objectCache';
import { ShapeAnchor } from '../util/shapeAnchor';

export interface LintOptions {
  /** File path or URI path; used to tell vz.conf from CTID.conf. */
  path?: string;
  /** `auto` (default), `classic`, `classic@4.6`, `vz7`, `vz7@8.0.70`. */
  target?: string;
  /** `auto` (default), `node`, `container`, `ct0`. */
  kind?: string;
  /**
   * Where `target` and `kind` were set, as a phrase for the reasons the file's target and kind are shown
   * with (`--print-config`, hover): `by --target`, `in conf/.vzconf.yaml`, `in the setting vzconf.target`.
   * Default: "in the settings".
   */
  targetSource?: string;
  kindSource?: string;
  /** Per-rule severity overrides or `off`. */
  rules?: Record<string, Severity | 'off'>;
  catalog?: CatalogIndex;
  /**
   * The node's vz.conf to check a container config against (vzctl reads it first). Ignored when the
   * file itself is a node config.
   */
  nodeConfig?: { path: string; text: string; sizeBytes?: number };
  /**
   * The node config already analysed with these options (`lintNode` passes it so that a node with many
   * containers parses its vz.conf once, not once per container). Used only with `nodeConfig`.
   */
  nodeContext?: LintContext;
  /** Host capacity in bytes, for checks against the node's RAM and swap. */
  capacity?: NodeCapacity;
  /**
   * Custom keys (setting `vzconf.knownParameters`, `.vzconf.yaml` `knownParameters`, `vzlint
   * --known-parameter`) that management tools keep in these files: unknown-parameter accepts them.
   */
  knownParameters?: readonly string[];
  /**
   * Report what `# vzconf-disable…` comments silence (setting `vzconf.ignoreSuppressions`, `vzlint
   * --ignore-suppressions`), e.g. for an audit. Default false.
   */
  ignoreSuppressions?: boolean;
  /**
   * Read the file as a template (`{{ }}`, `{% %}`, `<%= %>`, `{tmpl_var}`, `${var}`, `%(x)s`…, see
   * `parser/template.ts`). Default: when `path` ends in a template extension (`.j2`, `.erb`, `.tmpl`…).
   */
  template?: boolean;
  /**
   * Size of the file in bytes as read, when the caller read it (vzlint, `cli/read.ts`): `file-too-large`
   * is judged and reported on it, not on the text (invalid UTF-8 bytes decode to U+FFFD, 3 bytes each).
   * Beyond {@link MAX_FILE_BYTES} the file is not read: `text` is empty and this is its size on disk.
   * Without it (the language server has only the document's text), the text's UTF-8 length is judged.
   */
  sizeBytes?: number;
  /**
   * `sizeBytes` is a lower bound, not the size: the reader stopped past the limit without reaching the end
   * (standard input, `cli/read.ts` readStreamBounded). The `file-too-large` message then says "more than".
   */
  sizeBytesAtLeast?: true;
  /**
   * Build every finding, also those a rule knows to be beyond the findings cap ({@link MAX_FINDINGS_PER_FILE}),
   * which it otherwise only counts (`rules/budget.ts`). The result is the same either way: the tests compare the two.
   */
  allFindings?: boolean;
}

export interface LintResult {
  doc: ConfigDocument;
  target: Target;
  kind: FileKind;
  kindReason: string;
  /** Sorted by position. */
  findings: Finding[];
  ctx: LintContext;
}

/** Thrown for option values the user must correct (bad `--target` or `--kind`). */
export class OptionError extends Error {}

/**
 * Whether a file is beyond {@link MAX_FILE_BYTES}: its size in bytes when `sizeBytes` gives it (the file as
 * read), else the text's length in UTF-8 bytes (a document of the editor). Linear, and constant for texts
 * whose UTF-16 length alone decides.
 */
export function isTooLarge(text: string, sizeBytes?: number): boolean {
  if (sizeBytes !== undefined) return sizeBytes > MAX_FILE_BYTES;
  if (text.length > MAX_FILE_BYTES) return true;
  if (text.length * 3 <= MAX_FILE_BYTES) return false;
  return utf8Length(text) > MAX_FILE_BYTES;
}

/** A finding's message, detail and fix titles cut to the limits of `limits.ts` (a rule may quote a huge value). */
export function capFinding(f: Finding): Finding {
  // A LazyFixFinding cuts its own titles (and its fixes are not built for this check).
  const longTitle = !(f instanceof LazyFixFinding) && f.fixes?.some((x) => x.title.length > MAX_FIX_TITLE_CHARS) === true;
  const longDetail = f.detail !== undefined && f.detail.length > MAX_DETAIL_CHARS;
  if (f.message.length <= MAX_MESSAGE_CHARS && !longTitle && !longDetail) return f;
  const out: Finding = copyFinding(f, { message: capText(f.message, MAX_MESSAGE_CHARS), ...(longDetail ? { detail: capText(f.detail as string, MAX_DETAIL_CHARS) } : {}) });
  if (longTitle && f.fixes) out.fixes = f.fixes.map((x) => ({ ...x, title: capText(x.title, MAX_FIX_TITLE_CHARS) }));
  return out;
}

const ORIGIN = { line: 0, character: 0 };
/** The shell words of a file without any (shellSafety.ts `shellWords`): shared, never modified. */
const NO_WORDS: readonly ShellWord[] = Object.freeze([]);

/** Whether `o` has an own enumerable key (without building the list of them: once per file linted). */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/**
 * A finding of the model (vzctl's lines) with its range and its fixes' edits in the editor's line numbering
 * (they differ only after a lone CR; see `toEditorPosition`). The same object when nothing moves.
 */
export function toEditorFinding(doc: Pick<ConfigDocument, 'editorLines'>, f: Finding): Finding {
  if (!doc.editorLines) return f;
  const out: Finding = copyFinding(f, { range: toEditorRange(doc, f.range) });
  if (f.fixes) out.fixes = f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ range: toEditorRange(doc, e.range), newText: e.newText })) }));
  return out;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * What a lint needs of the catalogue for one target and kind of file, whatever the file: whether the
 * target knows a parameter, its active status entries, whether it was removed, and value checks (a pure
 * function of the parameter, the value and the target, so a fleet whose containers share their UBC lines
 * checks each distinct value once). Shared by every file linted with that target: never modify what it
 * returns.
 */
interface TargetView {
  readonly catalog: CatalogIndex;
  known(def: ParameterDef): boolean;
  status(def: ParameterDef): StatusEntry[];
  removed(def: ParameterDef): boolean;
  checkValue(def: ParameterDef, value: string): ValueCheck;
}

/** Distinct values kept per parameter by a {@link TargetView} (host names and addresses differ in every file). */
const VALUES_PER_PARAMETER = 256;

const targetViews = new ObjectCache<CatalogIndex, Map<string, TargetView>>();
/** The view {@link targetView} answered last, with what it was asked for. */
let lastView: { catalog: CatalogIndex; target: Target; scope: 'node' | 'container'; view: TargetView } | undefined;

/** The {@link TargetView} of `target` for a node config or any other file (`scope`), built on first use. */
function targetView(catalog: CatalogIndex, target: Target, scope: 'node' | 'container'): TargetView {
  // The files of a node mostly share one target object (resolveTarget's auto one): no key built for them.
  const last = lastView;
  if (last && last.target === target && last.catalog === catalog && last.scope === scope) return last.view;
  let views = targetViews.get(catalog);
  if (!views) targetViews.set(catalog, (views = new Map()));
  const key = `${target.generation}\0${target.version}\0${scope}`;
  let view = views.get(key);
  if (view) {
    lastView = { catalog, target, scope, view };
    return view;
  }
  const knownOf = new Map<ParameterDef, boolean>();
  const statusOf = new Map<ParameterDef, StatusEntry[]>();
  const removedOf = new Map<ParameterDef, boolean>();
  const checks = new Map<ParameterDef, Map<string, ValueCheck>>();
  const vctx = { generation: target.generation, version: target.version, catalog };
  const status = (def: ParameterDef): StatusEntry[] => {
    let st = statusOf.get(def);
    if (st === undefined) {
      st = (def[target.generation]?.status ?? []).filter((s) =>
        inVersionRange(target.version, s.from, s.until) && (s.in === undefined || s.in === 'any' || s.in === scope));
      statusOf.set(def, st);
    }
    return st;
  };
  view = {
    catalog,
    known(def) {
      let k = knownOf.get(def);
      if (k === undefined) {
        const info = def[target.generation];
        k = info !== undefined && (info.since === undefined || compareVersions(target.version, info.since) >= 0);
        knownOf.set(def, k);
      }
      return k;
    },
    status,
    removed(def) {
      let r = removedOf.get(def);
      if (r === undefined) removedOf.set(def, (r = status(def).some((s) => s.kind === 'removed')));
      return r;
    },
    checkValue(def, value) {
      let seen = checks.get(def);
      if (!seen) checks.set(def, (seen = new Map()));
      let check = seen.get(value);
      if (check === undefined) {
        check = checkValue(def, value, vctx);
        if (seen.size < VALUES_PER_PARAMETER) seen.set(value, check);
      }
      return check;
    },
  };
  // Bounded: a language server may see many targets over its life (each is small).
  if (views.size >= 64) views.clear();
  views.set(key, view);
  lastView = { catalog, target, scope, view };
  return view;
}

/**
 * The value checks of one document's entries, kept by line number: one array slot a line instead of a
 * Map entry (a file of 40,000 checked lines keeps these alive through its lint; issue 8). An entry of
 * another document (or none) has no check here.
 */
class LineValueChecks implements ValueChecks {
  readonly #lines: readonly unknown[];
  /** The entries that may have a check (the file's live entries, in file order): what iteration walks. */
  readonly #entries: readonly Entry[];
  readonly #checks: (ValueCheck | undefined)[];
  #size = 0;

  constructor(lines: readonly unknown[], entries: readonly Entry[]) {
    this.#lines = lines;
    this.#entries = entries;
    this.#checks = new Array<ValueCheck | undefined>(lines.length);
  }

  /** Records the check of `entry`, one of the entries given to the constructor. */
  set(entry: Entry, check: ValueCheck): void {
    if (this.#checks[entry.line] === undefined) this.#size += 1;
    this.#checks[entry.line] = check;
  }

  get(entry: Entry): ValueCheck | undefined {
    return this.#lines[entry.line] === entry ? this.#checks[entry.line] : undefined;
  }

  has(entry: Entry): boolean {
    return this.get(entry) !== undefined;
  }

  get size(): number {
    return this.#size;
  }

  forEach(fn: (check: ValueCheck, entry: Entry) => void): void {
    const checks = this.#checks;
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      const check = checks[e.line];
      if (check !== undefined) fn(check, e);
    }
  }

  *[Symbol.iterator](): IterableIterator<[Entry, ValueCheck]> {
    const checks = this.#checks;
    for (const e of this.#entries) {
      const check = checks[e.line];
      if (check !== undefined) yield [e, check];
    }
  }
}

/**
 * What {@link analyze} works out for one line model under one {@link TargetView}, kept in the line's
 * `memo` slot: the same for every document that shares the line model (parser/parse.ts reuses the line
 * models of recent documents), so a node of 10,000 containers with the same lines looks up, checks and
 * hashes each such line once, not once per file (issue 8).
 */
class LineAnalysis implements FactsMemo {
  /** The line's value check under the view: null until asked (a first-wins duplicate is never checked). */
  check: ValueCheck | undefined | null = null;
  /** rules/facts.ts fileFacts's part (see FactsMemo). */
  factsOf: unknown = undefined;
  factsBits = 0;

  constructor(
    readonly view: TargetView,
    /** The catalogue entry of the line's key (null: none). */
    readonly def: ParameterDef | null,
    /** The key is a catalogue parameter written as named (the line is in `byName`). */
    readonly named: boolean,
    /** Named, and the target knows the parameter. */
    readonly known: boolean,
    /** Known, and classic vzctl keeps the parameter's first line (the duplicates are ignored). */
    readonly firstWins: boolean,
    /** Known, and removed at the target's version (its value is not checked). */
    readonly removed: boolean,
  ) {}
}

/**
 * The options and the kind found of the last {@link analyze}, kept until the next one so that their hidden
 * classes live through a full collection (util/shapeAnchor.ts: `analyze` was deoptimised for them).
 */
const ANALYZED = new ShapeAnchor<{ options: LintOptions; kindResult: { kind: FileKind; reason: string } }>();

/**
 * Files of more lines than this keep no {@link LineAnalysis} with their line models, and have no
 * {@link DefsByLine} (see `analyze`).
 */
const MEMO_MAX_LINES = 2000;

/**
 * A {@link DefsByLine} for a document of `lines` lines, or none for a long one. Its keys are then looked up by
 * name each time (a hash read from the string and one compare): a slot a line is an array of 16,384 slots
 * or more past 16,384 lines, which V8 maps fresh in its large-object space at every lint (issue 8: each such
 * array of a 40,000-line file cost 80 page faults, ~0.8 ms here, and saved less than that).
 */
function defsByLine(lines: number): DefsByLine | undefined {
  return lines <= MEMO_MAX_LINES ? new Array<ParameterDef | null | undefined>(lines) : undefined;
}

/** The document of an empty text (resolveTarget reads no document for a target that is set); not in the parse cache. */
let emptyDoc: ConfigDocument | undefined;
const EMPTY_DOC = (): ConfigDocument => (emptyDoc ??= parseConfigFresh('', { dialect: 'classic' }));

/**
 * The {@link LintContext} {@link analyze} builds: a {@link CacheHost}, so that the rules' per-file memos
 * (`ObjectCache`) add no property to it. Its own fields are exactly the context's, the optional ones
 * included (undefined when absent): every context has the same fields in the same order, so one hidden
 * class in V8 (the node config's context, without `node`, had another, and the functions that read a
 * context were deoptimised and compiled again when they met it; issue 8).
 */
class AnalysedFile extends CacheHost implements LintContext {
  readonly doc: ConfigDocument;
  readonly kind: FileKind;
  readonly kindReason: string;
  readonly target: Target;
  readonly catalog: CatalogIndex;
  readonly known: LintContext['known'];
  readonly status: LintContext['status'];
  readonly values: ValueChecks;
  readonly live: readonly Entry[];
  readonly byName: ReadonlyMap<string, Entry[]>;
  path?: string;
  node?: LintContext;
  capacity?: NodeCapacity;
  template?: LintContext['template'];
  tooLarge?: boolean;
  ignoreSuppressions?: boolean;
  /** The catalogue entry of each line's key, by line number, once looked up (null: none); see {@link defOf}. */
  readonly #defAt: DefsByLine | undefined;

  constructor(c: Pick<LintContext, 'doc' | 'kind' | 'kindReason' | 'target' | 'catalog' | 'known' | 'status' | 'values' | 'live' | 'byName' | 'path' | 'node' | 'capacity' | 'template' | 'tooLarge' | 'ignoreSuppressions'>, defAt: DefsByLine | undefined) {
    super();
    this.doc = c.doc;
    this.kind = c.kind;
    this.kindReason = c.kindReason;
    this.target = c.target;
    this.catalog = c.catalog;
    this.known = c.known;
    this.status = c.status;
    this.values = c.values;
    this.live = c.live;
    this.byName = c.byName;
    this.path = c.path;
    this.node = c.node;
    this.capacity = c.capacity;
    this.template = c.template;
    this.tooLarge = c.tooLarge;
    this.ignoreSuppressions = c.ignoreSuppressions;
    this.#defAt = defAt;
  }

  /**
   * The catalogue entry of `entry`'s key (see {@link LintContext.def}). A method (one function for every
   * context), not a closure made per lint: optimised code that inlined the closure of the last lint kept it
   * as a weak constant, and the next full collection threw that code away (issue 8).
   */
  def(entry: Entry): ParameterDef | undefined {
    return defOf(this.doc, this.catalog, this.#defAt, entry);
  }
}

/** The catalogue entry (null: none) of each line's key, by line number; undefined where not looked up yet. */
type DefsByLine = (ParameterDef | null | undefined)[];

/**
 * The catalogue entry of `entry`'s key, kept in `defAt` by line when `entry` is a line of `doc` (the
 * look-up is by name: hashing and comparing it), else looked up (and always for a long file, which has
 * no `defAt`: see {@link defsByLine}).
 */
function defOf(doc: ConfigDocument, catalog: CatalogIndex, defAt: DefsByLine | undefined, entry: Entry): ParameterDef | undefined {
  if (defAt === undefined || doc.lines[entry.line] !== entry) return catalog.parameter(entry.name);
  let d = defAt[entry.line];
  if (d === undefined) defAt[entry.line] = d = catalog.parameter(entry.name) ?? null;
  return d ?? undefined;
}

/**
 * Builds the context every rule reads: the document parsed in the target's dialect, the file kind,
 * and the value checks of every line vzctl keeps.
 *
 * @throws OptionError for an invalid target or kind option
 */
export function analyze(text: string, options: LintOptions = {}): LintContext {
  const catalog = options.catalog ?? getCatalog();
  const parsed = parseTargetSetting(options.target);
  if ('error' in parsed) throw new OptionError(parsed.error);
  const setting = !parsed.auto && options.targetSource !== undefined ? { ...parsed, source: options.targetSource } : parsed;
  // Beyond the size limit nothing of the text is parsed (see `lint`: one file-too-large finding).
  const tooLarge = isTooLarge(text, options.sizeBytes);
  if (tooLarge) text = '';
  // A template is read through the template pre-pass (same length, placeholders masked).
  const scan = (options.template ?? isTemplateName(options.path)) ? scanTemplate(text) : undefined;
  if (scan) text = scan.masked;
  // The classic reading the auto target is chosen from; a target that is set needs none (a file linted
  // as vz7 is then parsed once, not also as classic), and a classic one reads it below.
  const probe = setting.auto ? parseConfig(text, { dialect: 'classic' }) : undefined;
  // The catalogue entry of each line's key, looked up once per line however many rules ask (the target's
  // choice looks up the probe's: kept when the probe is the document linted).
  const probeDefs = defsByLine(probe?.lines.length ?? 0);
  // Those of the lines an earlier file shares, from their memo (a look-up by name hashes and compares the name).
  if (probe && probeDefs) {
    const entries = probe.entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i] as Entry;
      const m = e.memo as LineAnalysis | undefined;
      if (m !== undefined && m.view.catalog === catalog) probeDefs[e.line] = m.def;
    }
  }
  let target: Target;
  try {
    target = resolveTarget(setting, probe ?? EMPTY_DOC(), catalog, probeDefs);
  } catch (err) {
    if (err instanceof TargetError) throw new OptionError(err.message);
    throw err;
  }
  // The node config, read with the same target setting; under `auto`, a node that shows Virtuozzo 7
  // makes its containers Virtuozzo 7 too.
  let node: LintContext | undefined;
  const nodeOptions = options.nodeConfig;
  if (nodeOptions && !(options.path && nodeOptions.path === options.path)) {
    node = options.nodeContext && options.nodeContext.path === nodeOptions.path && options.nodeContext.kind === 'node'
      ? options.nodeContext
      : analyze(nodeOptions.text, { ...options, path: nodeOptions.path, kind: 'node', nodeConfig: undefined, nodeContext: undefined, sizeBytes: nodeOptions.sizeBytes });
    if (setting.auto && target.generation === 'classic' && node.target.generation === 'vz7') {
      target = { ...node.target, reason: `auto: Virtuozzo 7 like the node's ${nodeOptions.path} (${node.target.reason})` };
    }
  }
  const doc = target.generation === 'classic' ? probe ?? parseConfig(text, { dialect: 'classic' }) : parseConfig(text, { dialect: 'vz7' });
  const forced = parseKind(options.kind);
  if (typeof forced === 'object') throw new OptionError(forced.error);
  const kindResult = forced === 'auto' ? detectKind(scan && options.path !== undefined ? stripTemplateExtension(options.path) : options.path, doc, catalog) : { kind: forced, reason: `set ${options.kindSource ?? 'in the settings'}` };
  ANALYZED.hold({ options, kindResult });

  // What depends only on the target and the kind of file (which parameters it knows, their status, the
  // checks of the values seen so far) is computed once per process, not once per file (see targetView).
  const view = targetView(catalog, target, kindResult.kind === 'node' ? 'node' : 'container');
  const { known, status } = view;
  const defAt = doc === probe ? probeDefs : defsByLine(doc.lines.length);
  // (The document's own list when vzctl skips no line: one array fewer through the lint.)
  let live = doc.entries;
  const entries = doc.entries;
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as Entry;
    if (e.skipped) {
      live = doc.entries.filter((x) => !x.skipped);
      break;
    }
  }
  const values = new LineValueChecks(doc.lines, live);
  const byName = new Map<string, Entry[]>();
  // (For a template's value checks only; the others go through the view.)
  const vctx = scan ? { generation: target.generation, version: target.version, catalog } : undefined;
  // Classic first-wins names whose every line so far had its value refused (created at the first refusal).
  let refusedOnly: Set<string> | undefined;
  // Kept with the line models of a short file only: a node's containers are short and share their lines,
  // while a long file's lines are its own (a memo per line of a 40,000-line file kept 3 MB more alive
  // through its lint, all of it copied out of the young generation, for no look-up saved), and a long file
  // makes none (10,000 unknown keys made 10,000 line analyses, 0.7 MB, to drop them).
  const keepMemo = doc.lines.length <= MEMO_MAX_LINES;
  for (let i = 0; i < live.length; i += 1) {
    const e = live[i] as Entry;
    // What depends only on the line and the view, kept with the line model (shared by the files that
    // have the same line): worked out at the line's first file.
    let m = e.memo as LineAnalysis | undefined;
    let def: ParameterDef | null;
    let named: boolean;
    let isKnown: boolean;
    let firstWins: boolean;
    let removed: boolean;
    if (m !== undefined && m.view === view) {
      def = m.def;
      named = m.named;
      isKnown = m.known;
      firstWins = m.firstWins;
      removed = m.removed;
      if (defAt !== undefined && defAt[e.line] === undefined) defAt[e.line] = def;
    } else {
      const found = defOf(doc, catalog, defAt, e);
      const n = found !== undefined && e.key === e.name;
      const k = n && known(found);
      def = found ?? null;
      named = n;
      isKnown = k;
      firstWins = k && target.generation === 'classic' && (found.duplicates ?? 'first') === 'first';
      removed = k && view.removed(found);
      // A long file's lines keep none: worked out here, nothing allocated per line.
      if (keepMemo) e.memo = m = new LineAnalysis(view, def, named, isKnown, firstWins, removed);
      else m = undefined;
    }
    if (!named) continue;
    const d = def as ParameterDef;
    const same = byName.get(d.name);
    if (same) same.push(e);
    else byName.set(d.name, [e]);
    if (!isKnown) continue;
    // Classic stops at "duplicate … ignored" before parsing a first-wins key an earlier line has set: its
    // value is never checked. A line whose value the handler refused set nothing (src/lib/config.c
    // conf_parse_yesno/conf_parse_ulong return ERR_INVAL before storing), so the next line of the key is
    // parsed and checked in its place (as model/effective usedEntries reads it).
    // In a template, a line in another branch of the same if/else as every earlier one is the first when rendered.
    if (same && firstWins && refusedOnly?.has(d.name) !== true && (!scan || same.some((o) => o !== e && !exclusiveLines(scan, o.line, e.line)))) continue;
    if (removed) continue;
    let check: ValueCheck | undefined;
    if (scan) check = templateValueCheck(d, e.value, vctx as NonNullable<typeof vctx>);
    else if (m !== undefined) {
      const kept = m.check;
      check = kept === null ? (m.check = view.checkValue(d, e.value)) : kept;
    } else check = view.checkValue(d, e.value);
    if (check) values.set(e, check);
    if (!firstWins) continue;
    if (check !== undefined && refuses(check)) (refusedOnly ??= new Set()).add(d.name);
    else refusedOnly?.delete(d.name);
  }
  return new AnalysedFile({
    doc, kind: kindResult.kind, kindReason: kindResult.reason, target, catalog, known, status, values, live, byName,
    path: options.path,
    node: node && kindResult.kind !== 'node' ? node : undefined,
    capacity: options.capacity ? options.capacity : undefined,
    template: scan,
    tooLarge: tooLarge ? true : undefined,
    ignoreSuppressions: options.ignoreSuppressions === true ? true : undefined,
  }, defAt);
}

/**
 * Lints one file: parse → model → every rule → unverified facts capped at info (catalog/evidence.ts) → severity overrides (`rules`) → custom keys
 * (`knownParameters`) → suppression comments (unless `ignoreSuppressions`) → suppression comments that silenced
 * nothing (`unused-suppression`, service/unusedSuppressions.ts) → findings sorted by position,
 * at most {@link MAX_FINDINGS_PER_FILE} of them, with ranges in the editor's line numbering (a lone CR
 * breaks the line there, not for vzctl: see `toEditorFinding`).
 * Pure over its inputs (the catalogue is loaded once per process); never throws for any text.
 *
 * @throws OptionError for an invalid `target` or `kind` option
 */
export function lint(text: string, options: LintOptions = {}): LintResult {
  const ctx = analyze(text, options);
  const findings: Finding[] = [];
  const result = (list: Finding[]): LintResult => ({ doc: ctx.doc, target: ctx.target, kind: ctx.kind, kindReason: ctx.kindReason, findings: list, ctx });
  if (ctx.tooLarge) {
    const override = options.rules?.['file-too-large'];
    if (override === 'off') return result([]);
    // The file's bytes when the caller read it; else (an editor's document) the text's UTF-8 length, said so.
    const message =
      options.sizeBytes !== undefined
        ? `File of ${options.sizeBytesAtLeast === true ? `more than ${sizeText(MAX_FILE_BYTES)}` : sizeText(options.sizeBytes)} not checked: vzconf checks config files up to ${sizeText(MAX_FILE_BYTES)}`
        : `Text of ${sizeText(utf8Length(text))} in UTF-8 not checked: vzconf checks config files up to ${sizeText(MAX_FILE_BYTES)}`;
    return result([{ rule: 'file-too-large', severity: override ?? ctx.catalog.rule('file-too-large').severity, message, range: { start: ORIGIN, end: ORIGIN } }]);
  }
  const overrides = options.rules !== undefined && hasKeys(options.rules) ? options.rules : undefined;
  const bomComment = ctx.doc.bom && BOM_COMMENT.test(ctx.doc.text[0] ?? '');
  const shellRuns = bomComment && (ctx.doc.text[0] ?? '').charAt(1) === '#';
  const known = options.knownParameters && options.knownParameters.length > 0 ? new Set(options.knownParameters) : undefined;
  const ignore = options.ignoreSuppressions === true;
  // What the file has that rules report on (rules/facts.ts): a rule is called only when the file has one of
  // the facts it needs, and a file without a `vzconf-` comment has no suppression to track.
  const facts = fileFacts(ctx);
  const tracker = (facts & SUPPRESSION_COMMENT) === 0 ? undefined : suppressionTracker(ctx);
  const filter = new LintFilter(ctx, known, tracker, ignore, bomComment, shellRuns);
  // What rules may count instead of building (rules/budget.ts): findings beyond the cap that the filters
  // below keep. They may also skip what a suppression comment silences (the comment credited below, as if built).
  let budget: FindingsBudget | undefined;
  if (options.allFindings !== true) {
    budget = new FindingsBudget(filter, MAX_FINDINGS_PER_FILE);
    setFindingsBudget(ctx, budget);
  }
  let notBuilt = 0;
  // Findings the rules skipped as silenced (FindingsBudget.silenced): dropped below had they been built.
  let silencedUnbuilt = 0;
  for (let r = 0; r < RULES.length; r += 1) {
    const rule = RULES[r] as Rule;
    const needs = rule.needs;
    if (needs !== undefined && (facts & needs) === 0) continue;
    const override = overrides?.[rule.id];
    if (override === 'off') continue;
    let produced: Finding[];
    try {
      produced = rule.check(ctx);
      if (budget) {
        notBuilt += budget.take();
        const quiet = budget.takeSilenced();
        for (let i = 0; i < quiet.length; i += 1) tracker?.credit(quiet[i] as SuppressionName);
        silencedUnbuilt += quiet.length;
      }
    } catch (err) {
      // A rule bug must not take the whole lint down: report it where the user sees it (what it counted goes too).
      budget?.take();
      budget?.takeSilenced();
      produced = [{ rule: rule.id, severity: 'error', message: `internal error in rule ${rule.id}: ${(err as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    // A finding resting on an unverified catalogue fact is at most info; the user's override still wins.
    for (const f of produced) findings.push(capFinding(override ? copyFinding(f, { severity: override }) : capUnverified(ctx, f)));
  }
  if (bomComment) keepOnBomComment(findings, shellRuns);
  // A safe fix must not change how sh reads a multi-line value (rare: most files have none).
  const words = (facts & SHELL_WORD) === 0 ? NO_WORDS : shellWords(ctx);
  if (words.length > 0) for (let i = 0; i < findings.length; i += 1) findings[i] = keepShellWords(ctx, findings[i] as Finding, words);
  let kept: Finding[];
  let unused: UnusedSuppressions | undefined;
  if (!tracker) kept = known ? findings.filter((f) => !filter.custom(f.rule, f.range.start.line)) : findings;
  else {
    // Each finding a comment covers counts that comment as used, also one knownParameters drops (the comment
    // may be meant for vzlint runs without that setting) and any with ignoreSuppressions (an audit).
    kept = [];
    for (let i = 0; i < findings.length; i += 1) {
      const f = findings[i] as Finding;
      const silenced = tracker.silences(f.rule, f.range.start.line);
      if ((silenced && !ignore) || filter.custom(f.rule, f.range.start.line)) continue;
      kept.push(f);
    }
    // Beyond the findings cap (or a rule's own budget) what a comment would silence is not all known.
    if (findings.length + silencedUnbuilt < MAX_FINDINGS_PER_FILE) unused = unusedSuppressions(ctx, tracker, { rules: overrides, ignore });
  }
  // In a template, what is dropped is dropped first (by rule and line) and the rest shown as templateFinding
  // says after the cap: only the findings reported are copied.
  if (ctx.template) {
    kept = kept.filter((f) => keptInTemplate(ctx, f.rule, f.range.start.line));
    if (unused) unused = { pending: unused.pending.filter((p) => keptInTemplate(ctx, UNUSED_SUPPRESSION, p.line)), build: unused.build };
  }
  // (Most files have one finding or none: no sort, whose set-up alone is a microsecond.)
  if (kept.length > 1) kept.sort(byPosition);
  let capped = capFindings(kept, ctx, options, unused, notBuilt);
  if (ctx.template) capped = capped.map((f) => (f.rule === 'too-many-findings' ? f : templateFinding(ctx, f)));
  return result(ctx.doc.editorLines ? capped.map((f) => toEditorFinding(ctx.doc, f)) : capped);
}

/**
 * The filters of one lint (custom keys, suppression comments, the byte-order-mark comment, a template's
 * dropped lines) as its {@link FindingsBudget} asks them before a rule builds a finding: state in fields,
 * read by methods shared by every lint. (They were closures made per lint: optimised code of the rules
 * that inlined one kept it as a weak constant, and the next full collection threw that code away; see
 * `FindingsFilter`.)
 */
class LintFilter implements FindingsFilter {
  constructor(
    readonly ctx: LintContext,
    /** `knownParameters`, when any. */
    readonly known: ReadonlySet<string> | undefined,
    /** The file's suppression comments, when it has any. */
    readonly tracker: SuppressionTracker | undefined,
    /** `ignoreSuppressions`. */
    readonly ignore: boolean,
    /** Line 0 is a comment once its byte-order mark goes (see {@link keepOnBomComment}). */
    readonly bomComment: boolean,
    readonly shellRuns: boolean,
  ) {}

  /** Whether a finding of `rule` on (model) line `line` is about a custom key (`knownParameters`): dropped. */
  custom(rule: string, line: number): boolean {
    const known = this.known;
    if (!known || rule !== 'unknown-parameter') return false;
    const model = this.ctx.doc.lines[line];
    return model?.kind === 'entry' && (known.has(model.name) || known.has(model.key));
  }

  /** A finding on a byte-order-mark comment's line that keepOnBomComment drops (before any credit). */
  droppedOnBom(rule: string, line: number): boolean {
    return this.bomComment && line === 0 && !keptOnBomComment(rule, this.shellRuns);
  }

  kept(rule: string, line: number): boolean {
    const tracker = this.tracker;
    return !this.droppedOnBom(rule, line) &&
      !(tracker !== undefined && !this.ignore && tracker.covering(rule, line) !== undefined) &&
      !this.custom(rule, line) &&
      (!this.ctx.template || keptInTemplate(this.ctx, rule, line));
  }

  /** Not a finding on the line of a byte-order-mark comment that is dropped before any credit. */
  silencer(rule: string, line: number): SuppressionName | undefined {
    const tracker = this.tracker;
    if (tracker === undefined || this.ignore || this.droppedOnBom(rule, line)) return undefined;
    return tracker.covering(rule, line);
  }
}

/** The order of findings: by start line, start character, then rule id. */
function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);
}

/** Line 0 that is a comment once its byte-order mark goes: `\uFEFF# MEMORY = 1G`. */
const BOM_COMMENT = /^\uFEFF[ \t]*#/;

/**
 * Rules kept, without fixes, on such a line when `#` follows the mark: sh then reads `\uFEFF#` as a
 * command and expands the rest as its arguments (with a blank between, `#` starts a comment for sh).
 */
const SHELL_RULES = new Set(['shell-expansion', 'shell-unsafe-value']);

/**
 * On line 0 that is a comment once its byte-order mark goes, vzctl reads a key (`\uFEFF# MEMORY `, an
 * unknown parameter) and the key and value rules report it, but byte-order-mark's fix makes the line a
 * comment again: their fixes would edit the comment (fix-all once turned `# MEMORY = 1G` into
 * `# MEMORY=1G`). There only byte-order-mark is kept, and, when `shellRuns`, the shell rules without
 * fixes. Edits `findings` in place.
 */
function keepOnBomComment(findings: Finding[], shellRuns: boolean): void {
  let n = 0;
  for (const f of findings) {
    if (f.range.start.line !== 0 || f.rule === 'byte-order-mark') findings[n++] = f;
    else if (shellRuns && SHELL_RULES.has(f.rule)) findings[n++] = copyFinding(f, { fixes: [] });
  }
  findings.length = n;
}

/** Whether {@link keepOnBomComment} keeps a finding of `rule` on line 0 (in some form). */
function keptOnBomComment(rule: string, shellRuns: boolean): boolean {
  return rule === 'byte-order-mark' || (shellRuns && SHELL_RULES.has(rule));
}

/**
 * At most {@link MAX_FINDINGS_PER_FILE} findings (the first ones by position), plus one `too-many-findings`
 * at the start of the file saying how many were left out. `findings` must be sorted; it is not changed.
 * With `unused` (the lint's unused-suppression findings, as positions), they are merged in by position
 * (before them a finding of a rule that sorts first at the same position) and only those within the
 * cap are built: the others are only counted. `notBuilt`: findings the rules counted without building them,
 * all beyond the cap (rules/budget.ts): only counted.
 */
export function capFindings(findings: Finding[], ctx: LintContext, options: Pick<LintOptions, 'rules'> = {}, unused?: UnusedSuppressions, notBuilt = 0): Finding[] {
  const pending = unused?.pending ?? [];
  const total = findings.length + pending.length + notBuilt;
  let kept: Finding[];
  if (pending.length === 0) {
    if (total <= MAX_FINDINGS_PER_FILE) return findings;
    kept = findings.slice(0, MAX_FINDINGS_PER_FILE);
  } else {
    kept = [];
    const build = (unused as UnusedSuppressions).build;
    const limit = Math.min(total, MAX_FINDINGS_PER_FILE);
    let i = 0;
    let j = 0;
    while (kept.length < limit) {
      const f = findings[i];
      const p = pending[j];
      // No other finding has the rule unused-suppression: a tie at one position goes by rule id.
      if (p === undefined || (f !== undefined && (f.range.start.line - p.line || f.range.start.character - p.character || f.rule.localeCompare(UNUSED_SUPPRESSION)) < 0)) {
        kept.push(f as Finding);
        i += 1;
      } else {
        kept.push(build(p));
        j += 1;
      }
    }
    if (total <= MAX_FINDINGS_PER_FILE) return kept;
  }
  const override = options.rules?.['too-many-findings'];
  if (override === 'off') return kept;
  const left = total - kept.length;
  const message = `${left} more finding${left === 1 ? '' : 's'} not shown: vzconf reports the first ${MAX_FINDINGS_PER_FILE} of a file`;
  kept.unshift({ rule: 'too-many-findings', severity: override ?? ctx.catalog.rule('too-many-findings').severity, message, range: { start: ORIGIN, end: ORIGIN } });
  return kept;
}
