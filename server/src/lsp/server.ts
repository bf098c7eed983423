/**
 * The vzconf language server: protocol wiring only. Every language feature lives in
 * `server/src/service/*` (lint → diagnostics, hover, code actions, effective configuration); this module
 * keeps documents in sync, fetches settings per resource (layered over the workspace folder's
 * `.vzconf.yaml`), schedules lints and turns service results into LSP messages.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getCatalog } from '../catalog/load';
import { describeTarget, formatTarget, targetReason } from '../model/target';
import { discoverConfigFiles, isConfigFileName, NOT_UTF8 } from '../cli/discover';
import { escapeControls } from '../util/escape';
import { parseConfig } from '../parser/parse';
import { parseSuppressions } from '../rules/suppressions';
import { visible } from '../rules/text';
import type { Finding, LintContext, NodeCapacity } from '../rules/types';
import {
  computeCodeActions,
  computeFixAll,
  computeLinkActions,
  computeSuppressionActions,
  copyAsVzctlSetAction,
  FindingIndex,
  COPY_AS_VZCTL_SET_KIND,
  FIX_ALL_KIND,
  kindWanted,
  OPEN_RULE_DOCS_COMMAND,
  orderLightbulb,
  primaryRule,
  type ContextDiagnostic,
  type Fixable,
} from '../service/codeActions';
import { CONFIG_FILE_NAME, ConfigFileError, loadConfigFile, type ConfigFileSettings } from '../service/config';
import { ruleDocsUrl, toDiagnostic } from '../service/diagnostics';
import { effectiveConfigText } from '../service/effective';
import { computeHover } from '../service/hover';
import { analyze, lint, OptionError, type LintOptions } from '../service/lint';
import { lintNode, parseCapacitySize } from '../service/node';
import { NodeCache, type NodeFs, type NodeState } from '../service/nodeCache';
import { confDirOf, isInside, isNodeConfigName, readConfigFile } from '../service/nodeFiles';
import { vzctlSetCommand } from '../service/vzctlSet';
import { defaultSettings, kbUrlTemplateProblem, mergeSettings, readPartialSettings, RESTRICTED_SETTINGS, type VzconfSettings } from '../settings';
import { MAX_FILE_BYTES } from '../limits';
import { version as packageVersion } from '../../../package.json';
import { diagnosticsJson } from './json';
import { limitFindings, readMaxDiagnosticsPerFile } from './limit';
import { positionParams } from './params';
import { editorCapabilities, refreshInlayHints, registerEditorFeatures, type EditorFeatureOptions } from './features';

export { defaultSettings, readSettings, type VzconfSettings } from '../settings';

/** The server's version: `version` of package.json (bundled in at build time). */
export const VERSION: string = packageVersion;

/** `workspace/executeCommand` command of the server: lint every config file of the workspace folders. */
export const LINT_WORKSPACE_COMMAND = 'vzconf.server.lintWorkspace';
/** Custom request: the effective configuration of a document (params {@link EffectiveConfigParams}). */
export const EFFECTIVE_CONFIG_REQUEST = 'vzconf/effectiveConfig';

/** Custom request: how an open document is checked (params `{ uri }`, result {@link DocumentStatus}). */
export const DOCUMENT_STATUS_REQUEST = 'vzconf/documentStatus';

/** Result of {@link DOCUMENT_STATUS_REQUEST}: what the VS Code extension's Language Status item shows. */
export interface DocumentStatus {
  /** `node`, `container` or `ct0`. */
  kind: string;
  /** Why the kind was chosen (file name, content, or the `vzconf.kind` setting). */
  kindReason: string;
  /** The target as a setting value, e.g. `classic@4.11.1`. */
  target: string;
  /** The target in words, e.g. `vzctl 4.11.1`. */
  targetText: string;
  /** Why this target (auto detection or the setting). */
  targetReason: string;
  /** The node vz.conf the file is checked with (absolute path), if any. */
  nodeConfig?: string;
  /** Set when the settings are invalid (then the other fields describe the defaults). */
  error?: string;
  /** Values `vzconf.target` accepts, for a picker: `auto`, each generation, each known version. */
  targets: string[];
}

/** Params of {@link EFFECTIVE_CONFIG_REQUEST}. */
export interface EffectiveConfigParams {
  /** The config file's URI (open or on disk). */
  uri: string;
}

/** Result of {@link EFFECTIVE_CONFIG_REQUEST}. */
export interface EffectiveConfigResult {
  /** The file's base name, e.g. `101.conf`. */
  name: string;
  /** The merged configuration as config text (comments say where each value comes from). */
  text: string;
}

/** Result of {@link LINT_WORKSPACE_COMMAND}. */
export interface LintWorkspaceResult {
  /** Config files linted. */
  files: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Problems that stopped part of the run (invalid settings, unreadable files). */
  problems: string[];
}

/**
 * The file-system path of a document URI, handed to the engine so it can tell `vz.conf` from
 * `CTID.conf`: `fileURLToPath` for `file:` URIs, the decoded URI path for other schemes
 * (`untitled:`, `vscode-remote:` …), undefined when the URI cannot be parsed.
 */
export function uriToPath(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol === 'file:') return fileURLToPath(url);
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

/**
 * The diagnostic published instead of the findings when `vzconf.target` or `vzconf.kind` is invalid. The
 * message quotes the setting, whose control characters are made visible like file text in findings (a
 * client may show diagnostics in a terminal).
 */
function invalidSettingDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    code: 'invalid-setting',
    source: 'vzconf',
    message: visible(message),
  };
}

/**
 * The diagnostics published on an invalid `.vzconf.yaml` (the file is then ignored): one per problem, as
 * `vzlint` lists them (`ConfigFileError.problems`, bounded, the last saying how many more), each over the
 * key or value it is about when known, else at its position.
 */
function invalidConfigDiagnostics(err: ConfigFileError): Diagnostic[] {
  return err.problems.map((p) => {
    const at = { line: p.line, character: p.character };
    return {
      range: { start: at, end: p.end ?? at },
      severity: 1,
      code: 'invalid-config',
      source: 'vzconf',
      message: visible(`${p.detail} — vzconf ignores this ${CONFIG_FILE_NAME} until it is fixed`),
    } satisfies Diagnostic;
  });
}

/**
 * Notification from the client: the workspace trust changed (params {@link WorkspaceTrustParams}). The
 * initial state comes as `initializationOptions.workspaceTrusted` (absent: trusted, for clients without
 * a notion of trust). While untrusted, `nodeConfig` and `kb.urlTemplate` of a `.vzconf.yaml` are ignored.
 */
export const WORKSPACE_TRUST_NOTIFICATION = 'vzconf/didChangeWorkspaceTrust';

/** Params of {@link WORKSPACE_TRUST_NOTIFICATION}. */
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The file-system layer of the per-node cache (default: the disk, through the bounded reader). */
  fs?: NodeFs;
}

/** Custom request: counters of the per-node cache ({@link NodeCacheStats}), for instrumentation and tests. */
export const NODE_CACHE_STATS_REQUEST = 'vzconf/nodeCacheStats';

/**
 * A warning on line 1 when the node config cannot be used: the one named by `vzconf.nodeConfig` /
 * `nodeConfig:` (code `invalid-setting`), or the vz.conf found for the file (`found`, its path: code
 * `node-config-unreadable`; vzlint says the same, `cannot read the node config`). `problem` is the read
 * error, path first (`BoundedReadError.message`).
 */
function nodeConfigProblemDiagnostic(problem: string, found?: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 2,
    code: found !== undefined ? 'node-config-unreadable' : 'invalid-setting',
    source: 'vzconf',
    message: visible(found !== undefined ? `Cannot read the node config ${problem}; checked without it` : `nodeConfig: ${problem}; checked without a node config`),
  };
}

/** Per-document lint scheduling state. */
interface LintState {
  /** The document changed (or settings did) since the last lint started. */
  dirty: boolean;
  /** A lint is queued with `setImmediate`. */
  scheduled: boolean;
  /** A lint is in progress (possibly awaiting the client's settings). */
  running: boolean;
}

/**
 * What was published for a document: the diagnostics with the version they are for, and the findings
 * they came from, whose fixes code actions and fix-all use (the diagnostics carry no fixes: see
 * `toDiagnostic`). `index` is built on the first code-action request for this version.
 */
interface Published {
  version: number | undefined;
  diagnostics: Diagnostic[];
  findings: readonly Fixable[];
  index?: FindingIndex;
}

/** A `.vzconf.yaml` as loaded for a workspace folder. */
interface ConfigLoad {
  path: string;
  settings: ConfigFileSettings;
  error?: ConfigFileError;
}

/**
 * Registers every vzconf handler on `connection` and starts syncing documents. The caller creates
 * the connection (transport chosen from the command line) and calls `connection.listen()`.
 *
 * Features: incremental text sync; diagnostics on open and change (`vzconf.run: onType`, default) or on
 * open and save only (`onSave`), coalesced per document with `setImmediate`, always for the latest
 * version, published with that version number, cleared on close; hover (markdown); quick fixes,
 * fix-all, suppression actions, docs / KB links and "Copy as a `vzctl set` command"; the command
 * {@link LINT_WORKSPACE_COMMAND} and the request {@link EFFECTIVE_CONFIG_REQUEST}. Settings are pulled
 * per document URI with `workspace/configuration` (section `vzconf`) when the client supports it,
 * layered over the workspace folder's `.vzconf.yaml` (settings > file > defaults), cached, and dropped on
 * `workspace/didChangeConfiguration` or a change of a `.vzconf.yaml`, which re-lint every open document.
 * No handler lets an exception escape: errors are logged to the client's console and the request
 * answers null / [].
 *
 * @param connection  a connection from `createConnection` of `vscode-languageserver/node`
 * @returns the document manager, for callers that want to inspect open documents
 */
export function startServer(connection: Connection, options: StartServerOptions = {}): TextDocuments<TextDocument> {
  const documents = new TextDocuments(TextDocument);
  /** Node-wide results and the disk state of every node (see service/nodeCache.ts). */
  const cache = new NodeCache(options.fs);
  /** The node state each document's last published result came from. */
  const lastState = new Map<string, { state: NodeState; generation: number }>();
  /** Problems with an explicit node config already logged (`uri\0problem`). */
  const loggedNodeProblems = new Set<string>();
  /** Settings the client sent per URI (only what it sets; merged with the config file on use). */
  const settingsCache = new Map<string, Promise<Partial<VzconfSettings>>>();
  /** `.vzconf.yaml` per workspace folder path. */
  const configCache = new Map<string, Promise<ConfigLoad | undefined>>();
  /** URIs of `.vzconf.yaml` files with a published invalid-config diagnostic. */
  const configErrorUris = new Set<string>();
  const states = new Map<string, LintState>();
  /** What was last published per document (code actions and fix-all use its findings' fixes). */
  const published = new Map<string, Published>();
  /** Files that are not open whose diagnostics came from "Lint all configs in workspace". */
  const workspacePublished = new Set<string>();
  /**
   * After "Lint all configs in workspace" ran: the config files it found (URIs). Their results are kept
   * when they are closed and refreshed (see `scheduleWorkspaceRefresh`) when settings, a `.vzconf.yaml`
   * or any config file on disk change, so the Problems panel stays true for files that are not open.
   */
  let workspaceFiles: Set<string> | undefined;
  /** Workspace lints in progress (the command and a refresh may overlap). */
  let workspaceLintsRunning = 0;
  /**
   * Documents closed while a workspace lint ran that it did not know yet (`workspaceFiles`): it may have
   * passed them while open (skipped: their own lint published them) and their diagnostics were cleared on
   * close; when it ends, a refresh checks those it found from disk (see `lintWorkspace`).
   */
  const closedWhileLinting = new Set<string>();
  /** What was last logged per key (settings per folder, node files per document): the log says what changed, once. */
  const logged = new Map<string, string>();
  const logOnChange = (key: string, text: string): void => {
    if (logged.get(key) === text) return;
    logged.set(key, text);
    logInfo(text);
  };
  let workDoneProgress = false;
  let pullConfiguration = false;
  /**
   * How rule docs are linked: `initializationOptions.ruleDocsCommand` names a client command that opens a
   * rule's page rendered (the VS Code extension sets {@link OPEN_RULE_DOCS_COMMAND}); other clients get file: URLs.
   */
  const diagnosticOptions: { docsCommand?: string } = {};
  /**
   * `initializationOptions.maxDiagnosticsPerFile`: the most diagnostics the client shows for one file. VS Code
   * shows 1,000 (extHostDiagnostics' per-file limit in VS Code 1.100: above it, it keeps the first 1,000 by
   * severity, errors first, and adds "Not showing N further errors and warnings"); the extension says so, and
   * the server sends no more than that instead of 10,000 that the editor would parse and drop. Other clients
   * get every diagnostic. A whole number from 1 up; anything else is ignored with one log line
   * (see {@link readMaxDiagnosticsPerFile}, and {@link limitFindings} for what a limit of 1 gets).
   */
  let maxDiagnosticsPerFile: number | undefined;
  /**
   * The diagnostics of `findings` as published: all of them, or, above {@link maxDiagnosticsPerFile}, the ones
   * VS Code would show (the first by severity, errors first, each severity in order of position), kept in
   * order of position, and one information diagnostic saying how many are not shown ({@link limitFindings}).
   * Code actions and fix-all still use every finding. `others`: diagnostics published beside these (they
   * count against the limit).
   */
  const toDiagnostics = (findings: readonly Finding[], others = 0): Diagnostic[] => {
    if (maxDiagnosticsPerFile === undefined || findings.length + others <= maxDiagnosticsPerFile) {
      return findings.map((f) => toDiagnostic(f, diagnosticOptions) as Diagnostic);
    }
    const { shown, hidden, markerAt } = limitFindings(findings, maxDiagnosticsPerFile, others);
    const out = shown.map((f) => toDiagnostic(f, diagnosticOptions) as Diagnostic);
    if (hidden === 0 || markerAt === undefined) return out;
    const count = `${hidden.toLocaleString('en-US')} ${shown.length === 0 ? '' : 'more '}findings`;
    out.push({
      range: markerAt.range,
      severity: DiagnosticSeverity.Information,
      source: 'vzconf',
      message: `${count} are not shown (the editor shows ${maxDiagnosticsPerFile.toLocaleString('en-US')} per file); vzlint lists all`,
    });
    return out;
  };
  let dynamicConfigRegistration = false;
  let workspaceFolderEvents = false;
  /** Settings pushed with `didChangeConfiguration`, for clients that cannot be asked. */
  let globalSettings: Partial<VzconfSettings> | undefined;
  /** Invalid-setting errors already logged (`uri\0message`), so typing does not flood the log. */
  const loggedSettingErrors = new Set<string>();

  const logInfo = (text: string): void => {
    try {
      connection.console.info(`vzconf: ${text}`);
    } catch {
      // The connection is gone.
    }
  };
  /** Whether the client's workspace is trusted (`initializationOptions.workspaceTrusted`; true when not told). */
  let workspaceTrusted = true;
  /** Log lines already written (key → written), for problems that every lint would repeat. */
  const loggedOnce = new Set<string>();
  const logOnce = (key: string, text: string): void => {
    if (loggedOnce.has(key)) return;
    loggedOnce.add(key);
    try {
      connection.console.error(text);
    } catch {
      // no connection
    }
  };

  const logError = (what: string, err: unknown): void => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      connection.console.error(`vzconf: ${what}: ${text}`);
    } catch {
      // The connection is gone; nothing left to tell.
    }
  };

  /** What the client sets for `uri` (nothing for defaults, when the client sends only explicit values). */
  const getEditorSettings = (uri: string): Promise<Partial<VzconfSettings>> => {
    if (!pullConfiguration) return Promise.resolve(globalSettings ?? {});
    let pending = settingsCache.get(uri);
    if (!pending) {
      const request: Promise<Partial<VzconfSettings>> = connection.workspace.getConfiguration({ scopeUri: uri, section: 'vzconf' }).then(
        (raw: unknown) => readPartialSettings(raw),
        (err: unknown) => {
          logError(`cannot read the settings for ${uri}; using the defaults`, err);
          // Ask again next time (unless a configuration change already replaced this entry).
          if (settingsCache.get(uri) === request) settingsCache.delete(uri);
          return {};
        },
      );
      settingsCache.set(uri, request);
      pending = request;
    }
    return pending;
  };

  /** Workspace folders (absolute paths): where the upward search for a vz.conf stops. */
  let workspaceFolders: string[] = [];
  let watchFiles = false;

  /** Open documents by file-system path (absolute paths only): their text wins over the disk. */
  const overlay = (): ReadonlyMap<string, string> => cache.openTexts();
  /**
   * The absolute file-system path of a `file:` document URI, or undefined (untitled documents, other
   * schemes). It keys the open texts of the node cache: a `git:` or other virtual document whose path is
   * a real file's (`git:/etc/vz/vz.conf`) must not stand for that file's buffer in its node, nor, when
   * closed, hand the node to the disk text while the real document is still open and unsaved.
   */
  const absPathOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    const p = uriToPath(uri);
    return p !== undefined && path.isAbsolute(p) ? p : undefined;
  };
  const folderOf = (filePath: string): string | undefined =>
    workspaceFolders.filter((f) => isInside(filePath, f)).sort((a, b) => b.length - a.length)[0];

  /** The `.vzconf.yaml` of a workspace folder, loaded once (until a watched change); an invalid one is reported once. */
  const getConfigFile = (folder: string): Promise<ConfigLoad | undefined> => {
    let pending = configCache.get(folder);
    if (!pending) {
      const file = path.join(folder, CONFIG_FILE_NAME);
      const uri = pathToFileURL(file).href;
      pending = loadConfigFile(file).then(
        (settings): ConfigLoad => {
          if (configErrorUris.delete(uri)) connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e: unknown) => logError(`clearing ${uri} failed`, e));
          return { path: file, settings };
        },
        (err: unknown): ConfigLoad | undefined => {
          if (!(err instanceof ConfigFileError)) {
            logError(`reading ${file} failed`, err);
            return undefined;
          }
          if (err.detail === 'no such file') {
            if (configErrorUris.delete(uri)) connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e: unknown) => logError(`clearing ${uri} failed`, e));
            return undefined;
          }
          try {
            connection.console.error(`vzconf: invalid ${CONFIG_FILE_NAME}, ignored until fixed: ${err.message}`);
          } catch {
            // no connection
          }
          configErrorUris.add(uri);
          connection.sendDiagnostics({ uri, diagnostics: invalidConfigDiagnostics(err) }).catch((e: unknown) => logError(`reporting ${uri} failed`, e));
          return { path: file, settings: {}, error: err };
        },
      );
      configCache.set(folder, pending);
    }
    return pending;
  };

  /** Where the target and kind of a settings object were set (see getSettings), as LintOptions phrases. */
  const settingSources = new WeakMap<VzconfSettings, { targetSource: string | undefined; kindSource: string | undefined }>();
  const sourcesOf = (settings: VzconfSettings): Pick<LintOptions, 'targetSource' | 'kindSource'> => {
    const s = settingSources.get(settings);
    return { ...(s?.targetSource !== undefined ? { targetSource: s.targetSource } : {}), ...(s?.kindSource !== undefined ? { kindSource: s.kindSource } : {}) };
  };
  /**
   * The settings for `uri`: what the client sets, over the workspace folder's `.vzconf.yaml`, over the
   * defaults (see `mergeSettings`).
   */
  const getSettings = async (uri: string): Promise<VzconfSettings> => {
    const filePath = uriToPath(uri);
    const folder = filePath !== undefined ? folderOf(filePath) : undefined;
    const [file, editor] = await Promise.all([folder !== undefined ? getConfigFile(folder) : Promise.resolve(undefined), getEditorSettings(uri)]);
    let fromFile: Partial<VzconfSettings> = file?.settings ?? {};
    if (!workspaceTrusted && file) {
      // Untrusted workspace: the repository's .vzconf.yaml may not choose a file to read or where links lead.
      const ignored = RESTRICTED_SETTINGS.filter((k) => fromFile[k] !== undefined);
      if (ignored.length > 0) {
        fromFile = { ...fromFile };
        for (const k of ignored) delete fromFile[k];
        logOnce(`untrusted\0${file.path}`, `vzconf: untrusted workspace: ${ignored.map((k) => (k === 'kbUrlTemplate' ? 'kb.urlTemplate' : k)).join(' and ')} of ${file.path} ignored until the workspace is trusted`);
      }
    }
    const merged = mergeSettings(fromFile, editor);
    // Where target and kind come from, for the reasons shown with them (hover, document status).
    const from = (key: 'target' | 'kind'): string | undefined =>
      editor[key] !== undefined ? `in the setting vzconf.${key}` : fromFile[key] !== undefined ? `in ${file?.path ?? CONFIG_FILE_NAME}` : undefined;
    const sources = { targetSource: from('target'), kindSource: from('kind') };
    if (sources.targetSource !== undefined || sources.kindSource !== undefined) settingSources.set(merged, sources);
    const problem = kbUrlTemplateProblem(merged.kbUrlTemplate);
    if (problem !== undefined) {
      const source = editor.kbUrlTemplate !== undefined ? 'the setting vzconf.kb.urlTemplate' : `kb.urlTemplate of ${file?.path ?? CONFIG_FILE_NAME}`;
      logOnce(`kb\0${merged.kbUrlTemplate}`, `vzconf: ${source} ${JSON.stringify(merged.kbUrlTemplate.slice(0, 100))} ${problem}; the default ${defaultSettings().kbUrlTemplate} is used`);
      merged.kbUrlTemplate = defaultSettings().kbUrlTemplate;
    }
    const where = folder ?? '(no workspace folder)';
    logOnChange(`settings\0${where}`, `settings for ${where}${file && !file.error ? ` (with ${file.path})` : ''}: ${JSON.stringify(merged)}`);
    return merged;
  };

  /** The `vzconf.nodeConfig` setting as an absolute path (relative ones against the workspace folder). */
  const nodeConfigSetting = (settings: VzconfSettings, filePath: string): string | undefined => {
    if (settings.nodeConfig === '') return undefined;
    if (path.isAbsolute(settings.nodeConfig)) return settings.nodeConfig;
    return path.resolve(folderOf(filePath) ?? path.dirname(filePath), settings.nodeConfig);
  };
  /** `vzconf.nodeRam` / `vzconf.nodeSwap` as bytes; throws OptionError for an invalid size. */
  const capacityOf = (settings: VzconfSettings): NodeCapacity | undefined => {
    const cap: NodeCapacity = {};
    for (const [name, value, key] of [['vzconf.nodeRam', settings.nodeRam, 'ramBytes'], ['vzconf.nodeSwap', settings.nodeSwap, 'swapBytes']] as const) {
      if (value === '') continue;
      const size = parseCapacitySize(value, key === 'swapBytes');
      if (typeof size === 'object') throw new OptionError(`${name}: ${size.error}`);
      cap[key] = size;
    }
    return cap.ramBytes !== undefined || cap.swapBytes !== undefined ? cap : undefined;
  };
  /** The engine options of a settings object (without path and node config). */
  const lintOptionsOf = (settings: VzconfSettings): LintOptions => {
    const capacity = capacityOf(settings);
    return {
      target: settings.target,
      kind: settings.kind,
      ...sourcesOf(settings),
      rules: settings.rules,
      knownParameters: settings.knownParameters,
      ignoreSuppressions: settings.ignoreSuppressions,
      ...(capacity ? { capacity } : {}),
    };
  };
  /** The node config (path and text) a non-node file is checked with, as hover and code actions need it. */
  const nodeConfigFor = async (settings: VzconfSettings, filePath: string | undefined): Promise<{ path: string; text: string } | undefined> => {
    if (filePath === undefined || !path.isAbsolute(filePath)) return undefined;
    const nodeConfigPath = nodeConfigSetting(settings, filePath);
    if (nodeConfigPath === undefined && isNodeConfigName(filePath)) return undefined;
    return cache.nodeConfigFor(filePath, { stopAt: folderOf(filePath), ...(nodeConfigPath !== undefined ? { nodeConfigPath } : {}) });
  };

  /**
   * The diagnostics of the latest version of `uri` (settings first, then the text as it is now), linted
   * together with its node (vz.conf, the CTID.conf files of the same conf/ folder and the sample names
   * there, from disk and open documents). Undefined when the document is no longer open.
   */
  const computeDiagnostics = async (uri: string): Promise<Published | undefined> => {
    const settings = await getSettings(uri);
    const start = documents.get(uri);
    if (!start) return undefined;
    const version = start.version;
    const filePath = absPathOf(uri);
    let diagnostics: Diagnostic[];
    try {
      const options = lintOptionsOf(settings);
      let findings;
      const current = documents.get(uri);
      if (current && current.getText().trim() === '') {
        // A new, empty file: nothing to report until it has content (no "required UBC" error at once).
        return { version: current.version, diagnostics: [], findings: [] };
      }
      if (filePath === undefined) {
        // Not a file (untitled, a virtual document): checked alone, its kind told by its name if it has one.
        findings = lintNode({ containers: [{ path: uriToPath(uri) ?? '', text: start.getText() }] }, options).files[0]?.findings ?? [];
        lastState.delete(uri);
      } else {
        cache.setOpenText(filePath, start.getText());
        const nodeConfigPath = nodeConfigSetting(settings, filePath);
        const r = await cache.lintFile(filePath, { stopAt: folderOf(filePath), ...(nodeConfigPath !== undefined ? { nodeConfigPath } : {}), options });
        // Changed while the node was read: the newer version is linted next (the change marked it dirty).
        if (!stillOpen(uri, start, version) || !r) return undefined;
        lastState.set(uri, { state: r.state, generation: r.generation });
        logOnChange(`node\0${uri}`, `node files for ${filePath}: ${r.nodeConfig ? `vz.conf ${r.nodeConfig.path}` : "no vz.conf (vzctl's defaults)"}, ${r.state.slots.size} container config(s) in ${r.state.key.confDir}, ${r.state.samples?.length ?? 0} sample(s)`);
        findings = r.findings;
        if (r.nodeConfigProblem !== undefined) {
          if (!loggedNodeProblems.has(`${uri}\0${r.nodeConfigProblem}`)) {
            loggedNodeProblems.add(`${uri}\0${r.nodeConfigProblem}`);
            logError(`the node config for ${uri} cannot be used`, r.nodeConfigProblem);
          }
          diagnostics = [nodeConfigProblemDiagnostic(r.nodeConfigProblem, r.nodeConfigFound), ...toDiagnostics(findings, 1)];
          return { version, diagnostics, findings };
        }
      }
      diagnostics = toDiagnostics(findings);
      return { version, diagnostics, findings };
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      if (!loggedSettingErrors.has(`${uri}\0${err.message}`)) {
        loggedSettingErrors.add(`${uri}\0${err.message}`);
        connection.console.error(`vzconf: invalid setting for ${uri}: ${err.message}`);
      }
      diagnostics = [invalidSettingDiagnostic(err.message)];
      if (!stillOpen(uri, start, version)) return undefined;
    }
    return { version, diagnostics, findings: [] };
  };

  /**
   * Whether `doc` is still the open document of `uri` at `version`: a result computed for it may be
   * published. Not after a close and reopen, which starts the version numbers again (the reopened
   * document is another object).
   */
  const stillOpen = (uri: string, doc: TextDocument, version: number): boolean => {
    const now = documents.get(uri);
    return now === doc && now.version === version;
  };

  /**
   * On a big node that is not loaded yet (NodeCache.lintFileAlone), publishes the just-opened document's
   * own findings with its node config at once, before the node's other files are read; the full answer
   * (with the node rules' findings) follows. Nothing is published when the node is small or loaded, the
   * settings are invalid (the full lint says so), or the document changed meanwhile.
   */
  const publishFirstAnswer = async (uri: string, filePath: string): Promise<void> => {
    try {
      const settings = await getSettings(uri);
      const doc = documents.get(uri);
      if (!doc || doc.getText().trim() === '') return;
      const version = doc.version;
      cache.setOpenText(filePath, doc.getText());
      const nodeConfigPath = nodeConfigSetting(settings, filePath);
      const findings = await cache.lintFileAlone(filePath, { stopAt: folderOf(filePath), ...(nodeConfigPath !== undefined ? { nodeConfigPath } : {}), options: lintOptionsOf(settings) });
      if (!findings || !stillOpen(uri, doc, version) || published.has(uri)) return;
      const diagnostics = toDiagnostics(findings);
      published.set(uri, { version, diagnostics, findings });
      await connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      if (!(err instanceof OptionError)) logError(`the first answer for ${uri} failed`, err);
    }
  };

  /**
   * Lints `uri` and publishes its findings with the document's version, unless the same findings were
   * already published for the same version (a sibling re-checked after another file of its node changed).
   */
  const lintOnce = async (uri: string): Promise<void> => {
    // Nothing it depends on changed: same text as published, its node's inputs unchanged (settings
    // changes clear lastState). The common case for the siblings of an edited or opened file.
    const before = lastState.get(uri);
    const last = published.get(uri);
    const filePath = absPathOf(uri);
    if (before && filePath !== undefined && last && last.version === documents.get(uri)?.version && cache.unchangedSince(before.state, filePath, before.generation)) {
      before.generation = before.state.generation;
      return;
    }
    if (!last && filePath !== undefined) await publishFirstAnswer(uri, filePath);
    const result = await computeDiagnostics(uri);
    if (!result) return;
    // Same diagnostics for the same version: nothing to send, but the findings (their fixes) are the newest.
    const prev = published.get(uri);
    const same = prev !== undefined && prev.version === result.version && diagnosticsJson(prev.diagnostics) === diagnosticsJson(result.diagnostics);
    published.set(uri, result);
    if (same) return;
    workspacePublished.delete(uri);
    await connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
  };

  const runLint = async (uri: string, state: LintState): Promise<void> => {
    state.scheduled = false;
    state.running = true;
    state.dirty = false;
    try {
      await lintOnce(uri);
    } catch (err) {
      logError(`linting ${uri} failed`, err);
    } finally {
      state.running = false;
      if (states.get(uri) !== state) {
        // Closed while linting: the close already cleared the diagnostics.
      } else if (state.dirty && documents.get(uri)) {
        // The document (or the settings) changed while we linted: lint the newer version.
        state.scheduled = true;
        setImmediate(() => void runLint(uri, state));
      }
    }
  };

  /** Marks `uri` dirty and queues a lint unless one is already queued or running (then it coalesces). */
  const requestLint = (uri: string): void => {
    let state = states.get(uri);
    if (!state) {
      state = { dirty: false, scheduled: false, running: false };
      states.set(uri, state);
    }
    state.dirty = true;
    if (state.scheduled || state.running) return;
    state.scheduled = true;
    const s = state;
    setImmediate(() => void runLint(uri, s));
  };

  /**
   * After the file at `changedPath` changed (opened, edited, closed, saved, or changed on disk): re-check
   * the other open documents of the nodes it belongs to. Their per-file results are cached, so this costs
   * one run of the node rules per node; they are published only if their findings changed (lintOnce).
   */
  const requestRelated = (changedPath: string | undefined, except?: string): void => {
    if (changedPath === undefined) return;
    const affected = new Set(cache.statesAffectedBy(changedPath));
    if (affected.size === 0) return;
    for (const d of documents.all()) {
      if (d.uri === except) continue;
      const st = lastState.get(d.uri);
      if (st && affected.has(st.state)) requestLint(d.uri);
    }
  };

  /** Drops every cached setting and config file and re-lints the open documents (and asks for new inlay hints). */
  const relintAll = (): void => {
    settingsCache.clear();
    cache.dropResults();
    lastState.clear();
    configCache.clear();
    loggedSettingErrors.clear();
    for (const doc of documents.all()) requestLint(doc.uri);
    if (initialized) refreshInlayHints(connection);
    scheduleWorkspaceRefresh();
  };
  let initialized = false;

  /**
   * "Lint all configs in workspace": finds the config files of every workspace folder as vzlint does
   * (`discoverConfigFiles`), lints them node by node with the folder's settings, and publishes the
   * diagnostics of the files that are not open (open ones are re-linted the usual way).
   */
  const lintWorkspace = async (progress?: WorkDoneProgressReporter): Promise<LintWorkspaceResult> => {
    workspaceLintsRunning += 1;
    try {
      return await lintWorkspaceOnce(progress);
    } finally {
      workspaceLintsRunning -= 1;
      if (workspaceLintsRunning === 0) closedWhileLinting.clear();
    }
  };
  /** One run of {@link lintWorkspace}. */
  const lintWorkspaceOnce = async (progress?: WorkDoneProgressReporter): Promise<LintWorkspaceResult> => {
    const started = Date.now();
    const result: LintWorkspaceResult = { files: 0, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0, hints: 0, problems: [] };
    /**
     * The URI of the document open for `file` now (not when the lint started: a document opened while a
     * node loads gets its own diagnostics, with its settings and version, never the workspace lint's).
     */
    const openUriOf = (file: string): string | undefined => {
      if (!cache.openTexts().has(file)) return undefined;
      return documents.all().find((d) => absPathOf(d.uri) === file)?.uri;
    };
    const seen = new Set<string>();
    const nodeDirs = new Set<string>();
    for (const folder of workspaceFolders) {
      let settings: VzconfSettings;
      let options: LintOptions;
      try {
        settings = await getSettings(pathToFileURL(path.join(folder, CONFIG_FILE_NAME)).href);
        options = lintOptionsOf(settings);
      } catch (err) {
        result.problems.push(`${folder}: ${(err as Error).message}`);
        continue;
      }
      // A name that is not valid UTF-8 opens nothing (Node decodes names lossily): said, not left out unseen.
      const found = await discoverConfigFiles(folder, folder, undefined, (file, why) => {
        if (why === NOT_UTF8) result.problems.push(`${escapeControls(file)}: skipped, its name is not valid UTF-8, which vzconf cannot open (rename it)`);
      });
      for (const f of found) seen.add(pathToFileURL(f).href);
      progress?.report(`${folder}: ${found.length} config file(s)`);
      let doneFiles = 0;
      for (const file of found) {
        doneFiles += 1;
        if (doneFiles % 50 === 0 || doneFiles === found.length) progress?.report(Math.round((doneFiles / found.length) * 100), `${doneFiles}/${found.length} files`);
        const openUri = openUriOf(file);
        if (openUri !== undefined) {
          // Open documents are linted the usual way (with their own settings and version).
          requestLint(openUri);
        }
        const nodeConfigPath = nodeConfigSetting(settings, file);
        let linted;
        try {
          // Through the per-node cache: each node is read and its node rules run once for all its files.
          linted = await cache.lintFile(file, { stopAt: folder, ...(nodeConfigPath !== undefined ? { nodeConfigPath } : {}), options }, openUri !== undefined);
        } catch (err) {
          result.problems.push(`${file}: ${(err as Error).message}`);
          continue;
        }
        if (!linted) {
          result.problems.push(`${file}: cannot read`);
          continue;
        }
        // Beyond the size limit with file-too-large off: no finding says it was not checked (vzlint warns the same).
        if (linted.notChecked !== undefined && linted.findings.length === 0) result.problems.push(`${file}: not checked, larger than ${MAX_FILE_BYTES / 1048576} MiB (file-too-large is off)`);
        result.files += 1;
        nodeDirs.add(linted.state.id);
        if (linted.findings.length > 0) result.filesWithFindings += 1;
        for (const x of linted.findings) {
          if (x.severity === 'error') result.errors += 1;
          else if (x.severity === 'warning') result.warnings += 1;
          else if (x.severity === 'info') result.infos += 1;
          else result.hints += 1;
        }
        // Open now (perhaps since the lint above began): its own lint publishes it.
        if (openUri !== undefined || openUriOf(file) !== undefined) continue;
        const uri = pathToFileURL(file).href;
        workspacePublished.add(uri);
        // A node config that cannot be read is said on each of its files, as when they are open.
        const unread = linted.nodeConfigProblem !== undefined ? [nodeConfigProblemDiagnostic(linted.nodeConfigProblem, linted.nodeConfigFound)] : [];
        await connection.sendDiagnostics({ uri, diagnostics: [...unread, ...toDiagnostics(linted.findings, unread.length)] });
      }
    }
    // Files found last time that are gone now (deleted, renamed, outside a removed folder): no stale results.
    for (const uri of workspaceFiles ?? []) {
      if (seen.has(uri) || documents.get(uri)) continue;
      workspacePublished.delete(uri);
      await connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    workspaceFiles = seen;
    // From here on a close refreshes by itself (onDidClose); those before are checked again now.
    if ([...closedWhileLinting].some((uri) => seen.has(uri) && !documents.get(uri))) scheduleWorkspaceRefresh();
    logInfo(`workspace lint: ${result.files} config file(s) of ${nodeDirs.size} node(s) in ${workspaceFolders.length} folder(s), ${Date.now() - started} ms; ${result.errors} error(s), ${result.warnings} warning(s), ${result.infos} info, ${result.hints} hint(s)`);
    for (const p of result.problems) logInfo(`workspace lint: ${p}`);
    return result;
  };

  /** A workspace refresh is queued (timer) or running; `again` when another one was asked for meanwhile. */
  const refresh = { timer: undefined as NodeJS.Timeout | undefined, running: false, again: false };
  /**
   * Once "Lint all configs in workspace" has run, re-lints the workspace shortly after settings, a
   * `.vzconf.yaml`, a folder or a config file on disk changed, or a file it found was closed, so the
   * results of files that are not open follow the change (a changed target never leaves old results).
   * Coalesced: one run at a time, at most one more queued. Progress shows in the client's status bar.
   */
  const scheduleWorkspaceRefresh = (): void => {
    if (!workspaceFiles) return;
    if (refresh.running) {
      refresh.again = true;
      return;
    }
    if (refresh.timer) clearTimeout(refresh.timer);
    refresh.timer = setTimeout(() => {
      refresh.timer = undefined;
      refresh.running = true;
      void (async () => {
        let reporter: WorkDoneProgressReporter | undefined;
        try {
          if (workDoneProgress) {
            reporter = await connection.window.createWorkDoneProgress().catch(() => undefined);
            reporter?.begin('vzconf: refreshing the workspace lint', 0, undefined, false);
          }
          await lintWorkspace(reporter);
        } catch (err) {
          logError('refreshing the workspace lint failed', err);
        } finally {
          reporter?.done();
          refresh.running = false;
          if (refresh.again) {
            refresh.again = false;
            scheduleWorkspaceRefresh();
          }
        }
      })();
    }, 250);
  };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    const init = params.initializationOptions as { ruleDocsCommand?: unknown; workspaceTrusted?: unknown; maxDiagnosticsPerFile?: unknown } | null | undefined;
    workspaceTrusted = init?.workspaceTrusted !== false;
    const maxPerFile = readMaxDiagnosticsPerFile(init?.maxDiagnosticsPerFile);
    maxDiagnosticsPerFile = maxPerFile.max;
    if (maxPerFile.problem !== undefined) logInfo(maxPerFile.problem);
    if (init?.ruleDocsCommand === OPEN_RULE_DOCS_COMMAND) diagnosticOptions.docsCommand = OPEN_RULE_DOCS_COMMAND;
    watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workDoneProgress = caps.window?.workDoneProgress === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.map((u) => uriToPath(u)).filter((p): p is string => p !== undefined);
    pullConfiguration = caps.workspace?.configuration === true;
    dynamicConfigRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    workspaceFolderEvents = caps.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND, COPY_AS_VZCTL_SET_KIND] },
        executeCommandProvider: { commands: [LINT_WORKSPACE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...editorCapabilities,
      },
      serverInfo: { name: 'vzconf', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    initialized = true;
    logInfo(`language server ${VERSION} on Node ${process.version}; workspace folder(s): ${workspaceFolders.join(', ') || '(none)'}; rule docs ${diagnosticOptions.docsCommand ? `open through the client command ${diagnosticOptions.docsCommand}` : 'linked as file: URLs'}`);
    if (watchFiles) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.conf' }, { globPattern: '**/ve-*.conf-sample*' }, { globPattern: '**/sysconfig/vz' }, { globPattern: `**/${CONFIG_FILE_NAME}` }],
        })
        .catch((err: unknown) => logError('cannot register file watchers', err));
    }
    if (pullConfiguration && dynamicConfigRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'vzconf' }).catch((err: unknown) => {
        logError('cannot register for configuration changes', err);
      });
    }
    if (workspaceFolderEvents) {
      try {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          try {
            const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
            workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined)];
            relintAll();
          } catch (err) {
            logError('handling workspace folder changes failed', err);
          }
        });
      } catch (err) {
        logError('cannot follow workspace folder changes', err);
      }
    }
  });

  // The user trusted the workspace (VS Code cannot take trust back without a reload).
  connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: WorkspaceTrustParams) => {
    try {
      const trusted = params?.trusted === true;
      if (trusted === workspaceTrusted) return;
      workspaceTrusted = trusted;
      loggedOnce.clear();
      relintAll();
    } catch (err) {
      logError('handling a workspace trust change failed', err);
    }
  });

  connection.onDidChangeConfiguration((params) => {
    try {
      if (!pullConfiguration) {
        const raw = (params.settings as { vzconf?: unknown } | null | undefined)?.vzconf;
        globalSettings = raw === undefined ? undefined : readPartialSettings(raw);
      }
      relintAll();
    } catch (err) {
      logError('handling a configuration change failed', err);
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    try {
      let configChanged = false;
      const changed: string[] = [];
      for (const change of params.changes) {
        const p = uriToPath(change.uri);
        if (p === undefined) continue;
        if (path.basename(p) === CONFIG_FILE_NAME) configChanged = true;
        else {
          cache.fileChanged(p);
          changed.push(p);
        }
      }
      // A .vzconf.yaml changed: settings of everything may differ.
      if (configChanged) relintAll();
      // A vz.conf or a container changed on disk: re-check the open documents of its nodes, and the
      // files of the last workspace lint that are not open.
      else {
        for (const p of changed) requestRelated(p);
        if (changed.length > 0) scheduleWorkspaceRefresh();
      }
    } catch (err) {
      logError('handling file changes failed', err);
    }
  });

  documents.onDidOpen((e) => {
    try {
      const p = absPathOf(e.document.uri);
      if (p !== undefined) {
        cache.refreshOnOpenOrSave(p);
        cache.setOpenText(p, e.document.getText());
      }
      requestLint(e.document.uri);
      requestRelated(p, e.document.uri);
    } catch (err) {
      logError(`opening ${e.document.uri} failed`, err);
    }
  });

  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    const p = absPathOf(uri);
    // The others of its node see the text as it is now, whatever `vzconf.run` says.
    if (p !== undefined) cache.setOpenText(p, e.document.getText());
    // `vzconf.run: onSave` lints on open and save only (the open is handled above).
    getSettings(uri).then(
      (settings) => {
        if (settings.run !== 'onType' || !documents.get(uri)) return;
        requestLint(uri);
        requestRelated(p, uri);
      },
      (err: unknown) => logError(`handling a change of ${uri} failed`, err),
    );
  });

  documents.onDidSave((e) => {
    try {
      const p = absPathOf(e.document.uri);
      if (p !== undefined) cache.refreshOnOpenOrSave(p);
      requestLint(e.document.uri);
      requestRelated(p, e.document.uri);
    } catch (err) {
      logError(`handling the save of ${e.document.uri} failed`, err);
    }
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    try {
      states.delete(uri);
      published.delete(uri);
      settingsCache.delete(uri);
      lastState.delete(uri);
      if (workspaceFiles?.has(uri)) {
        // Found by the workspace lint: its results stay in Problems, re-computed from the saved text.
        scheduleWorkspaceRefresh();
      } else {
        connection.sendDiagnostics({ uri, diagnostics: [] }).catch((err: unknown) => logError(`clearing ${uri} failed`, err));
        if (workspaceLintsRunning > 0) closedWhileLinting.add(uri);
      }
      // Its saved text (or nothing) now stands for it in the checks of the others.
      const p = absPathOf(uri);
      if (p !== undefined) {
        cache.closeText(p);
        requestRelated(p, uri);
      }
    } catch (err) {
      logError(`closing ${uri} failed`, err);
    }
  });

  connection.onHover(async (raw): Promise<Hover | null> => {
    // Any JSON may arrive: a position that is none answers null, as for a document that is not open.
    const params = positionParams(raw);
    if (!params) return null;
    try {
      const doc = documents.get(params.uri);
      if (!doc) return null;
      const settings = await getSettings(doc.uri);
      const filePath = uriToPath(doc.uri);
      const nodeConfig = await nodeConfigFor(settings, absPathOf(doc.uri));
      const current = documents.get(doc.uri);
      if (!current) return null;
      const result = computeHover(current.getText(), params.position, {
        ...(nodeConfig ? { nodeConfig } : {}),
        path: filePath,
        target: settings.target,
        kind: settings.kind,
        ...sourcesOf(settings),
        kbUrlTemplate: settings.kbUrlTemplate,
      });
      if (!result) return null;
      return { contents: { kind: 'markdown', value: result.contents }, range: result.range };
    } catch (err) {
      // An invalid setting is already reported as a diagnostic; anything else is a bug worth logging.
      if (!(err instanceof OptionError)) logError(`hover in ${params.uri} failed`, err);
      return null;
    }
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const uri = params.textDocument.uri;
    try {
      const only = params.context.only;
      const doc = documents.get(uri);
      const last = published.get(uri);
      const wantsFixAll = only !== undefined && only.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`));
      if (wantsFixAll) {
        // The fixes must be for the text as it is now (with `run: onSave` the last lint may be older).
        const fresh = doc && last?.version === doc.version ? last : await computeDiagnostics(uri);
        // To the fixed point in this one call: the safe fixes are applied and the result is linted again with
        // the same settings and node config, and so on, so a second fix-all (or the next save) finds nothing.
        let relintOptions: LintOptions | undefined;
        const relint = async (t: string): Promise<readonly Fixable[]> => {
          if (!relintOptions) {
            const settings = await getSettings(uri);
            const filePath = uriToPath(uri);
            const nodeConfig = await nodeConfigFor(settings, absPathOf(uri));
            relintOptions = { ...lintOptionsOf(settings), ...(filePath !== undefined ? { path: filePath } : {}), ...(nodeConfig ? { nodeConfig } : {}) };
          }
          return lint(t, relintOptions).findings;
        };
        const findings = fresh?.findings ?? [];
        let all;
        try {
          all = doc ? await computeFixAll(uri, findings, { text: doc.getText(), relint }) : undefined;
        } catch (err) {
          if (!(err instanceof OptionError)) throw err;
          all = await computeFixAll(uri, findings);
        }
        return all ? [all as unknown as CodeAction] : [];
      }
      const diagnostics = params.context.diagnostics as unknown as ContextDiagnostic[];
      const catalog = getCatalog();
      const hasRule = (id: string): boolean => catalog.hasRule(id);
      const rule = primaryRule(diagnostics, params.range, hasRule);
      const fixes: CodeAction[] = [];
      const suppressions: CodeAction[] = [];
      const learnMore: CodeAction[] = [];
      const rest: CodeAction[] = [];
      const done = (): CodeAction[] => [...orderLightbulb(fixes, suppressions, learnMore, rule), ...rest];
      if (!doc) return done();
      const text = doc.getText();
      const version = doc.version;
      if (kindWanted('quickfix', only)) {
        // The findings of the text as it is now: those published for this version, else linted now (a
        // change not yet linted, `run: onSave`). The diagnostics the client sends back are matched to them
        // by range, rule and message: one sent with its old range after the text changed matches none and
        // gets no fix and no line action (either would edit whatever line now has its number).
        const current = last && last.version === version ? last : await computeDiagnostics(uri);
        const index = current === undefined || current.version !== version ? undefined : current === last ? (last.index ??= new FindingIndex(last.findings)) : new FindingIndex(current.findings);
        if (index) for (const a of computeCodeActions(uri, diagnostics, params.range, index)) fixes.push(a as CodeAction);
        const isCurrent = (d: ContextDiagnostic): boolean => index?.match([d])[0] !== undefined;
        const directives = parseSuppressions(parseConfig(text, { dialect: 'classic' })).directives;
        for (const a of computeSuppressionActions({ uri, text, diagnostics, range: params.range, hasRule, directives, isCurrent })) suppressions.push(a as CodeAction);
        for (const a of computeLinkActions({ diagnostics, range: params.range, hasRule, docsUrl: ruleDocsUrl, ...diagnosticOptions })) learnMore.push(a as unknown as CodeAction);
      }
      if (!kindWanted(COPY_AS_VZCTL_SET_KIND, only)) return done();
      const settings = await getSettings(uri);
      const filePath = uriToPath(uri);
      let ctx: LintContext | undefined;
      try {
        const nodeConfig = await nodeConfigFor(settings, absPathOf(uri));
        ctx = analyze(text, { ...lintOptionsOf(settings), ...(filePath !== undefined ? { path: filePath } : {}), ...(nodeConfig ? { nodeConfig } : {}) });
      } catch (err) {
        if (!(err instanceof OptionError)) throw err;
      }
      if (ctx) {
        const line = ctx.doc.lines[params.range.start.line];
        const cmd = line?.kind === 'entry' ? vzctlSetCommand(ctx, line) : undefined;
        if (cmd) rest.push(copyAsVzctlSetAction(cmd.command) as unknown as CodeAction);
      }
      return done();
    } catch (err) {
      logError(`code actions in ${uri} failed`, err);
      return [];
    }
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== LINT_WORKSPACE_COMMAND) throw new ResponseError(-32601, `vzconf: unknown command ${params.command}`);
    try {
      const reporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
      reporter.begin('vzconf: linting the workspace', 0, undefined, false);
      try {
        return await lintWorkspace(reporter);
      } finally {
        reporter.done();
      }
    } catch (err) {
      logError('linting the workspace failed', err);
      throw new ResponseError(-32603, `vzconf: linting the workspace failed: ${(err as Error).message}`);
    }
  });

  connection.onRequest(EFFECTIVE_CONFIG_REQUEST, async (params: EffectiveConfigParams): Promise<EffectiveConfigResult> => {
    const uri = params?.uri;
    if (typeof uri !== 'string') throw new ResponseError(-32602, 'vzconf: effectiveConfig needs { uri }');
    const filePath = uriToPath(uri);
    // Only what the editor has open, or a file named as an OpenVZ / Virtuozzo config (vz.conf,
    // conf/CTID.conf, ve-*.conf-sample …) that is a regular file of a sane size: never any file a
    // request names (/proc/self/environ, a named pipe, /dev/zero).
    let text = documents.get(uri)?.getText() ?? (filePath !== undefined ? overlay().get(filePath) : undefined);
    // Read from disk: the size limit is judged on the file's bytes (an open document's on its text).
    let sizeBytes: number | undefined;
    if (text === undefined) {
      if (filePath === undefined || !uri.startsWith('file:')) throw new ResponseError(-32602, `vzconf: cannot read ${uri}: not open in the editor and not a file: URI`);
      if (!isConfigFileName(filePath)) {
        throw new ResponseError(-32602, `vzconf: cannot read ${uri}: it is not open in the editor and its name is not one of an OpenVZ / Virtuozzo config (vz.conf, sysconfig/vz, conf/CTID.conf, 0.conf, ve.conf, ve-*.conf-sample)`);
      }
      const read = await readConfigFile(filePath);
      if ('error' in read) throw new ResponseError(-32602, `vzconf: cannot read ${uri}: ${read.error.detail}`);
      ({ text, sizeBytes } = read);
    }
    const settings = await getSettings(uri);
    try {
      const nodeConfig = await nodeConfigFor(settings, absPathOf(uri));
      const out = effectiveConfigText(text, { ...lintOptionsOf(settings), ...(filePath !== undefined ? { path: filePath } : {}), ...(sizeBytes !== undefined ? { sizeBytes } : {}), ...(nodeConfig ? { nodeConfig } : {}) });
      return { name: filePath !== undefined ? path.basename(filePath) : uri, text: out };
    } catch (err) {
      if (err instanceof OptionError) throw new ResponseError(-32602, `vzconf: invalid setting: ${err.message}`);
      logError(`effective configuration of ${uri} failed`, err);
      throw new ResponseError(-32603, `vzconf: effective configuration failed: ${(err as Error).message}`);
    }
  });

  connection.onRequest(DOCUMENT_STATUS_REQUEST, async (params: { uri?: unknown }): Promise<DocumentStatus | null> => {
    const uri = params?.uri;
    if (typeof uri !== 'string') throw new ResponseError(-32602, 'vzconf: documentStatus needs { uri }');
    const doc = documents.get(uri);
    if (!doc) return null;
    const settings = await getSettings(uri);
    const filePath = uriToPath(uri);
    const nodeConfig = await nodeConfigFor(settings, absPathOf(uri));
    const text = documents.get(uri)?.getText() ?? doc.getText();
    const base = { ...(filePath !== undefined ? { path: filePath } : {}), ...(nodeConfig ? { nodeConfig } : {}) };
    const status = (ctx: LintContext, error?: string): DocumentStatus => ({
      kind: ctx.kind,
      kindReason: ctx.kindReason,
      target: formatTarget(ctx.target),
      targetText: describeTarget(ctx.target),
      targetReason: targetReason(ctx.target, 'editor'),
      ...(nodeConfig && ctx.kind !== 'node' ? { nodeConfig: nodeConfig.path } : {}),
      ...(error ? { error } : {}),
      targets: ['auto', ...(['classic', 'vz7'] as const).flatMap((g) => [g, ...[...(getCatalog().catalog.versions[g] ?? [])].reverse().map((v) => `${g}@${v}`)])],
    });
    try {
      return status(analyze(text, { ...lintOptionsOf(settings), ...base }));
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      return status(analyze(text, base), err.message);
    }
  });

  // Completion, symbols, folding, links, inlay hints and formatting (server/src/lsp/features.ts).
  registerEditorFeatures(connection, documents, async (uri): Promise<EditorFeatureOptions> => {
    const settings = await getSettings(uri);
    const filePath = uriToPath(uri);
    const options: EditorFeatureOptions = { target: settings.target, kind: settings.kind, kbUrlTemplate: settings.kbUrlTemplate, inlayHints: settings.inlayHintsEnabled };
    if (filePath !== undefined) {
      options.path = filePath;
      if (absPathOf(uri) !== undefined) {
        const confDir = isNodeConfigName(filePath) ? confDirOf(filePath) : path.dirname(filePath);
        const listing = await cache.confDir(confDir);
        if (listing.samples) options.samples = listing.samples;
      }
    }
    return options;
  });

  connection.onRequest(NODE_CACHE_STATS_REQUEST, () => {
    let pendingLints = 0;
    for (const st of states.values()) if (st.scheduled || st.running) pendingLints += 1;
    return { ...cache.stats, pendingLints, rssBytes: process.memoryUsage().rss };
  });

  documents.listen(connection);
  return documents;
}
