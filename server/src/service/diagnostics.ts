import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { findSchemasDir } from '../catalog/load';
import type { Finding } from '../rules/types';

/** LSP DiagnosticSeverity numbers. */
const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;
/** LSP DiagnosticTag numbers. */
const TAG_UNNECESSARY = 1;
const TAG_DEPRECATED = 2;
const TAGS_DEPRECATED: readonly number[] = Object.freeze([TAG_DEPRECATED]);
const TAGS_UNNECESSARY: readonly number[] = Object.freeze([TAG_UNNECESSARY]);
const TAGS_BOTH: readonly number[] = Object.freeze([TAG_DEPRECATED, TAG_UNNECESSARY]);

/**
 * An LSP Diagnostic as the server publishes it (a class of its own, so the engine does not depend on
 * vscode-languageserver and the frame writer knows the shape: lsp/json.ts writes instances field by field;
 * `JSON.stringify` of one gives the same JSON). Its fields are exactly these, set once by
 * {@link toDiagnostic}: range (the finding's own object), severity, code, codeDescription, source,
 * message and, when a tag applies, tags. It carries no `data`: a document can have 10,000 of them and
 * every byte is serialized on each keystroke, so the fixes stay in the server's lint result of that
 * document version and code actions look them up there (`FindingIndex` in ./codeActions). About 290
 * bytes of JSON each with a file: docs link.
 */
export class LspDiagnostic {
  // Declared in the order JSON shows them (and lsp/json.ts writes them).
  readonly range: Finding['range'];
  readonly severity: 1 | 2 | 3 | 4;
  /** The rule id. */
  readonly code: string;
  /** Shared by every diagnostic of the rule (frozen). */
  readonly codeDescription: { readonly href: string };
  readonly source = 'vzconf' as const;
  readonly message: string;
  /** Unnecessary (1) and Deprecated (2); absent when neither applies. */
  declare readonly tags?: readonly number[];

  constructor(range: Finding['range'], severity: 1 | 2 | 3 | 4, code: string, codeDescription: { readonly href: string }, message: string, tags?: readonly number[]) {
    this.range = range;
    this.severity = severity;
    this.code = code;
    this.codeDescription = codeDescription;
    this.message = message;
    if (tags !== undefined) (this as { tags?: readonly number[] }).tags = tags;
  }
}

let docsRoot: string | undefined;

/**
 * URL of a rule's documentation page: `docs/rules/<id>.md` next to `schemas/` (in the repository
 * or the installed extension), as a file: URL.
 */
export function ruleDocsUrl(rule: string): string {
  // Once per rule, not once per diagnostic (a document can have thousands).
  let url = docsUrls.get(rule);
  if (url === undefined) {
    docsRoot ??= join(dirname(findSchemasDir()), 'docs', 'rules');
    url = pathToFileURL(join(docsRoot, `${rule}.md`)).href;
    if (docsUrls.size < 1000) docsUrls.set(rule, url);
  }
  return url;
}
const docsUrls = new Map<string, string>();
const docsHrefs = new Map<string, string>();

/**
 * The `codeDescription.href` of a rule: a `command:` URI running `docsCommand` with the rule id when the
 * client has such a command (the VS Code extension's `vzconf.openRuleDocs`, which shows the bundled page
 * in the Markdown preview, the same way as the "Learn more" action), else the page's file: URL
 * ({@link ruleDocsUrl}) that any client can open.
 */
export function ruleDocsHref(rule: string, docsCommand?: string): string {
  if (docsCommand) {
    const key = `${docsCommand}\0${rule}`;
    let href = docsHrefs.get(key);
    if (href === undefined) {
      href = `command:${docsCommand}?${encodeURIComponent(JSON.stringify([rule]))}`;
      if (docsHrefs.size < 1000) docsHrefs.set(key, href);
    }
    return href;
  }
  return ruleDocsUrl(rule);
}

/** The `codeDescription` of a rule's diagnostics: one frozen object per (rule, docs command), shared by all of them. */
const codeDescriptions = new Map<string, { readonly href: string }>();
function codeDescriptionOf(rule: string, docsCommand: string | undefined): { readonly href: string } {
  // Diagnostics come in runs of one rule (10,000 duplicates of a key): the last answer first, with no key built.
  if (rule === lastCd.rule && docsCommand === lastCd.docsCommand) return lastCd.cd;
  const key = docsCommand ? `${docsCommand}\0${rule}` : rule;
  let cd = codeDescriptions.get(key);
  if (cd === undefined) {
    cd = Object.freeze({ href: ruleDocsHref(rule, docsCommand) });
    if (codeDescriptions.size < 1000) codeDescriptions.set(key, cd);
  }
  lastCd = { rule, docsCommand, cd };
  return cd;
}
let lastCd: { rule: string; docsCommand: string | undefined; cd: { readonly href: string } } = { rule: '', docsCommand: undefined, cd: { href: '' } };

/** Options of {@link toDiagnostic}. */
export interface ToDiagnosticOptions {
  /** Client command that opens a rule's docs page (see {@link ruleDocsHref}); absent: a file: URL. */
  docsCommand?: string;
}

/**
 * Converts a finding into an LSP diagnostic: code = rule id, source "vzconf", docs link, tags. Neither
 * the fixes nor the long `detail` travel with it (see {@link LspDiagnostic}); the range object is the
 * finding's own (not copied).
 */
export function toDiagnostic(f: Finding, options: ToDiagnosticOptions = {}): LspDiagnostic {
  const codeDescription = codeDescriptionOf(f.rule, options.docsCommand);
  if (!f.deprecated && !f.unnecessary) return new LspDiagnostic(f.range, SEVERITY[f.severity], f.rule, codeDescription, f.message);
  // One frozen array per combination, shared (the frame writer then reuses the encoded end of the last one).
  const tags = f.deprecated ? (f.unnecessary ? TAGS_BOTH : TAGS_DEPRECATED) : TAGS_UNNECESSARY;
  return new LspDiagnostic(f.range, SEVERITY[f.severity], f.rule, codeDescription, f.message, tags);
}
