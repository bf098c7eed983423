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
 * - `vzconf.openUrl` and `vzconf.copyToClipboard` — run by code actions ("Open rule docs", "Open KB
 *   article …", "Copy as a vzctl set command").
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type ConfigurationParams,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

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
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const keys = settingKeys(context);
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
    outputChannelName: 'vzconf',
    // Read by the server at initialize; later grants arrive as vzconf/didChangeWorkspaceTrust.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    middleware: {
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
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effective),
    effective,
    vscode.commands.registerCommand('vzconf.openUrl', async (url: unknown) => {
      if (typeof url !== 'string') return;
      const uri = openableUrl(url, context.extensionUri);
      if (!uri) {
        void vscode.window.showWarningMessage(`vzconf: not opening ${JSON.stringify(url.slice(0, 100))}: only https: links and the bundled rule docs are opened.`);
        return;
      }
      if (uri.scheme === 'file') {
        // Rule docs ship as Markdown: show them rendered, else as text.
        try {
          await vscode.commands.executeCommand('markdown.showPreview', uri);
        } catch {
          await vscode.window.showTextDocument(uri, { preview: true });
        }
      } else {
        await vscode.env.openExternal(uri);
      }
    }),
    vscode.commands.registerCommand('vzconf.copyToClipboard', async (text: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`vzconf: copied ${text}`, 5000);
    }),
    vscode.commands.registerCommand('vzconf.lintWorkspace', async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'vzconf: linting the configs of the workspace…' },
        () => lc.sendRequest(ExecuteCommandRequest.type, { command: 'vzconf.server.lintWorkspace', arguments: [] }),
      ) as { files: number; filesWithFindings: number; errors: number; warnings: number; infos: number; hints: number; problems: string[] } | null;
      if (!result) return;
      const message = `vzconf: ${result.files} config file(s) checked, ${result.filesWithFindings} with findings: ${result.errors} error(s), ${result.warnings} warning(s), ${result.infos} info, ${result.hints} hint(s).`;
      if (result.problems.length > 0) void vscode.window.showWarningMessage(`${message} Problems: ${result.problems.join('; ')}`);
      else void vscode.window.showInformationMessage(message);
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
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );

  await lc.start();
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
