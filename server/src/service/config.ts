/**
 * The `.vzconf.yaml` configuration file: the options of the `vzconf.*` settings for a tree of config files,
 * shared by the language server (the file at the root of a workspace folder) and vzlint (the nearest one
 * from each file upward, or `--config PATH`).
 *
 * ```yaml
 * target: classic@4.6
 * rules:
 *   ubc-required: off
 *   inline-comment: error
 * knownParameters: [MY_BACKUP_POLICY]
 * kb:
 *   urlTemplate: https://kb.cloudblue.com/{id}
 * ignoreSuppressions: false
 * nodeConfig: etc/vz/vz.conf      # relative to this file's folder
 * nodeRam: 64G
 * nodeSwap: 8G
 * ```
 *
 * The file is validated against `schemas/vzconf-config.schema.json` (the same schema VS Code uses for
 * completion in the file), then rule ids against the catalogue. Any problem is a {@link ConfigFileError}
 * with a position; nothing here throws anything else for any text.
 */
import { constants as fsConstants, readFileSync } from 'node:fs';
import { open, stat } from '../util/fsAsync';
import path from 'node:path';
import type { Node as YamlNode, parseDocument } from 'yaml';
import type * as YamlModule from './yamlParse';
import { findSchemasDir, getCatalog } from '../catalog/load';
import { suggestRuleIds } from '../rules/suppressions';
import { editDistance } from '../rules/util';
import { parseTargetSetting, resolveTarget, TargetError } from '../model/target';
import { parseConfig } from '../parser/parse';
import type { RuleLevel, VzconfSettings } from '../settings';
import { MAX_CONFIG_FILE_BYTES } from '../limits';

let yamlModule: typeof YamlModule | undefined;
/** What config.ts uses of the `yaml` package (./yamlParse), loaded when the first `.vzconf.yaml` is read, not at start. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof YamlModule => (yamlModule ??= require('./yamlParse') as typeof YamlModule);

/** The name vzconf looks for. */
export const CONFIG_FILE_NAME = '.vzconf.yaml';

export { MAX_CONFIG_FILE_BYTES };

/** At most this many characters of a value or key are quoted in a message. */
const MAX_QUOTED = 80;

/** `JSON.stringify(v)`, cut to about {@link MAX_QUOTED} characters (a 5 MB value stays out of the message). */
function quoted(v: unknown): string {
  // JSON has no Infinity or NaN (JSON.stringify writes null): YAML's 1e400, .inf and .nan are numbers.
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' && v.length > MAX_QUOTED ? `${JSON.stringify(v.slice(0, MAX_QUOTED))}… (${v.length} characters)` : JSON.stringify(v) ?? String(v);
  return s.length > MAX_QUOTED * 2 ? `${s.slice(0, MAX_QUOTED)}…` : s;
}

/** Whether `obj` has `key` as its own property (never through the prototype: `constructor`, `__proto__`). */
function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** What a `.vzconf.yaml` holds, as settings (a `nodeConfig` is made absolute against the file's folder). */
export type ConfigFileSettings = Partial<Pick<VzconfSettings, 'target' | 'kind' | 'rules' | 'knownParameters' | 'kbUrlTemplate' | 'ignoreSuppressions' | 'nodeConfig' | 'nodeRam' | 'nodeSwap'>>;

/**
 * One problem of a `.vzconf.yaml`: 0-based line and UTF-16 column where it starts, and where the YAML node
 * (key or value) it is about ends, when known (`end`; the language server underlines that range).
 */
export interface ConfigProblem {
  line: number;
  character: number;
  end?: { line: number; character: number };
  detail: string;
}

/** At most this many problems of one `.vzconf.yaml` are listed (one line each). */
export const MAX_CONFIG_PROBLEMS = 10;

/** A `.vzconf.yaml` that cannot be used: not YAML, or not what the schema allows. */
export class ConfigFileError extends Error {
  /** The file's path. */
  readonly path: string;
  /** 0-based line and UTF-16 column of the problem (0, 0 when unknown). */
  readonly line: number;
  readonly character: number;
  /** The problem without the path and position. */
  readonly detail: string;
  /** The file could not be read at all (missing, not a regular file, too large): no position applies. */
  readonly unreadable: boolean;
  /**
   * Every problem found (the first is `line`/`character`/`detail` without the "and N more" count), at most
   * {@link MAX_CONFIG_PROBLEMS}, then one saying how many more; one problem alone for unreadable files.
   */
  readonly problems: ConfigProblem[];

  constructor(filePath: string, detail: string, line = 0, character = 0, unreadable = false, problems?: ConfigProblem[]) {
    super(unreadable ? `${filePath}: ${detail}` : `${filePath}:${line + 1}:${character + 1}: ${detail}`);
    this.path = filePath;
    this.detail = detail;
    this.line = line;
    this.character = character;
    this.unreadable = unreadable;
    this.problems = problems ?? [{ line, character, detail }];
  }
}

// ------------------------------------------------------------------------------------------------
// A small JSON Schema (draft-07 subset) validator: exactly the keywords vzconf-config.schema.json uses.

/** The JSON Schema keywords this validator understands. */
interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'boolean';
  enum?: unknown[];
  pattern?: string;
  /** What a value that does not match `pattern` should be, in words (VS Code's JSON Schema extension keyword). */
  patternErrorMessage?: string;
  minLength?: number;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  uniqueItems?: boolean;
  definitions?: Record<string, Schema>;
}

/** One schema violation: where (a path of keys / indexes) and what. */
export interface SchemaViolation {
  path: (string | number)[];
  message: string;
  /** The key itself is the problem (an unknown property), not its value. */
  atKey?: boolean;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/**
 * Validates `data` against `schema` (the keywords of {@link Schema} only; `$ref` to `#/definitions/…`).
 *
 * @returns the violations, empty when valid
 */
export function validateAgainstSchema(data: unknown, schema: Schema, root: Schema = schema, at: (string | number)[] = []): SchemaViolation[] {
  if (schema.$ref) {
    const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? own(root.definitions, name) : undefined;
    return target ? validateAgainstSchema(data, target, root, at) : [{ path: at, message: `unresolvable $ref ${schema.$ref}` }];
  }
  const out: SchemaViolation[] = [];
  if (schema.type && typeOf(data) !== schema.type) {
    return [{ path: at, message: `must be ${schema.type === 'array' ? 'a list' : schema.type === 'object' ? 'a mapping' : `a ${schema.type}`}, not ${typeOf(data) === 'null' ? 'empty' : typeOf(data) === 'object' ? 'a mapping' : typeOf(data) === 'array' ? 'a list' : `${typeOf(data)} ${quoted(data)}`}` }];
  }
  if (schema.enum && !schema.enum.includes(data)) out.push({ path: at, message: `must be one of ${schema.enum.map((e) => String(e)).join(', ')} (not ${quoted(data)})` });
  if (typeof data === 'string') {
    if (schema.minLength !== undefined && data.length < schema.minLength) out.push({ path: at, message: 'must not be empty' });
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(data)) out.push({ path: at, message: schema.patternErrorMessage ? `${quoted(data)} is not ${schema.patternErrorMessage}` : `${quoted(data)} does not match ${schema.pattern}` });
  }
  if (Array.isArray(data)) {
    if (schema.items) data.forEach((item, i) => { for (const v of validateAgainstSchema(item, schema.items as Schema, root, [...at, i])) out.push(v); });
    if (schema.uniqueItems) {
      const seen = new Set<string>();
      data.forEach((item, i) => {
        const k = JSON.stringify(item);
        if (seen.has(k)) out.push({ path: [...at, i], message: `${quoted(item)} is listed twice` });
        seen.add(k);
      });
    }
  }
  if (typeOf(data) === 'object') {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      const sub = own(schema.properties, key);
      if (sub) { for (const v of validateAgainstSchema(value, sub, root, [...at, key])) out.push(v); }
      else if (schema.additionalProperties === false) out.push({ path: [...at, key], message: `unknown option ${quoted(key)}${at.length === 0 ? ' (the options: docs/configuration.md)' : ''}`, atKey: true });
      else if (typeof schema.additionalProperties === 'object') { for (const v of validateAgainstSchema(value, schema.additionalProperties, root, [...at, key])) out.push(v); }
    }
  }
  return out;
}

let schemaCache: Schema | undefined;

/** `schemas/vzconf-config.schema.json`, loaded once. */
export function configSchema(): Schema {
  schemaCache ??= JSON.parse(readFileSync(path.join(findSchemasDir(), 'vzconf-config.schema.json'), 'utf8')) as Schema;
  return schemaCache;
}

// ------------------------------------------------------------------------------------------------

/**
 * The position of a path's node (or key) in a YAML document, 0-based, with where the node's value ends
 * (`end`, absent when the node is not found).
 */
function positionOf(doc: ReturnType<typeof parseDocument>, lc: TextLines, at: (string | number)[], atKey: boolean): { line: number; character: number; end?: { line: number; character: number } } {
  let range: readonly number[] | undefined;
  if (atKey && at.length > 0) {
    const parent = at.length === 1 ? doc.contents : doc.getIn(at.slice(0, -1), true);
    if (yaml().isMap(parent)) {
      const pair = parent.items.find((p) => yaml().isPair(p) && yaml().isScalar(p.key) && String(p.key.value) === String(at[at.length - 1]));
      range = (pair?.key as YamlNode | undefined)?.range ?? undefined;
    }
  } else {
    const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
    range = (node as YamlNode | undefined)?.range ?? undefined;
  }
  const start = range?.[0];
  if (start === undefined) return { line: 0, character: 0 };
  return { ...lc.pos(start), end: lc.pos(range?.[1] ?? start) };
}

/**
 * The spans of the keys that repeat an earlier key of the same mapping (what the yaml library's `uniqueKeys`
 * reports as "Map keys must be unique", with the same notion of equal: the same scalar value), in every
 * mapping of `root`; linear in the number of nodes.
 */
function duplicateKeys(root: unknown): [number, number][] {
  const Y = yaml();
  const out: [number, number][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Y.isMap(node)) {
      const seen = new Map<unknown, true>();
      for (const pair of node.items) {
        const key = pair.key;
        if (Y.isScalar(key)) {
          if (seen.has(key.value)) {
            const r = key.range;
            if (r) out.push([r[0], Math.max(r[1], r[0] + 1)]);
          } else seen.set(key.value, true);
        } else if (key !== null && typeof key === 'object') stack.push(key);
        stack.push(pair.value);
      }
    } else if (Y.isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (Y.isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return out;
}

/**
 * Offsets of a text as 0-based positions the way YAML and editors count lines (a line ends at CRLF, LF or a
 * lone CR; the yaml library's LineCounter counts LF only, which put a problem after a lone CR on a line the
 * editor does not have), clamped to the text (an error "at" the end of the file is at its last character).
 */
class TextLines {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    const re = /\r\n|\r|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) this.starts.push(m.index + m[0].length);
  }
  pos(offset: number): { line: number; character: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    // Never inside a line break: a position on its CR or LF is the end of that line.
    const start = this.starts[lo] ?? 0;
    const lineEnd = lo + 1 < this.starts.length ? (this.starts[lo + 1] ?? 0) - (this.text.startsWith('\r\n', (this.starts[lo + 1] ?? 0) - 2) ? 2 : 1) : this.text.length;
    return { line: lo, character: Math.min(at, lineEnd) - start };
  }
}

/**
 * Parses and validates the text of a `.vzconf.yaml`.
 *
 * @param filePath  the file's path (for messages and to resolve a relative `nodeConfig`)
 * @returns the settings it sets (an empty file sets none)
 * @throws ConfigFileError for YAML syntax errors, schema violations and unknown rule ids (the first one, with its position)
 */
export function parseConfigFile(text: string, filePath: string): ConfigFileSettings {
  const lc = new TextLines(text);
  // The library's own duplicate-key check compares every key with all before it (quadratic: 20 s for a
  // file of 10,000 keys); duplicateKeys does the same with a Set per mapping. The library's warnings
  // (`? [a, b]` as a key: "will be stringified") go nowhere: its console or process warning would reach
  // vzlint's stderr and the server's log beside the problem said for that key.
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const errors: { pos: [number, number]; message: string }[] = [...doc.errors];
  const dups = duplicateKeys(doc.contents);
  if (dups.length > 0) {
    for (const pos of dups) errors.push({ pos, message: 'Map keys must be unique' });
    errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
  const err = errors[0];
  if (err) {
    // Every syntax error the parser found (bounded), each with the span it reported.
    const listed: ConfigProblem[] = errors.slice(0, MAX_CONFIG_PROBLEMS).map((e) => ({ ...lc.pos(e.pos[0]), end: lc.pos(e.pos[1]), detail: `not valid YAML: ${e.message.split('\n')[0] ?? e.message}` }));
    const more = errors.length - listed.length;
    const first = listed[0] as ConfigProblem;
    if (more > 0) listed.push({ line: first.line, character: first.character, detail: `and ${more} more problem${more > 1 ? 's' : ''}` });
    const others = errors.length - 1;
    throw new ConfigFileError(filePath, `${first.detail}${others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : ''}`, first.line, first.character, false, listed);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigFileError(filePath, `not valid YAML: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  // An empty path does not mean "unset" (leaving nodeConfig out does): said before the schema's "must not be empty".
  const nodeConfig = typeOf(data) === 'object' ? (data as Record<string, unknown>).nodeConfig : undefined;
  if (typeof nodeConfig === 'string' && nodeConfig.trim() === '') {
    const p = positionOf(doc, lc, ['nodeConfig'], false);
    const detail = 'nodeConfig: the path is empty (leave nodeConfig out to find vz.conf as vzctl does)';
    throw new ConfigFileError(filePath, detail, p.line, p.character, false, [{ ...p, detail }]);
  }
  // Every problem, in file order of discovery: the schema's, then unknown rule ids (bounded, one line each).
  const problems: ConfigProblem[] = [];
  let more = 0;
  // Where and what only for the problems listed (a position is a search of its mapping: for every one of
  // 20,000 bad keys that was quadratic); the others are counted.
  const add = (p: () => { line: number; character: number; end?: { line: number; character: number } }, detail: () => string): void => {
    if (problems.length < MAX_CONFIG_PROBLEMS) problems.push({ ...p(), detail: detail() });
    else more += 1;
  };
  // A target the schema and parseTargetSetting accept may still name no release vzconf knows
  // (classic@4.66): said here with its position, with the other problems, not when the first file is linted.
  const targetValue = typeOf(data) === 'object' ? (data as Record<string, unknown>).target : undefined;
  const targetSetting = typeof targetValue === 'string' ? parseTargetSetting(targetValue) : undefined;
  if (targetSetting !== undefined && !('error' in targetSetting) && !targetSetting.auto) {
    try {
      resolveTarget(targetSetting, parseConfig('', { dialect: 'classic' }), getCatalog());
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      add(() => positionOf(doc, lc, ['target'], false), () => `target: ${err.message.replace(/^target /, '')}`);
    }
  }
  for (const v of validateAgainstSchema(data, configSchema())) {
    if (problems.length >= MAX_CONFIG_PROBLEMS) { more += 1; continue; }
    const p = (): ReturnType<typeof positionOf> => positionOf(doc, lc, v.path, v.atKey === true);
    const shown = v.atKey ? v.path.slice(0, -1) : v.path;
    const where = shown.length > 0 ? `${shown.map((k) => (String(k).length > MAX_QUOTED ? `${String(k).slice(0, MAX_QUOTED)}…` : String(k))).join('.')}: ` : '';
    // The target's own message, as --target gives it ("invalid target …: use auto, classic, …").
    const value = shown.length === 1 && shown[0] === 'target' ? (data as Record<string, unknown>).target : undefined;
    // (A long value is cut, with "…", which no target has: the message stays short and still an error.)
    const parsed = typeof value === 'string' ? parseTargetSetting(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value) : undefined;
    // A top-level key in the wrong case (nodeRAM) or a rule id meant for `rules:`: said which.
    const key = v.atKey && v.path.length === 1 ? String(v.path[0]) : undefined;
    // (The same option in another case, else the one option at most two edits away: "taget" is target.)
    const options = Object.keys(configSchema().properties ?? {});
    const near = key === undefined ? [] : options.filter((k) => editDistance(k.toLowerCase(), key.toLowerCase(), 2) <= 2);
    const cased = key === undefined ? undefined : options.find((k) => k.toLowerCase() === key.toLowerCase()) ?? (near.length === 1 ? near[0] : undefined);
    const rule = key === undefined || cased ? undefined : suggestRuleIds(getCatalog(), key)[0];
    const hint = cased ? `unknown option ${quoted(key)}; did you mean ${cased}?` : rule ? `unknown option ${quoted(key)}; a rule's level goes under rules: (rules: {${rule}: warning})` : undefined;
    add(p, () => (parsed && 'error' in parsed ? `target: ${parsed.error}` : hint ?? `${where}${v.message}`));
  }
  const d = data as { target?: string; kind?: string; rules?: Record<string, RuleLevel>; knownParameters?: string[]; kb?: { urlTemplate?: string }; ignoreSuppressions?: boolean; nodeConfig?: string; nodeRam?: string; nodeSwap?: string };
  const catalog = getCatalog();
  const rules = typeOf(d.rules) === 'object' ? d.rules ?? {} : {};
  for (const id of Object.keys(rules)) {
    if (catalog.hasRule(id)) continue;
    add(() => positionOf(doc, lc, ['rules', id], true), () => {
      const s = suggestRuleIds(catalog, id);
      return `rules: unknown rule ${quoted(id)}${s.length > 0 ? `; did you mean ${s.join(' or ')}?` : ' (see docs/rules/README.md)'}`;
    });
  }
  // In the file's order, as an editor lists them (they were found schema mistakes first, unknown rules last).
  problems.sort((a, b) => a.line - b.line || a.character - b.character);
  const first = problems[0];
  if (first) {
    const others = problems.length - 1 + more;
    const listed = more > 0 ? [...problems, { line: first.line, character: first.character, detail: `and ${more} more problem${more > 1 ? 's' : ''}` }] : problems;
    throw new ConfigFileError(filePath, `${first.detail}${others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : ''}`, first.line, first.character, false, listed);
  }
  const out: ConfigFileSettings = {};
  if (d.target !== undefined) out.target = d.target;
  if (d.kind !== undefined) out.kind = d.kind;
  if (d.rules !== undefined) out.rules = { ...d.rules };
  if (d.knownParameters !== undefined) out.knownParameters = [...d.knownParameters];
  if (d.kb?.urlTemplate !== undefined) out.kbUrlTemplate = d.kb.urlTemplate;
  if (d.ignoreSuppressions !== undefined) out.ignoreSuppressions = d.ignoreSuppressions;
  if (d.nodeConfig !== undefined) out.nodeConfig = path.resolve(path.dirname(filePath), d.nodeConfig.trim());
  if (d.nodeRam !== undefined) out.nodeRam = d.nodeRam.trim();
  if (d.nodeSwap !== undefined) out.nodeSwap = d.nodeSwap.trim();
  return out;
}

/** Why `st` is not something to read a configuration from, or undefined when it is a regular file. */
function notAFile(st: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a named pipe, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is a device or other special file, not a regular file';
}

/**
 * The text of a configuration file, read only when it is a regular file of at most `maxBytes` bytes
 * (default {@link MAX_CONFIG_FILE_BYTES}): a directory, a named pipe (which would block forever), a device
 * such as /dev/zero (endless) or an oversized file is refused without reading it. UTF-8, a byte-order
 * mark kept.
 *
 * @throws ConfigFileError (`unreadable`) naming the path, with `detail` `no such file` when it does not exist
 */
export async function readConfigFileText(filePath: string, maxBytes = MAX_CONFIG_FILE_BYTES): Promise<string> {
  const tooLarge = (size?: number): string =>
    `too large (${size !== undefined ? `${size} bytes` : `more than ${maxBytes} bytes`}; a ${CONFIG_FILE_NAME} is read up to ${maxBytes % 1024 === 0 ? `${maxBytes / 1024} KiB` : `${maxBytes} bytes`})`;
  const fail = (detail: string): ConfigFileError => new ConfigFileError(filePath, detail, 0, 0, true);
  const errno = (e: unknown): ConfigFileError => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('no such file');
    if (code === 'EISDIR') return fail('is a directory, not a file');
    return fail(`cannot read: ${code ?? (e as Error).message}`);
  };
  let st;
  try {
    st = await stat(filePath);
  } catch (e) {
    throw errno(e);
  }
  const why = notAFile(st);
  if (why) throw fail(why);
  if (st.size > maxBytes) throw fail(tooLarge(st.size));
  // Non-blocking, and checked again on the open handle: the path may have been replaced in between.
  let handle;
  try {
    handle = await open(filePath, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw errno(e);
  }
  try {
    const hst = await handle.stat();
    const again = notAFile(hst);
    if (again) throw fail(again);
    let buf = Buffer.alloc(Math.min(hst.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > maxBytes) break;
        // It grew since the stat: read on, up to one byte past the cap.
        const bigger = Buffer.alloc(Math.min(got * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got > maxBytes) throw fail(tooLarge());
    return buf.toString('utf8', 0, got);
  } catch (e) {
    throw e instanceof ConfigFileError ? e : errno(e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads and parses a `.vzconf.yaml` (only a regular file of at most {@link MAX_CONFIG_FILE_BYTES} bytes,
 * see {@link readConfigFileText}).
 *
 * @throws ConfigFileError when it cannot be read or is invalid
 */
export async function loadConfigFile(filePath: string): Promise<ConfigFileSettings> {
  return parseConfigFile(await readConfigFileText(filePath), filePath);
}

/**
 * The nearest `.vzconf.yaml` from `dir` upward: `dir` itself, then each parent, up to `stopAt` (inclusive)
 * or the root of the file system (at most 128 folders). The folders are looked at all at once (a fleet
 * run's first files waited for seven stats one after another, up to 60 ms on a loaded 2-core machine) and
 * answered nearest first: a nearer file is the answer whatever a farther folder's look takes, and a
 * farther one counts only once every nearer folder said it has none.
 */
export async function findConfigFile(dir: string, stopAt?: string): Promise<string | undefined> {
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  const candidates: string[] = [];
  for (let cur = path.resolve(dir); candidates.length < 128; ) {
    candidates.push(path.join(cur, CONFIG_FILE_NAME));
    if (cur === stop) break;
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  const looks = candidates.map((c) => stat(c).then((s) => s.isFile(), () => false));
  for (const [i, look] of looks.entries()) if (await look) return candidates[i];
  return undefined;
}
