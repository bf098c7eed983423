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

/**
 * What a file's suppression comments silence: rule ids for the whole file, per (model) line, and per rule the
 * blocks of lines (`[disable line, enable line]`, inclusive) a `vzconf-disable` … `vzconf-enable` pair covers.
 */
export interface SuppressionSets {
  fileWide: Set<string>;
  byLine: Map<number, Set<string>>;
  blocks?: Map<string, [number, number][]>;
}

/** Whether `sets` silence a finding of `rule` that starts on (model) line `line`. */
export function isSuppressed(sets: SuppressionSets, rule: string, line: number): boolean {
  if (sets.fileWide.has(rule) || sets.byLine.get(line)?.has(rule) === true) return true;
  const blocks = sets.blocks?.get(rule);
  return blocks !== undefined && blocks.some(([from, to]) => line > from && line < to);
}

/** The rules a parsed file's suppression comments silence, or undefined when it has none. */
export function suppressionSets(doc: ConfigDocument): SuppressionSets | undefined {
  const { directives } = parseSuppressions(doc);
  if (directives.length === 0) return undefined;
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  let blocks: Map<string, [number, number][]> | undefined;
  for (const d of directives) {
    if (d.scope === 'file') {
      for (const n of d.names) {
        const to = d.block?.get(n.id);
        if (to === undefined) fileWide.add(n.id);
        else {
          blocks ??= new Map();
          const list = blocks.get(n.id) ?? [];
          list.push([d.line, to]);
          blocks.set(n.id, list);
        }
      }
    } else if (d.scope === 'line' && d.targetLine !== undefined) {
      const set = byLine.get(d.targetLine) ?? new Set<string>();
      for (const n of d.names) set.add(n.id);
      byLine.set(d.targetLine, set);
    }
  }
  return blocks ? { fileWide, byLine, blocks } : { fileWide, byLine };
}

/**
 * The suppression filter of a parsed file.
 *
 * A finding is silenced when its rule is named by a `vzconf-disable` comment anywhere in the file (between
 * that comment and a later `vzconf-enable` of the rule, when there is one), or by a
 * `vzconf-disable-next-line` comment whose target line is the line the finding starts on. With
 * `ignore` (setting `vzconf.ignoreSuppressions`, `vzlint --ignore-suppressions`) nothing is silenced.
 */
export function suppressionFilter(doc: ConfigDocument, options: { ignore?: boolean } = {}): SuppressionFilter {
  if (options.ignore) return { apply: (findings) => [...findings] };
  const sets = suppressionSets(doc);
  if (!sets) return { apply: (findings) => [...findings] };
  return {
    apply: (findings) => findings.filter((f) => !isSuppressed(sets, f.rule, f.range.start.line)),
  };
}
