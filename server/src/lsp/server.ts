/**
 * The vzconf language server: protocol wiring only. Every language feature lives in
 * `server/src/service/*` (lint → diagnostics, hover, code actions); this module keeps documents in
 * sync, fetches settings per resource, schedules lints and turns service results into LSP messages.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getCatalog } from '../catalog/load';
import { computeCodeActions, computeFixAll, FIX_ALL_KIND, type ContextDiagnostic } from '../service/codeActions';
import { toDiagnostic } from '../service/diagnostics';
import { computeHover } from '../service/hover';
import { OptionError } from '../service/lint';
import { lintNode, parseCapacitySize } from '../service/node';
import { ctidOf, findNodeConfig, invalidateFileCache, isInside, isNodeConfigName, loadNodeFiles, readConfigText, type Overlay } from '../service/nodeFiles';
import type { NodeCapacity } from '../rules/types';
import { version as packageVersion } from '../../../package.json';

/** The server's version: `version` of package.json (bundled in at build time). */
export const VERSION: string = packageVersion;

/** The `vzconf.*` settings the server reads, per resource (document URI). */
export interface VzconfSettings {
  /** `vzconf.target`: `auto`, `classic`, `classic@4.6`, `vz7`, `vz7@8.0.70`. Default `auto`. */
  target: string;
  /** `vzconf.kind`: `auto`, `node`, `container`, `ct0`. Default `auto`. */
  kind: string;
  /** `vzconf.kb.urlTemplate`: KB link template with `{id}`. Default from schemas/kb.yaml. */
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
}

/** Settings used when the client sends none (or does not support `workspace/configuration`). */
export function defaultSettings(): VzconfSettings {
  return { target: 'auto', kind: 'auto', kbUrlTemplate: getCatalog().catalog.defaultUrlTemplate, nodeConfig: '', nodeRam: '', nodeSwap: '' };
}

function stringSetting(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

/**
 * Reads the `vzconf` configuration section as a client returns it, either nested
 * (`{ target, kind, kb: { urlTemplate } }`, as VS Code sends it) or with dotted keys
 * (`{ "kb.urlTemplate": … }`). Missing, empty or non-string values fall back to the defaults.
 *
 * @param raw  the section object from `workspace/configuration` or `didChangeConfiguration` (any JSON)
 */
export function readSettings(raw: unknown): VzconfSettings {
  const defaults = defaultSettings();
  if (typeof raw !== 'object' || raw === null) return defaults;
  const r = raw as Record<string, unknown>;
  const kb = typeof r.kb === 'object' && r.kb !== null ? (r.kb as Record<string, unknown>).urlTemplate : undefined;
  return {
    target: stringSetting(r.target, defaults.target),
    kind: stringSetting(r.kind, defaults.kind),
    kbUrlTemplate: stringSetting(kb ?? r['kb.urlTemplate'], defaults.kbUrlTemplate),
    nodeConfig: stringSetting(r.nodeConfig, '').trim(),
    nodeRam: stringSetting(r.nodeRam, '').trim(),
    nodeSwap: stringSetting(r.nodeSwap, '').trim(),
  };
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

/** The diagnostic published instead of the findings when `vzconf.target` or `vzconf.kind` is invalid. */
function invalidSettingDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    code: 'invalid-setting',
    source: 'vzconf',
    message,
    data: { rule: 'invalid-setting', fixes: [] },
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
 * Registers every vzconf handler on `connection` and starts syncing documents. The caller creates
 * the connection (transport chosen from the command line) and calls `connection.listen()`.
 *
 * Features: incremental text sync; diagnostics on open and change (coalesced per document with
 * `setImmediate`, always for the latest version, published with that version number; cleared on
 * close); hover (markdown); quick fixes. Settings are pulled per document URI with
 * `workspace/configuration` (section `vzconf`) when the client supports it, cached, and dropped on
 * `workspace/didChangeConfiguration`, which re-lints every open document. No handler lets an
 * exception escape: errors are logged to the client's console and the request answers null / [].
 *
 * @param connection  a connection from `createConnection` of `vscode-languageserver/node`
 * @returns the document manager, for callers that want to inspect open documents
 */
export function startServer(connection: Connection): TextDocuments<TextDocument> {
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<VzconfSettings>>();
  const states = new Map<string, LintState>();
  /** The diagnostics last published per document, for fix-all (they carry the fixes in `data`). */
  const published = new Map<string, Diagnostic[]>();
  let pullConfiguration = false;
  let dynamicConfigRegistration = false;
  /** Settings pushed with `didChangeConfiguration`, for clients that cannot be asked. */
  let globalSettings: VzconfSettings | undefined;
  /** Invalid-setting errors already logged (`uri\0message`), so typing does not flood the log. */
  const loggedSettingErrors = new Set<string>();

  const logError = (what: string, err: unknown): void => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      connection.console.error(`vzconf: ${what}: ${text}`);
    } catch {
      // The connection is gone; nothing left to tell.
    }
  };

  const getSettings = (uri: string): Promise<VzconfSettings> => {
    if (!pullConfiguration) return Promise.resolve(globalSettings ?? defaultSettings());
    let pending = settingsCache.get(uri);
    if (!pending) {
      const request: Promise<VzconfSettings> = connection.workspace.getConfiguration({ scopeUri: uri, section: 'vzconf' }).then(
        (raw: unknown) => readSettings(raw),
        (err: unknown) => {
          logError(`cannot read the settings for ${uri}; using the defaults`, err);
          // Ask again next time (unless a configuration change already replaced this entry).
          if (settingsCache.get(uri) === request) settingsCache.delete(uri);
          return defaultSettings();
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

  /** Open documents by file-system path: their text wins over the disk. */
  const overlay = (): Overlay => {
    const m = new Map<string, string>();
    for (const d of documents.all()) {
      const p = uriToPath(d.uri);
      if (p !== undefined) m.set(p, d.getText());
    }
    return m;
  };
  const folderOf = (filePath: string): string | undefined =>
    workspaceFolders.filter((f) => isInside(filePath, f)).sort((a, b) => b.length - a.length)[0];
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
      const size = parseCapacitySize(value);
      if (typeof size === 'object') throw new OptionError(`${name}: ${size.error}`);
      cap[key] = size;
    }
    return cap.ramBytes !== undefined || cap.swapBytes !== undefined ? cap : undefined;
  };

  /**
   * Lints the latest version of `uri` (settings first, then the text as it is now) together with its node
   * (vz.conf, the CTID.conf files of the same conf/ folder and the sample names there, from disk and open
   * documents) and publishes this document's findings with its version.
   */
  const lintOnce = async (uri: string): Promise<void> => {
    const settings = await getSettings(uri);
    if (!documents.get(uri)) return;
    const filePath = uriToPath(uri);
    let diagnostics: Diagnostic[];
    let version: number | undefined;
    try {
      const capacity = capacityOf(settings);
      const options = { target: settings.target, kind: settings.kind, ...(capacity ? { capacity } : {}) };
      let findings;
      if (filePath === undefined) {
        const doc = documents.get(uri);
        if (!doc) return;
        version = doc.version;
        findings = lintNode({ containers: [{ path: '', text: doc.getText() }] }, options).files[0]?.findings ?? [];
      } else {
        const nodeConfigPath = nodeConfigSetting(settings, filePath);
        const files = await loadNodeFiles(filePath, { stopAt: folderOf(filePath), overlay: overlay(), ...(nodeConfigPath ? { nodeConfigPath } : {}) });
        // The text and version as they are now (the disk reads above may have let a change in).
        const doc = documents.get(uri);
        if (!doc) return;
        version = doc.version;
        const text = doc.getText();
        const input = {
          ...(files.nodeConfig ? { nodeConfig: files.nodeConfig.path === filePath ? { path: filePath, text } : files.nodeConfig } : {}),
          containers: files.containers.map((c) => (c.path === filePath ? { path: filePath, text } : c)),
          ...(files.samples ? { samples: files.samples } : {}),
        };
        findings = lintNode(input, { ...options, focus: [filePath] }).files.find((f) => f.path === filePath)?.findings ?? [];
      }
      diagnostics = findings.map((f) => toDiagnostic(f) as Diagnostic);
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      if (!loggedSettingErrors.has(`${uri}\0${err.message}`)) {
        loggedSettingErrors.add(`${uri}\0${err.message}`);
        connection.console.error(`vzconf: invalid setting for ${uri}: ${err.message}`);
      }
      diagnostics = [invalidSettingDiagnostic(err.message)];
      version = documents.get(uri)?.version;
    }
    published.set(uri, diagnostics);
    await connection.sendDiagnostics({ uri, version, diagnostics });
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
   * After `uri` changed (or opened / closed): re-lint the other open documents whose result may depend on
   * it — every open document when a vz.conf changed (its containers read it), the open files of the same
   * conf/ folder and the open vz.conf files when a CTID.conf changed (cross-container checks).
   */
  const requestRelated = (uri: string): void => {
    const changed = uriToPath(uri);
    if (changed === undefined) return;
    const node = isNodeConfigName(changed);
    if (!node && ctidOf(changed) === undefined) return;
    for (const d of documents.all()) {
      if (d.uri === uri) continue;
      const p = uriToPath(d.uri);
      if (p === undefined) continue;
      if (node || path.dirname(p) === path.dirname(changed) || isNodeConfigName(p)) requestLint(d.uri);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.map((u) => uriToPath(u)).filter((p): p is string => p !== undefined);
    pullConfiguration = caps.workspace?.configuration === true;
    dynamicConfigRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      },
      serverInfo: { name: 'vzconf', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchFiles) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/vz.conf' }, { globPattern: '**/conf/*.conf' }, { globPattern: '**/ve-*.conf-sample' }] })
        .catch((err: unknown) => logError('cannot register file watchers', err));
    }
    if (pullConfiguration && dynamicConfigRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'vzconf' }).catch((err: unknown) => {
        logError('cannot register for configuration changes', err);
      });
    }
  });

  connection.onDidChangeConfiguration((params) => {
    try {
      settingsCache.clear();
      loggedSettingErrors.clear();
      if (!pullConfiguration) {
        const raw = (params.settings as { vzconf?: unknown } | null | undefined)?.vzconf;
        globalSettings = raw === undefined ? undefined : readSettings(raw);
      }
      for (const doc of documents.all()) requestLint(doc.uri);
    } catch (err) {
      logError('handling a configuration change failed', err);
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    try {
      for (const change of params.changes) {
        const p = uriToPath(change.uri);
        if (p !== undefined) invalidateFileCache(p);
      }
      // A vz.conf or a sibling container changed on disk: re-check what is open.
      for (const doc of documents.all()) requestLint(doc.uri);
    } catch (err) {
      logError('handling file changes failed', err);
    }
  });

  documents.onDidOpen((e) => {
    try {
      requestLint(e.document.uri);
      requestRelated(e.document.uri);
    } catch (err) {
      logError(`opening ${e.document.uri} failed`, err);
    }
  });

  documents.onDidChangeContent((e) => {
    try {
      requestLint(e.document.uri);
      requestRelated(e.document.uri);
    } catch (err) {
      logError(`handling a change of ${e.document.uri} failed`, err);
    }
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    try {
      states.delete(uri);
      published.delete(uri);
      settingsCache.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch((err: unknown) => logError(`clearing ${uri} failed`, err));
      // Its saved text (or nothing) now stands for it in the checks of the others.
      setImmediate(() => requestRelated(uri));
    } catch (err) {
      logError(`closing ${uri} failed`, err);
    }
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    try {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const settings = await getSettings(doc.uri);
      const filePath = uriToPath(doc.uri);
      let nodeConfig: { path: string; text: string } | undefined;
      if (filePath !== undefined && !isNodeConfigName(filePath)) {
        const open = overlay();
        const nodePath = nodeConfigSetting(settings, filePath) ?? (await findNodeConfig(filePath, { stopAt: folderOf(filePath), overlay: open }));
        const text = nodePath === undefined ? undefined : await readConfigText(nodePath, open);
        if (nodePath !== undefined && text !== undefined) nodeConfig = { path: nodePath, text };
      }
      const current = documents.get(doc.uri);
      if (!current) return null;
      const result = computeHover(current.getText(), params.position, {
        ...(nodeConfig ? { nodeConfig } : {}),
        path: filePath,
        target: settings.target,
        kind: settings.kind,
        kbUrlTemplate: settings.kbUrlTemplate,
      });
      if (!result) return null;
      return { contents: { kind: 'markdown', value: result.contents }, range: result.range };
    } catch (err) {
      // An invalid setting is already reported as a diagnostic; anything else is a bug worth logging.
      if (!(err instanceof OptionError)) logError(`hover in ${params.textDocument.uri} failed`, err);
      return null;
    }
  });

  connection.onCodeAction((params): CodeAction[] => {
    try {
      const only = params.context.only;
      const wantsFixAll = only !== undefined && only.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`));
      if (wantsFixAll) {
        const all = computeFixAll(params.textDocument.uri, (published.get(params.textDocument.uri) ?? []) as unknown as ContextDiagnostic[]);
        return all ? [all as unknown as CodeAction] : [];
      }
      return computeCodeActions(
        params.textDocument.uri,
        params.context.diagnostics as unknown as ContextDiagnostic[],
        params.range,
      ) as CodeAction[];
    } catch (err) {
      logError(`code actions in ${params.textDocument.uri} failed`, err);
      return [];
    }
  });

  documents.listen(connection);
  return documents;
}
