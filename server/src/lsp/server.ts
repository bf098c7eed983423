/**
 * The vzconf language server: protocol wiring only. Every language feature lives in
 * `server/src/service/*` (lint → diagnostics, hover, code actions); this module keeps documents in
 * sync, fetches settings per resource, schedules lints and turns service results into LSP messages.
 */
import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification,
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
import { computeCodeActions, type ContextDiagnostic } from '../service/codeActions';
import { toDiagnostic } from '../service/diagnostics';
import { computeHover } from '../service/hover';
import { lint, OptionError } from '../service/lint';
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
}

/** Settings used when the client sends none (or does not support `workspace/configuration`). */
export function defaultSettings(): VzconfSettings {
  return { target: 'auto', kind: 'auto', kbUrlTemplate: getCatalog().catalog.defaultUrlTemplate };
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

  /** Lints the latest version of `uri` (settings first, then the text as it is now) and publishes the result with its version. */
  const lintOnce = async (uri: string): Promise<void> => {
    const settings = await getSettings(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    let diagnostics: Diagnostic[];
    try {
      const result = lint(doc.getText(), { path: uriToPath(uri), target: settings.target, kind: settings.kind });
      diagnostics = result.findings.map((f) => toDiagnostic(f) as Diagnostic);
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      if (!loggedSettingErrors.has(`${uri}\0${err.message}`)) {
        loggedSettingErrors.add(`${uri}\0${err.message}`);
        connection.console.error(`vzconf: invalid setting for ${uri}: ${err.message}`);
      }
      diagnostics = [invalidSettingDiagnostic(err.message)];
    }
    await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
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

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    pullConfiguration = caps.workspace?.configuration === true;
    dynamicConfigRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'vzconf', version: VERSION },
    };
  });

  connection.onInitialized(() => {
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

  documents.onDidOpen((e) => {
    try {
      requestLint(e.document.uri);
    } catch (err) {
      logError(`opening ${e.document.uri} failed`, err);
    }
  });

  documents.onDidChangeContent((e) => {
    try {
      requestLint(e.document.uri);
    } catch (err) {
      logError(`handling a change of ${e.document.uri} failed`, err);
    }
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    try {
      states.delete(uri);
      settingsCache.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch((err: unknown) => logError(`clearing ${uri} failed`, err));
    } catch (err) {
      logError(`closing ${uri} failed`, err);
    }
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    try {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const settings = await getSettings(doc.uri);
      const current = documents.get(doc.uri);
      if (!current) return null;
      const result = computeHover(current.getText(), params.position, {
        path: uriToPath(current.uri),
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
