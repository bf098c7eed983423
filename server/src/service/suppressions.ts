/**
 * Applies suppression comments (`# vzconf-disable-next-line …`, `# vzconf-disable …`; see
 * `server/src/rules/suppressions.ts` for the syntax) to findings. `lint()` runs every per-file finding
 * through it and `lintNode()` every node-level finding, so the editor and vzlint agree.
 */
import type { ConfigDocument } from '../parser/types';
import { parseSuppressions } from '../rules/suppressions';
import type { Finding } from '../rules/types';

/** Filters findings by one file's suppression comments. */
export interface SuppressionFilter {
  /** The findings that no suppression comment silences (all of them when suppressions are ignored). */
  apply(findings: readonly Finding[]): Finding[];
}

/** What a file's suppression comments silence: rule ids for the whole file, and per (model) line. */
export interface SuppressionSets {
  fileWide: Set<string>;
  byLine: Map<number, Set<string>>;
}

/** The rules a parsed file's suppression comments silence, or undefined when it has none. */
export function suppressionSets(doc: ConfigDocument): SuppressionSets | undefined {
  const { directives } = parseSuppressions(doc);
  if (directives.length === 0) return undefined;
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const d of directives) {
    if (d.scope === 'file') {
      for (const n of d.names) fileWide.add(n.id);
    } else if (d.targetLine !== undefined) {
      const set = byLine.get(d.targetLine) ?? new Set<string>();
      for (const n of d.names) set.add(n.id);
      byLine.set(d.targetLine, set);
    }
  }
  return { fileWide, byLine };
}

/**
 * The suppression filter of a parsed file.
 *
 * A finding is silenced when its rule is named by a `vzconf-disable` comment anywhere in the file, or by
 * a `vzconf-disable-next-line` comment whose target line is the line the finding starts on. With
 * `ignore` (setting `vzconf.ignoreSuppressions`, `vzlint --ignore-suppressions`) nothing is silenced.
 */
export function suppressionFilter(doc: ConfigDocument, options: { ignore?: boolean } = {}): SuppressionFilter {
  if (options.ignore) return { apply: (findings) => [...findings] };
  const sets = suppressionSets(doc);
  if (!sets) return { apply: (findings) => [...findings] };
  const { fileWide, byLine } = sets;
  return {
    apply: (findings) => findings.filter((f) => !fileWide.has(f.rule) && !byLine.get(f.range.start.line)?.has(f.rule)),
  };
}
