/**
 * vzconf VS Code extension entry point.
 *
 * The extension is deliberately thin: every language feature (diagnostics, hover, completion,
 * quick fixes, ...) lives in the language server bundled as `dist/server.js`. This module starts that
 * server over Node IPC, connects it to the `vzconf` language, sends it only the `vzconf.*` settings the
 * user set explicitly (so a `.vzconf.yaml` is not hidden by defaults), and registers the commands:
 *
 * - `vzconf.lintWorkspace` — "vzconf: Lint all configs in workspace" (runs the server command
 *   `vzconf.server.lintWorkspace`, which publishes diagnostics for files that are not open);
 * - `vzconf.showEffectiveConfig` — "vzconf: Show effective configuration" (a read-only virtual document
 *   whose text the server computes with the `vzconf/effectiveConfig` request);
 * - `vzconf.openUrl`, `vzconf.openRuleDocs` and `vzconf.copyToClipboard` — run by code actions
 *   ("Learn more about <rule>", "Copy as vzctl set command") and by the rule links of the Problems panel;
 * - `vzconf.selectTarget` — "vzconf: Select the target vzctl" (also the Language Status item's action).
 *
 * It also shows two Language Status items for vzconf files (kind, target and why; the node vz.conf
 * used) and logs to the "vzconf" LogOutputChannel (server version, settings, node files, workspace-lint
 * timings, errors; `vzconf.trace.server` adds the LSP trace there).
 */
import * as vscode from 'vscode';
import { ruleDocsPage } from './ruleDocs';
// Type only (erased by esbuild): what the server answers to `vzconf/documentStatus`.
import type { DocumentStatus } from '../../server/src/lsp/server';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  WorkDoneProgress,
  type ConfigurationParams,
  type LanguageClientOptions,
  type ServerOptions,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';

/** The command the rule links of the Problems panel and "Learn more" run (the server links rule docs to it). */
const OPEN_RULE_DOCS_COMMAND = 'vzconf.openRuleDocs';

const KIND_TEXT: Record<string, string> = { node: 'node config (vz.conf)', container: 'container config', ct0: 'host CT0 config' };

/** The running client, kept so that {@link deactivate} can stop it. */
let client: LanguageClient | undefined;

/** URI scheme of the read-only "effective configuration" documents. */
const EFFECTIVE_SCHEME = 'vzconf-effective';

/** The keys under `vzconf.` declared in package.json (read at activation; nested paths such as `kb.urlTemplate`). */
function settingKeys(context: vscode.ExtensionContext): string[] {
  const pkg = context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } } };
  return Object.keys(pkg.contributes?.configuration?.properties ?? {})
    .filter((k) => k.startsWith('vzconf.'))
    .map((k) => k.slice('vzconf.'.length));
}

/**
 * The `vzconf` section for `scope` with only the values set explicitly (user, workspace, folder, and
 * their language-specific variants), nested as VS Code nests them (`{kb: {urlTemplate}}`).
 */
export function explicitSettings(keys: readonly string[], scope: vscode.Uri | undefined, restricted: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('vzconf', scope);
  const out: Record<string, unknown> = {};
  // `inspect` returns workspace values even where VS Code ignores them: in an untrusted workspace only
  // the user's own values of the restricted settings count.
  const trusted = vscode.workspace.isTrusted;
  for (const key of keys) {
    const i = config.inspect(key);
    if (!i) continue;
    const value = !trusted && restricted.has(key)
      ? (i.globalLanguageValue ?? i.globalValue)
      : (i.workspaceFolderLanguageValue ?? i.workspaceLanguageValue ?? i.globalLanguageValue ?? i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue);
    if (value === undefined) continue;
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return out;
}

/** The keys under `vzconf.` that package.json restricts in untrusted workspaces (`kb.urlTemplate`, `nodeConfig`). */
function restrictedKeys(context: vscode.ExtensionContext): Set<string> {
  const pkg = context.extension.packageJSON as { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } } };
  return new Set((pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []).filter((k) => k.startsWith('vzconf.')).map((k) => k.slice('vzconf.'.length)));
}

/**
 * Whether `vzconf.openUrl` may open `url`: an `https:` URL made only of URL characters (KB articles,
 * the rule docs online), or a `file:` URL of a Markdown page inside the extension (the bundled rule docs).
 * Anything else (`command:`, `javascript:`, `file:` elsewhere, `http:`) is refused.
 */
export function openableUrl(url: string, extensionRoot: vscode.Uri): vscode.Uri | undefined {
  try {
    return openable(url, extensionRoot);
  } catch {
    return undefined; // not a URI at all
  }
}

function openable(url: string, extensionRoot: vscode.Uri): vscode.Uri | undefined {
  if (/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#@!$&*+,;=%]*)?$/.test(url)) return vscode.Uri.parse(url, true);
  if (!url.startsWith('file:')) return undefined;
  const uri = vscode.Uri.parse(url, true);
  const root = extensionRoot.fsPath.endsWith('/') ? extensionRoot.fsPath : `${extensionRoot.fsPath}/`;
  return uri.scheme === 'file' && uri.fsPath.startsWith(root) && !uri.fsPath.includes('/../') && uri.fsPath.endsWith('.md') ? uri : undefined;
}

/** The vzconf document a command applies to: its argument, else the active editor's. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'vzconf' ? editor.document.uri : undefined;
}

/**
 * Activates the extension: starts the vzconf language server (`dist/server.js`), connects a language
 * client to it for `vzconf` documents in `file` and `untitled` schemes, and registers the commands.
 *
 * @param context The extension context supplied by VS Code; used to resolve the server path.
 * @returns A promise that settles once the client has been started.
 */
/**
 * How long the extension took to start, in milliseconds from the start of `activate()` (Date.now()
 * clock): `serverReadyMs` when the language server had answered initialize, `firstDiagnosticsMs` when the
 * first diagnostics (of any document, possibly none) arrived. Logged to the vzconf output channel and
 * returned by `activate()` as the extension's exports (`{ startup }`), which the e2e tier reports.
 */
export interface StartupTimes {
  serverReadyMs?: number;
  firstDiagnosticsMs?: number;
}

/** What `activate()` returns (the extension's `exports`). */
export interface VzconfExports {
  readonly startup: StartupTimes;
}

export async function activate(context: vscode.ExtensionContext): Promise<VzconfExports> {
  const activated = Date.now();
  const startup: StartupTimes = {};
  const serverModule = context.asAbsolutePath('dist/server.js');
  const keys = settingKeys(context);
  const log = vscode.window.createOutputChannel('vzconf', { log: true });
  context.subscriptions.push(log);
  log.info(`vzconf extension ${String((context.extension.packageJSON as { version?: unknown }).version)} activating in VS Code ${vscode.version}`);
  const restricted = restrictedKeys(context);

  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'vzconf' },
      { scheme: 'untitled', language: 'vzconf' },
    ],
    synchronize: { configurationSection: 'vzconf' },
    outputChannel: log,
    // workspaceTrusted: read by the server at initialize; later grants arrive as vzconf/didChangeWorkspaceTrust.
    // ruleDocsCommand: rule links (Problems panel) run vzconf.openRuleDocs, which shows the bundled page rendered, offline.
    // maxDiagnosticsPerFile: VS Code shows at most 1,000 diagnostics per file (its extension host drops the rest,
    // after parsing them); the server sends the ones VS Code would show and says how many it left out.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted, ruleDocsCommand: OPEN_RULE_DOCS_COMMAND, maxDiagnosticsPerFile: 1000 },
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        if (startup.firstDiagnosticsMs === undefined) {
          startup.firstDiagnosticsMs = Date.now() - activated;
          log.info(`first diagnostics ${startup.firstDiagnosticsMs} ms after activation (${diagnostics.length} for ${uri.scheme === 'file' ? JSON.stringify(uri.fsPath) : uri.scheme + ':'})`);
        }
        next(uri, diagnostics);
      },
      workspace: {
        // Only what the user set: the server layers it over .vzconf.yaml and its own defaults.
        configuration: async (params: ConfigurationParams, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) =>
            item.section === 'vzconf' ? explicitSettings(keys, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined, restricted) : answers[i]);
        },
      },
    },
  };

  const lc = new LanguageClient('vzconf', 'vzconf', serverOptions, clientOptions);
  client = lc;
  // The server ignores .vzconf.yaml's nodeConfig and kb.urlTemplate while the workspace is untrusted.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void lc.sendNotification('vzconf/didChangeWorkspaceTrust', { trusted: true });
    }),
  );

  const effective = new EffectiveConfigProvider(lc);
  /** Opens a bundled Markdown page rendered (the Markdown preview), else as text. */
  const showMarkdown = async (uri: vscode.Uri): Promise<void> => {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch (err) {
      log.warn(`markdown preview unavailable (${err instanceof Error ? err.message : String(err)}); opening ${uri.fsPath} as text`);
      await vscode.window.showTextDocument(uri, { preview: true });
    }
  };
  const status = new StatusItems(lc, log);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effective),
    effective,
    status,
    vscode.commands.registerCommand('vzconf.openUrl', async (url: unknown) => {
      if (typeof url !== 'string') return;
      const uri = openableUrl(url, context.extensionUri);
      if (!uri) {
        log.warn(`vzconf.openUrl: refused ${JSON.stringify(url.slice(0, 100))}`);
        void vscode.window.showWarningMessage(`vzconf: not opening ${JSON.stringify(url.slice(0, 100))}: only https: links and the bundled rule docs are opened.`);
        return;
      }
      // Rule docs ship as Markdown: show them rendered; https: goes to the browser.
      if (uri.scheme === 'file') await showMarkdown(uri);
      else await vscode.env.openExternal(uri);
    }),
    vscode.commands.registerCommand(OPEN_RULE_DOCS_COMMAND, async (rule: unknown) => {
      if (typeof rule !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule)) {
        log.warn(`${OPEN_RULE_DOCS_COMMAND}: not a rule id: ${JSON.stringify(rule)}`);
        return;
      }
      let file: string | undefined;
      try {
        file = ruleDocsPage(rule, { extensionRoot: context.extensionPath, storageRoot: context.globalStorageUri.fsPath, version: String((context.extension.packageJSON as { version?: unknown }).version ?? '') });
      } catch (err) {
        log.error(`rule docs: ${rule}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (file === undefined) {
        void vscode.window.showWarningMessage(`vzconf: no documentation page for the rule ${rule}.`);
        return;
      }
      log.info(`rule docs: ${rule}`);
      await showMarkdown(vscode.Uri.file(file));
    }),
    vscode.commands.registerCommand('vzconf.copyToClipboard', async (text: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`vzconf: copied ${text}`, 5000);
    }),
    vscode.commands.registerCommand('vzconf.selectTarget', async () => status.selectTarget()),
    vscode.commands.registerCommand('vzconf.showLog', () => log.show(true)),
    vscode.commands.registerCommand('vzconf.lintWorkspace', async () => {
      const started = Date.now();
      const token = `vzconf-lint-${started}-${Math.random().toString(36).slice(2)}`;
      let result: { files: number; filesWithFindings: number; errors: number; warnings: number; infos: number; hints: number; problems: string[] } | null;
      try {
        // In the status bar while it runs; the server reports how many files are done.
        result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'vzconf: linting the workspace' },
          async (progress) => {
            let last = 0;
            const sub = lc.onProgress(WorkDoneProgress.type, token, (v) => {
              if (v.kind === 'end') return;
              const p = v as WorkDoneProgressBegin | WorkDoneProgressReport;
              const pct = typeof p.percentage === 'number' ? p.percentage : undefined;
              progress.report({ ...(p.message ? { message: p.message } : {}), ...(pct !== undefined && pct > last ? { increment: pct - last } : {}) });
              if (pct !== undefined) last = Math.max(last, pct);
            });
            try {
              return (await lc.sendRequest(ExecuteCommandRequest.type, { command: 'vzconf.server.lintWorkspace', arguments: [], workDoneToken: token })) as typeof result;
            } finally {
              sub.dispose();
            }
          },
        );
      } catch (err) {
        log.error(`linting the workspace failed: ${err instanceof Error ? err.message : String(err)}`);
        void vscode.window.showErrorMessage(`vzconf: linting the workspace failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (!result) return;
      const message = `vzconf: ${result.files} config file(s) checked, ${result.filesWithFindings} with findings: ${result.errors} error(s), ${result.warnings} warning(s), ${result.infos} info, ${result.hints} hint(s).`;
      log.info(`${message} (${Date.now() - started} ms in the editor)`);
      for (const p of result.problems) log.warn(`workspace lint: ${p}`);
      if (result.problems.length > 0) void vscode.window.showWarningMessage(`${message} Problems: ${result.problems.join('; ')}`);
      else void vscode.window.setStatusBarMessage(message, 10_000);
    }),
    vscode.commands.registerCommand('vzconf.showEffectiveConfig', async (arg: unknown) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showWarningMessage('vzconf: open a container config (CTID.conf) first.');
        return;
      }
      const base = uri.path.split('/').pop() ?? 'config';
      const virtual = vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/${base} (effective)`, query: uri.toString() });
      effective.refresh(virtual);
      const doc = await vscode.workspace.openTextDocument(virtual);
      await vscode.languages.setTextDocumentLanguage(doc, 'vzconf');
      // One column for every effective configuration: the one already showing one, else beside.
      const shown = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === EFFECTIVE_SCHEME));
      const column = shown?.viewColumn ?? effectiveColumn ?? vscode.ViewColumn.Beside;
      const editor = await vscode.window.showTextDocument(doc, { preview: true, viewColumn: column });
      effectiveColumn = editor.viewColumn;
    }),
  );

  try {
    await lc.start();
  } catch (err) {
    log.error(`the language server did not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    throw err;
  }
  startup.serverReadyMs = Date.now() - activated;
  log.info(`language server ready ${startup.serverReadyMs} ms after activation`);
  status.start(context);
  return { startup };
}

/** The editor column the effective configuration was last shown in (reused, so runs do not open new groups). */
let effectiveColumn: vscode.ViewColumn | undefined;

/**
 * The Language Status items of vzconf files: how the active file is checked (kind, target and why, with
 * "Change target") and the node vz.conf it is checked with (with "Open"). Refreshed when the active
 * editor, the settings or the file's diagnostics change.
 */
class StatusItems implements vscode.Disposable {
  private readonly target = vscode.languages.createLanguageStatusItem('vzconf.target', { language: 'vzconf' });
  private readonly node = vscode.languages.createLanguageStatusItem('vzconf.node', { language: 'vzconf' });
  private readonly disposables: vscode.Disposable[] = [];
  private last: DocumentStatus | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly lc: LanguageClient, private readonly log: vscode.LogOutputChannel) {
    this.target.name = 'vzconf: target';
    this.target.text = 'vzconf';
    this.target.command = { title: 'Change target', command: 'vzconf.selectTarget' };
    this.node.name = 'vzconf: node config';
    this.node.text = 'no vz.conf';
  }

  start(context: vscode.ExtensionContext): void {
    const soon = (): void => this.schedule();
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(soon),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vzconf')) soon();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) soon();
      }),
    );
    for (const d of this.disposables) context.subscriptions.push(d);
    soon();
  }

  private schedule(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.update(), 100);
  }

  /** Asks the server how the active vzconf document is checked and shows it. */
  async update(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'vzconf' || !this.lc.isRunning()) return;
    let s: DocumentStatus | null;
    try {
      s = await this.lc.sendRequest<DocumentStatus | null>('vzconf/documentStatus', { uri: doc.uri.toString() });
    } catch (err) {
      this.log.error(`status of ${doc.uri.toString()}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!s) return;
    this.last = s;
    const kind = KIND_TEXT[s.kind] ?? s.kind;
    this.target.text = `${s.targetText} · ${kind}`;
    // Short: the status bar hover has one line per item (the first line's hover explains in full).
    this.target.detail = s.targetReason.startsWith('auto') ? 'auto-detected' : 'from vzconf.target';
    this.target.severity = s.error ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    if (s.error) this.target.detail = `invalid setting: ${s.error}`;
    this.target.command = { title: 'Change target', command: 'vzconf.selectTarget', tooltip: 'Set vzconf.target for this workspace folder' };
    if (s.kind === 'node') {
      this.node.text = 'this is the node config';
      this.node.detail = 'container configs of this node are checked with it';
      this.node.command = undefined;
    } else if (s.nodeConfig) {
      this.node.text = `node: ${vscode.workspace.asRelativePath(s.nodeConfig)}`;
      this.node.detail = 'the vz.conf this file is checked with';
      this.node.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(s.nodeConfig)] };
    } else {
      this.node.text = 'no node vz.conf';
      this.node.detail = "checked with vzctl's defaults (set vzconf.nodeConfig to name one)";
      this.node.command = undefined;
    }
  }

  /** Quick pick of `vzconf.target` values, written to the active file's workspace folder (else the workspace, else the user settings). */
  async selectTarget(): Promise<void> {
    await this.update();
    const doc = vscode.window.activeTextEditor?.document;
    const folder = doc ? vscode.workspace.getWorkspaceFolder(doc.uri) : undefined;
    const config = vscode.workspace.getConfiguration('vzconf', folder?.uri ?? doc?.uri);
    const current = config.get<string>('target') ?? 'auto';
    const targets = this.last?.targets ?? ['auto', 'classic', 'vz7'];
    const items = targets.map((t) => ({ label: t, description: t === current ? 'current setting' : t === this.last?.target ? 'in use' : '' }));
    const pick = await vscode.window.showQuickPick(items, { title: 'vzconf: which vzctl are the files checked against?', placeHolder: `now: ${this.last?.targetText ?? current}` });
    if (!pick) return;
    const where = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('target', pick.label === 'auto' ? undefined : pick.label, where);
    this.log.info(`vzconf.target set to ${pick.label}${folder ? ` for ${folder.uri.fsPath}` : ''}`);
    this.schedule();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.target.dispose();
    this.node.dispose();
  }
}

/** Serves `vzconf-effective:` documents: the text comes from the server (`vzconf/effectiveConfig`). */
class EffectiveConfigProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly lc: LanguageClient) {}

  /** Asks VS Code to fetch the text again (the files may have changed since it was shown). */
  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    try {
      const result = await this.lc.sendRequest<{ name: string; text: string }>('vzconf/effectiveConfig', { uri: uri.query });
      return result.text;
    } catch (err) {
      return `# vzconf: cannot compute the effective configuration of ${uri.query}:\n# ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Deactivates the extension: stops the language client (and with it the server process).
 *
 * @returns A promise that settles once the client has stopped, or immediately if none was running.
 */
export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  // `stop()` throws unless the client is running (e.g. after a failed start).
  if (running === undefined || !running.isRunning()) {
    return;
  }
  await running.stop();
}
