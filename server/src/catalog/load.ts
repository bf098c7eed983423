import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Catalog, Generation, GenerationInfo, KbArticle, ParameterDef, RuleMeta, Vocabulary } from './types';

/**
 * Finds the repository's (or the installed extension's) `schemas/` folder by walking up from
 * `start` (default: this module's folder, which is `dist/` when bundled and `server/src/catalog/`
 * in the sources).
 *
 * @throws Error naming the folders searched when no `schemas/parameters.yaml` is found
 */
export function findSchemasDir(start: string = __dirname): string {
  const tried: string[] = [];
  let dir = start;
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, 'schemas');
    tried.push(candidate);
    if (existsSync(join(candidate, 'parameters.yaml'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`vzconf: cannot find the catalogue (schemas/parameters.yaml); looked in ${tried.join(', ')}`);
}

function readYaml(dir: string, file: string): unknown {
  const path = join(dir, file);
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`vzconf: cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * Loads `parameters.yaml`, `kb.yaml`, `vocabulary.yaml`, `vz7-vzctl.yaml` and `rules/*.yaml` from `dir`. The data is
 * checked against its JSON Schema by the test suite (test/unit/catalog.test.ts), not at run time.
 *
 * @throws Error when a file is missing or is not YAML
 */
export function loadCatalogFrom(dir: string): Catalog {
  const params = readYaml(dir, 'parameters.yaml') as {
    versions: Record<Generation, string[]>;
    defaults: Record<Generation, string>;
    parameters: ParameterDef[];
  };
  const kb = readYaml(dir, 'kb.yaml') as { articles: KbArticle[]; defaultUrlTemplate: string };
  const vocabulary = readYaml(dir, 'vocabulary.yaml') as Vocabulary;
  const vz7Vzctl = readYaml(dir, 'vz7-vzctl.yaml') as { vzctl: Record<string, string> };
  // Rule metadata is split by rule family: schemas/rules/*.yaml, read in name order.
  const ruleFiles = readdirSync(join(dir, 'rules')).filter((f) => f.endsWith('.yaml')).sort();
  const rules = { rules: ruleFiles.flatMap((f) => (readYaml(join(dir, 'rules'), f) as { rules: RuleMeta[] }).rules) };
  return {
    parameters: params.parameters,
    versions: params.versions,
    defaults: params.defaults,
    vz7VzctlToLibvzctl: vz7Vzctl.vzctl,
    kb: kb.articles,
    defaultUrlTemplate: kb.defaultUrlTemplate,
    vocabulary,
    rules: rules.rules,
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

/** The process-wide catalogue, loaded from `schemas/` on first use. */
export function getCatalog(): CatalogIndex {
  if (!cached) cached = new CatalogIndex(loadCatalogFrom(findSchemasDir()));
  return cached;
}
