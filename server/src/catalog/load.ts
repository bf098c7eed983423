import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Catalog, Generation, GenerationInfo, KbArticle, ParameterDef, RuleMeta, Vocabulary } from './types';
import { IncompleteInstallError, realFile } from '../util/besideBundle';

/**
 * Finds the repository's (or the installed extension's) `schemas/` folder by walking up from
 * `start` (default: this module's folder with symlinks resolved, which is `dist/` when bundled and
 * `server/src/catalog/` in the sources; `node --preserve-symlinks-main` keeps a symlink's folder in `__dirname`). It is known by `vzconf-config.schema.json`, the one file of it the extension ships
 * and reads at run time (the YAML data is compiled into the bundles).
 *
 * @throws IncompleteInstallError naming `schemas/vzconf-config.schema.json` beside `start`'s folder (where an
 *   install has it: dist/../schemas) when none is found
 */
export function findSchemasDir(start: string = dirname(realFile(__filename))): string {
  const tried: string[] = [];
  let dir = start;
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, 'schemas');
    tried.push(candidate);
    if (existsSync(join(candidate, 'vzconf-config.schema.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new IncompleteInstallError(join(tried[1] ?? (tried[0] as string), 'vzconf-config.schema.json'), 'copy schemas/ beside dist/ or run npm run build');
}

/** The generated module: each schemas/ data file's JSON text, keyed by its path without `.yaml`. */
type CompiledSchemas = Record<string, string>;

let compiled: CompiledSchemas | undefined;
const parsedData = new Map<string, unknown>();

/** Repository root when running from the TypeScript sources (server/src/catalog/ → ../../..). */
const sourceRoot = (): string => join(__dirname, '..', '..', '..');

/**
 * Running from the TypeScript sources (tests, `npm run bench` through tsx), not from a bundle: brings
 * the generated module up to date with schemas/ when a YAML file or the compiler is newer than it, by
 * running scripts/compile-schemas.mjs (which validates every file against its JSON Schema).
 *
 * @throws Error with the compiler's messages when schemas/ does not compile
 */
function ensureCompiledFromSources(): void {
  const root = sourceRoot();
  const out = join(__dirname, 'generated', 'schemas.js');
  const script = join(root, 'scripts', 'compile-schemas.mjs');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  if (existsSync(out) && statSync(out).mtimeMs >= Math.max(newest(join(root, 'schemas')), statSync(script).mtimeMs)) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    execFileSync(process.execPath, [script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`vzconf: schemas/ does not compile:\n${stderr || (err as Error).message}`);
  }
}

function compiledSchemas(): CompiledSchemas {
  if (!compiled) {
    if (__filename.endsWith('.ts')) ensureCompiledFromSources();
    // A literal require: esbuild includes the generated module in the bundle (no file read at start);
    // from the sources it is the file scripts/compile-schemas.mjs wrote.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    compiled = require('./generated/schemas.js') as CompiledSchemas;
  }
  return compiled;
}

/**
 * The data of one schemas/ file, compiled at build time from `schemas/NAME.yaml` (validated against its
 * JSON Schema then) and parsed from JSON on first use: `schemaData('parameters')`,
 * `schemaData('rules/core')`. The YAML files are the one source of truth; nothing reads them at run time.
 *
 * @throws Error when there is no such file in schemas/
 */
export function schemaData<T = unknown>(name: string): T {
  let value = parsedData.get(name);
  if (value === undefined) {
    const text = compiledSchemas()[name];
    if (text === undefined) throw new Error(`vzconf: no schemas/${name}.yaml in the compiled catalogue`);
    value = JSON.parse(text) as unknown;
    parsedData.set(name, value);
  }
  return value as T;
}

/** The names `schemaData` knows (paths under schemas/ without `.yaml`), sorted. */
export function schemaNames(): string[] {
  return Object.keys(compiledSchemas()).sort();
}

/**
 * The catalogue from the compiled schemas/ data: `parameters`, `kb`, `vocabulary`, `vz7-vzctl`, `shipped-sample-keys` and every
 * `rules/*` file (rule metadata split by family, in name order).
 */
export function loadCatalog(): Catalog {
  const params = schemaData<{
    versions: Record<Generation, string[]>;
    defaults: Record<Generation, string>;
    parameters: ParameterDef[];
  }>('parameters');
  const kb = schemaData<{ articles: KbArticle[]; defaultUrlTemplate: string }>('kb');
  const vocabulary = schemaData<Vocabulary>('vocabulary');
  const vz7Vzctl = schemaData<{ vzctl: Record<string, string> }>('vz7-vzctl');
  const shipped = schemaData<Record<Generation, Record<string, { from: string; to: string }>>>('shipped-sample-keys');
  const rules = schemaNames().filter((n) => n.startsWith('rules/')).flatMap((n) => schemaData<{ rules: RuleMeta[] }>(n).rules);
  return {
    parameters: params.parameters,
    versions: params.versions,
    defaults: params.defaults,
    vz7VzctlToLibvzctl: vz7Vzctl.vzctl,
    shippedSampleKeys: { classic: shipped.classic, vz7: shipped.vz7 },
    kb: kb.articles,
    defaultUrlTemplate: kb.defaultUrlTemplate,
    vocabulary,
    rules,
  };
}

/** A catalogue with lookup tables, built once per process. */
export class CatalogIndex {
  readonly catalog: Catalog;
  private readonly byName = new Map<string, ParameterDef>();
  private readonly kbById = new Map<number, KbArticle>();
  private readonly ruleById = new Map<string, RuleMeta>();
  private readonly moduleByName = new Map<string, Catalog['vocabulary']['iptablesModules'][number]>();

  constructor(catalog: Catalog) {
    this.catalog = catalog;
    for (const p of catalog.parameters) {
      this.byName.set(p.name, p);
      for (const a of p.aliases ?? []) this.byName.set(a, p);
    }
    for (const a of catalog.kb) this.kbById.set(a.id, a);
    for (const r of catalog.rules) this.ruleById.set(r.id, r);
    for (const m of catalog.vocabulary.iptablesModules) this.moduleByName.set(m.name, m);
  }

  /** The parameter named `name` (exact, case-sensitive, aliases included), on any generation. */
  parameter(name: string): ParameterDef | undefined {
    return this.byName.get(name);
  }

  /** What `generation` knows of the parameter, or undefined when that generation does not know it. */
  generationInfo(def: ParameterDef, generation: Generation): GenerationInfo | undefined {
    return def[generation];
  }

  kb(id: number): KbArticle | undefined {
    return this.kbById.get(id);
  }

  /** @throws Error for an id missing from schemas/rules/*.yaml (a programming error: every rule module has an entry) */
  rule(id: string): RuleMeta {
    const r = this.ruleById.get(id);
    if (!r) throw new Error(`vzconf: rule ${id} has no entry in schemas/rules/*.yaml`);
    return r;
  }

  hasRule(id: string): boolean {
    return this.ruleById.has(id);
  }

  iptablesModule(name: string): Catalog['vocabulary']['iptablesModules'][number] | undefined {
    return this.moduleByName.get(name);
  }

  /** Every key and alias, for did-you-mean and completion. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

let cached: CatalogIndex | undefined;

/** The process-wide catalogue, compiled from `schemas/` at build time, indexed on first use. */
export function getCatalog(): CatalogIndex {
  if (!cached) cached = new CatalogIndex(loadCatalog());
  return cached;
}
