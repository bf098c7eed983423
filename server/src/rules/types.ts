import type { CatalogIndex } from '../catalog/load';
import type { ParameterDef, Severity, StatusEntry } from '../catalog/types';
import type { FileKind } from '../model/kind';
import type { Target } from '../model/target';
import type { ConfigDocument, Entry, Range } from '../parser/types';
import type { ValueCheck } from '../values/validate';

/** A replacement of `range` by `newText` (LSP TextEdit shape). */
export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * A fix for one finding. `safe` fixes cannot change what the node does beyond what the user wrote
 * (quoting, spacing, merging duplicates as vzctl reads them, dropping what vzctl ignores anyway);
 * they may be applied in bulk. Others (widening netfilter access, changing limits) are offered one by one.
 */
export interface Fix {
  /** At most 80 characters, plain text; a side effect that matters is named in a few words ("… — widens access"). */
  title: string;
  /** The side effect in full, for the diff preview or the hover (plain text). */
  detail?: string;
  edits: TextEdit[];
  safe: boolean;
}

/** One result of a rule, before it becomes an LSP diagnostic or a CLI line. */
export interface Finding {
  /** The rule's public id (schemas/rules/*.yaml). */
  rule: string;
  severity: Severity;
  /**
   * One sentence of at most 100 characters: the parameter, what is wrong, what vzctl does and, only
   * where the finding depends on it, the target version. Quoted file text is cut to 30 characters.
   */
  message: string;
  /**
   * The long explanation (why, version history, numbers), plain text: `vzlint --explain`, the JSON
   * output's `detail` and the LSP diagnostic's `data.detail` (for the hover).
   */
  detail?: string;
  /**
   * Ids of the behaviour facts (schemas/behaviours.yaml) the message states, e.g. `classic.value-invalid`:
   * each must hold for the target and the config's UBC/vSwap mode (test/unit/messages.test.ts).
   */
  facts?: string[];
  range: Range;
  /** Carries the LSP Deprecated tag (strike-through). */
  deprecated?: boolean;
  /** Carries the LSP Unnecessary tag (faded): vzctl ignores the line. */
  unnecessary?: boolean;
  fixes?: Fix[];
}

/** Everything a rule may read. Built once per lint; rules never re-parse. */
export interface LintContext {
  doc: ConfigDocument;
  kind: FileKind;
  /** Why the kind was chosen (file name, content, or setting). */
  kindReason: string;
  target: Target;
  catalog: CatalogIndex;
  /** The catalogue entry for an entry's key (by its trimmed name, aliases included), if any. */
  def(entry: Entry): ParameterDef | undefined;
  /** Whether the target's generation knows the parameter at the target's version. */
  known(def: ParameterDef): boolean;
  /** Status entries (deprecated / ignored / removed) active for the target and this file kind. */
  status(def: ParameterDef): StatusEntry[];
  /** Value checks of entries whose key is known and whose line vzctl keeps, computed once. */
  values: ValueChecks;
  /** Entries vzctl actually reads (not skipped, not inside a multi-line shell value). Shared (it may be `doc.entries` itself): never modify it. */
  live: readonly Entry[];
  /**
   * The entries of `live` whose key is a catalogue parameter written as it is named (no stray blanks), by
   * the parameter's name (aliases under their parameter), in file order: built once per lint, so that the
   * rules and the node checks, which ask for a few parameters each, do not scan the file once per question.
   * Shared: never modify a list.
   */
  byName: ReadonlyMap<string, Entry[]>;
  /** The file's path, when known. */
  path?: string;
  /**
   * The node's vz.conf, analysed with the same target, when this is a container config checked
   * together with its node (vzctl reads vz.conf first, then CTID.conf).
   */
  node?: LintContext;
  /** Host capacity for resource checks (from settings / `--node-ram`, `--node-swap`), in bytes. */
  capacity?: NodeCapacity;
  /**
   * Set when the file is a template (Jinja2, ERB, ISPConfig, … see `parser/template.ts`): `doc` is
   * the masked text, placeholders are runs of U+E000 and control lines are comments.
   */
  template?: import('../parser/template').TemplateScan;
  /**
   * The file is beyond the size limit (`limits.ts` MAX_FILE_BYTES): `doc` is the empty document and only
   * `file-too-large` is reported for it.
   */
  tooLarge?: boolean;
  /**
   * Suppression comments are ignored (`ignoreSuppressions`): rules that group lines (duplicate-parameter)
   * then group and fix the lines those comments cover too.
   */
  ignoreSuppressions?: boolean;
}

/**
 * The value checks of a file's entries (see {@link LintContext.values}): read like a `ReadonlyMap` from
 * entry to check, iterated in file order.
 */
export interface ValueChecks extends Iterable<[Entry, ValueCheck]> {
  get(entry: Entry): ValueCheck | undefined;
  has(entry: Entry): boolean;
  forEach(fn: (check: ValueCheck, entry: Entry) => void): void;
  readonly size: number;
}

/** What the node has, in bytes. */
export interface NodeCapacity {
  ramBytes?: bigint;
  swapBytes?: bigint;
}

/** A rule module: its id (metadata in schemas/rules/*.yaml) and a pure check. */
export interface Rule {
  id: string;
  check(ctx: LintContext): Finding[];
  /**
   * The facts of a file (bits of `rules/facts.ts`) without one of which the rule reports nothing: `lint()`
   * calls it only for a file that has one of them. Absent: always called.
   */
  needs?: number;
}
