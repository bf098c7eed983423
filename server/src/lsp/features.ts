/**
 * Protocol wiring of the editor features: completion, document symbols, folding ranges, document
 * links, inlay hints and formatting. Each handler reads the document's current text, asks the caller
 * for the document's options (settings), calls the pure service function and returns its LSP-shaped
 * result. No handler lets an exception escape: an invalid setting (OptionError, already reported as a
 * diagnostic by the lint) answers empty, anything else is logged to the client's console first.
 *
 * server.ts spreads {@link editorCapabilities} into its InitializeResult and calls
 * {@link registerEditorFeatures} once after creating the document manager.
 */
import type {
  CompletionItem,
  Connection,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  InlayHint,
  ServerCapabilities,
  TextDocuments,
  TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { computeCompletions } from '../service/completion';
import { computeDocumentLinks } from '../service/links';
import { computeDocumentSymbols } from '../service/symbols';
import { computeFoldingRanges } from '../service/folding';
import { computeFormatting } from '../service/format';
import { computeInlayHints } from '../service/inlayHints';
import { OptionError } from '../service/lint';
import { documentUri, isRange, positionParams } from './params';

/** What the editor features need to know about a document, from the settings of its resource. */
export interface EditorFeatureOptions {
  /** File-system path of the document (tells vz.conf from CTID.conf). */
  path?: string;
  /** `vzconf.target`. */
  target?: string;
  /** `vzconf.kind`. */
  kind?: string;
  /** `vzconf.kb.urlTemplate`. */
  kbUrlTemplate?: string;
  /** `vzconf.inlayHints.enabled`: `false` turns inlay hints off. */
  inlayHints?: boolean;
  /** Sample names in the node's conf/ folder, offered first for CONFIGFILE / ORIGIN_SAMPLE. */
  samples?: string[];
}

/** Characters that open completion: after `=` and `"` (a value starts), blank and `,` (next list item), `:` (`name:` → on/off). */
export const COMPLETION_TRIGGERS = ['=', '"', ' ', ',', ':'];

/** The ServerCapabilities fields of the editor features, to spread into the InitializeResult. */
export const editorCapabilities = {
  completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  documentLinkProvider: { resolveProvider: false },
  inlayHintProvider: true,
  documentFormattingProvider: true,
} satisfies ServerCapabilities;

/**
 * Asks the client to re-request inlay hints (after `vzconf.inlayHints.enabled` or another setting
 * changed). Clients without refresh support answer with an error, which is ignored.
 */
export function refreshInlayHints(connection: Connection): void {
  connection.languages.inlayHint.refresh().catch(() => undefined);
}

/**
 * Registers the completion, document symbol, folding range, document link, inlay hint and
 * formatting handlers on `connection`.
 *
 * @param connection  the server's connection
 * @param documents   the document manager (already listening or about to)
 * @param getOptions  the options of a document URI (its path and `vzconf.*` settings)
 */
export function registerEditorFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  getOptions: (uri: string) => Promise<EditorFeatureOptions>,
): void {
  const logError = (what: string, err: unknown): void => {
    if (err instanceof OptionError) return;
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      connection.console.error(`vzconf: ${what}: ${text}`);
    } catch {
      // The connection is gone.
    }
  };
  /** Runs `fn` on the document's current text and options; `fallback` when it is not open (or `uri` is undefined) or `fn` throws. */
  const withDocument = async <T>(uri: string | undefined, what: string, fallback: T, fn: (text: string, options: EditorFeatureOptions) => T): Promise<T> => {
    try {
      // (undefined: the params name no document, or not validly: see ./params.)
      if (uri === undefined || !documents.get(uri)) return fallback;
      const options = await getOptions(uri);
      const doc = documents.get(uri);
      if (!doc) return fallback;
      return fn(doc.getText(), options);
    } catch (err) {
      logError(`${what} in ${uri} failed`, err);
      return fallback;
    }
  };
  const lintOptions = (o: EditorFeatureOptions): { path?: string; target?: string; kind?: string } => ({
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.target !== undefined ? { target: o.target } : {}),
    ...(o.kind !== undefined ? { kind: o.kind } : {}),
  });

  connection.onCompletion(async (raw) => {
    // Any JSON may arrive: a position that is none answers an empty list, as for a document that is not open.
    const params = positionParams(raw);
    if (!params) return [];
    return withDocument<CompletionItem[]>(params.uri, 'completion', [], (text, o) =>
      computeCompletions(text, params.position, {
        ...lintOptions(o),
        ...(o.kbUrlTemplate !== undefined ? { kbUrlTemplate: o.kbUrlTemplate } : {}),
        ...(o.samples ? { samples: o.samples } : {}),
      }) as CompletionItem[]);
  });

  connection.onDocumentSymbol((params) =>
    withDocument<DocumentSymbol[]>(documentUri(params), 'document symbols', [], (text, o) =>
      computeDocumentSymbols(text, lintOptions(o)) as DocumentSymbol[]));

  connection.onFoldingRanges((params) =>
    withDocument<FoldingRange[]>(documentUri(params), 'folding ranges', [], (text) => computeFoldingRanges(text)));

  connection.onDocumentLinks((params) =>
    withDocument<DocumentLink[]>(documentUri(params), 'document links', [], (text) => computeDocumentLinks(text)));

  connection.languages.inlayHint.on((params) =>
    withDocument<InlayHint[]>(isRange((params as { range?: unknown } | null)?.range) ? documentUri(params) : undefined, 'inlay hints', [], (text, o) =>
      computeInlayHints(text, params.range, { ...lintOptions(o), ...(o.inlayHints !== undefined ? { inlayHints: o.inlayHints } : {}) }) as InlayHint[]));

  connection.onDocumentFormatting((params) =>
    withDocument<TextEdit[]>(documentUri(params), 'formatting', [], (text) => computeFormatting(text)));
}
