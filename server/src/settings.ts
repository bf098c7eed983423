/**
 * The `vzconf.*` settings: their type, defaults and how a client's configuration section is read.
 * Defined once here; `test/unit/settings.test.ts` checks that every property of package.json's
 * `contributes.configuration` has a field in {@link SETTING_KEYS} with the same default, and vice versa.
 *
 * Precedence in the editor: a value set in VS Code (user, workspace or folder settings) wins over the
 * workspace folder's `.vzconf.yaml`, which wins over the defaults below. The VS Code extension sends
 * only the values set explicitly (see client/src/extension.ts), so a setting left at its default does
 * not hide the file; `vzconf.rules` is merged rule by rule and `vzconf.knownParameters` is the union of
 * both lists (see {@link mergeSettings}).
 */
import type { Severity } from './catalog/types';

/** A rule level in `vzconf.rules`, `.vzconf.yaml` `rules:` and `vzlint --rule`. */
export type RuleLevel = Severity | 'off';

/** The levels a rule can be given, in the order they are documented. */
export const RULE_LEVELS: readonly RuleLevel[] = ['error', 'warning', 'info', 'hint', 'off'];

/** When the server lints a document. */
export type RunMode = 'onType' | 'onSave';

/** `vzconf.trace.server`. */
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** The `vzconf.*` settings the server reads per resource (document URI), with every default applied. */
export interface VzconfSettings {
  /** `vzconf.target`: `auto`, `classic`, `classic@4.6`, `vz7`, `vz7@8.0.70`. Default `auto`. */
  target: string;
  /** `vzconf.kind`: `auto`, `node`, `container`, `ct0`. Default `auto`. */
  kind: string;
  /** `vzconf.kb.urlTemplate`: KB link template with `{id}`. Default `https://kb.virtuozzo.com/{id}`. */
  kbUrlTemplate: string;
  /**
   * `vzconf.nodeConfig`: the node's vz.conf to check container configs with (absolute, or relative to the
   * workspace folder). Empty (default): found as vzctl does (`conf/101.conf` → `vz.conf` beside `conf/`).
   */
  nodeConfig: string;
  /** `vzconf.nodeRam`: node RAM (bytes or K/M/G/T suffix, e.g. `64G`) for the memory check. Empty: no check. */
  nodeRam: string;
  /** `vzconf.nodeSwap`: node swap, same syntax. Empty: 0 in the RAM + swap sum. */
  nodeSwap: string;
  /** `vzconf.rules`: rule id → severity or `off`. Default `{}` (every rule at its own severity). */
  rules: Record<string, RuleLevel>;
  /** `vzconf.run`: `onType` (default) lints as you type; `onSave` lints on open and save only. */
  run: RunMode;
  /** `vzconf.knownParameters`: custom keys that unknown-parameter accepts. Default `[]`. */
  knownParameters: string[];
  /** `vzconf.ignoreSuppressions`: report findings silenced by `# vzconf-disable…` comments (audits). Default false. */
  ignoreSuppressions: boolean;
  /** `vzconf.inlayHints.enabled`: show a number's meaning inline. Default true. */
  inlayHintsEnabled: boolean;
  /** `vzconf.trace.server` (window scope; read by the language client itself). Default `off`. */
  traceServer: TraceLevel;
}

/** Where each field lives in the `vzconf` section (the key after `vzconf.`), with its default. */
export const SETTING_KEYS: { readonly [F in keyof VzconfSettings]: { key: string; default: VzconfSettings[F] } } = {
  target: { key: 'target', default: 'auto' },
  kind: { key: 'kind', default: 'auto' },
  kbUrlTemplate: { key: 'kb.urlTemplate', default: 'https://kb.virtuozzo.com/{id}' },
  nodeConfig: { key: 'nodeConfig', default: '' },
  nodeRam: { key: 'nodeRam', default: '' },
  nodeSwap: { key: 'nodeSwap', default: '' },
  rules: { key: 'rules', default: {} },
  run: { key: 'run', default: 'onType' },
  knownParameters: { key: 'knownParameters', default: [] },
  ignoreSuppressions: { key: 'ignoreSuppressions', default: false },
  inlayHintsEnabled: { key: 'inlayHints.enabled', default: true },
  traceServer: { key: 'trace.server', default: 'off' },
};

/** The defaults (a fresh object each call, so callers may mutate it). */
export function defaultSettings(): VzconfSettings {
  const out = {} as Record<string, unknown>;
  for (const [field, spec] of Object.entries(SETTING_KEYS)) out[field] = structuredClone(spec.default);
  return out as unknown as VzconfSettings;
}

/**
 * The value at `key` (`kb.urlTemplate`) of a section given nested (`{kb: {urlTemplate}}`, as VS Code sends
 * it) or with dotted keys (`{"kb.urlTemplate": …}`). Undefined when absent.
 */
export function lookup(section: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(section, key)) return section[key];
  let cur: unknown = section;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function isLevel(v: unknown): v is RuleLevel {
  return typeof v === 'string' && (RULE_LEVELS as readonly string[]).includes(v);
}

/**
 * The fields a configuration section sets explicitly and validly; everything else is left out, so the
 * caller can layer it over `.vzconf.yaml` and the defaults. Non-string values for string settings, empty
 * strings for `target` / `kind` / `kb.urlTemplate`, unknown levels in `rules` and non-string items of
 * `knownParameters` are dropped (the VS Code settings editor already rejects them).
 *
 * @param raw  the `vzconf` section from `workspace/configuration` or `didChangeConfiguration` (any JSON)
 */
export function readPartialSettings(raw: unknown): Partial<VzconfSettings> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<VzconfSettings> = {};
  const str = (field: 'target' | 'kind' | 'kbUrlTemplate', allowEmpty = false): void => {
    const v = lookup(r, SETTING_KEYS[field].key);
    if (typeof v === 'string' && (allowEmpty || v.trim() !== '')) out[field] = v.trim();
  };
  str('target');
  str('kind');
  str('kbUrlTemplate');
  for (const field of ['nodeConfig', 'nodeRam', 'nodeSwap'] as const) {
    const v = lookup(r, SETTING_KEYS[field].key);
    if (typeof v === 'string') out[field] = v.trim();
  }
  const rules = lookup(r, 'rules');
  if (typeof rules === 'object' && rules !== null && !Array.isArray(rules)) {
    const levels: Record<string, RuleLevel> = {};
    for (const [id, level] of Object.entries(rules as Record<string, unknown>)) if (isLevel(level)) levels[id] = level;
    out.rules = levels;
  }
  const run = lookup(r, 'run');
  if (run === 'onType' || run === 'onSave') out.run = run;
  const known = lookup(r, 'knownParameters');
  if (Array.isArray(known)) out.knownParameters = known.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim());
  for (const [field, key] of [['ignoreSuppressions', 'ignoreSuppressions'], ['inlayHintsEnabled', 'inlayHints.enabled']] as const) {
    const v = lookup(r, key);
    if (typeof v === 'boolean') out[field] = v;
  }
  const trace = lookup(r, 'trace.server');
  if (trace === 'off' || trace === 'messages' || trace === 'verbose') out.traceServer = trace;
  return out;
}

/**
 * Layers partial settings over the defaults, later layers winning: scalars are replaced, `rules` are merged
 * rule by rule, `knownParameters` are the union of every layer's list.
 *
 * @param layers  lowest precedence first, e.g. `[fromConfigFile, fromEditor]`
 */
export function mergeSettings(...layers: readonly Partial<VzconfSettings>[]): VzconfSettings {
  const out = defaultSettings();
  for (const layer of layers) {
    for (const [field, value] of Object.entries(layer) as [keyof VzconfSettings, unknown][]) {
      if (value === undefined) continue;
      if (field === 'rules') out.rules = { ...out.rules, ...(value as Record<string, RuleLevel>) };
      else if (field === 'knownParameters') out.knownParameters = [...new Set([...out.knownParameters, ...(value as string[])])];
      else (out as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return out;
}

/**
 * Reads the `vzconf` configuration section as a client returns it (nested or dotted keys) over the
 * defaults. Missing, empty or ill-typed values fall back to the defaults.
 */
export function readSettings(raw: unknown): VzconfSettings {
  return mergeSettings(readPartialSettings(raw));
}

/**
 * The settings an untrusted workspace may not set: package.json `capabilities.untrustedWorkspaces.
 * restrictedConfigurations` (VS Code then ignores workspace values of them), and the language server
 * ignores them in a repository's `.vzconf.yaml` too (a file to read; where KB links lead).
 */
export const RESTRICTED_SETTINGS: readonly (keyof VzconfSettings)[] = ['nodeConfig', 'kbUrlTemplate'];

/**
 * Why a `vzconf.kb.urlTemplate` / `.vzconf.yaml` `kb.urlTemplate` value cannot be used, or undefined when
 * it can: it must be an `https:` URL with a host, contain `{id}` (replaced by the article number), and
 * hold only URL characters that cannot end or break a Markdown link or a command argument (no spaces,
 * parentheses, brackets, angle brackets, quotes, backticks, backslashes or control characters).
 * `javascript:`, `file:`, `command:` and plain `http:` are refused.
 */
export function kbUrlTemplateProblem(template: string): string | undefined {
  if (!template.includes('{id}')) return 'must contain {id} (the place of the article number)';
  if (!/^https:\/\//i.test(template)) return 'must be an https: URL';
  const filled = template.split('{id}').join('1');
  if (!/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#@!$&*+,;=%]*)?$/.test(filled)) {
    return 'may hold only a host and URL characters other than spaces, ( ) [ ] < > { } quotes, backticks and backslashes';
  }
  try {
    const url = new URL(filled);
    if (url.protocol !== 'https:' || url.hostname === '') return 'must be an https: URL with a host';
  } catch {
    return 'is not a valid URL';
  }
  return undefined;
}
