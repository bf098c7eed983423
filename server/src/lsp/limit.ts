/**
 * The per-file diagnostics limit a client asks for (`initializationOptions.maxDiagnosticsPerFile`): which
 * findings are published when there are more than the client shows, and what counts as a valid limit.
 * Pure functions; server.ts turns the result into LSP diagnostics.
 */
import type { Finding } from '../rules/types';

/** The order in which findings get the limited room: errors first (as VS Code's own limit keeps them). */
const SEVERITY_ORDER = ['error', 'warning', 'info', 'hint'] as const;

/**
 * Reads `initializationOptions.maxDiagnosticsPerFile`: a whole number from 1 to 2^53 - 1, or absent
 * (`undefined` or `null`: no limit). Anything else (0, negative, a fraction, Infinity, a string) is ignored:
 * `max` is undefined and `problem` is one log line (at most ~100 characters, the value JSON-quoted and cut).
 */
export function readMaxDiagnosticsPerFile(value: unknown): { max?: number; problem?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return { max: value };
  const shown = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
  const cut = shown.length > 24 ? `${shown.slice(0, 23)}…` : shown;
  return { problem: `maxDiagnosticsPerFile ${cut} ignored (not a whole number ≥ 1): no limit` };
}

/** Which findings of a file are published under a limit (see {@link limitFindings}). */
export interface LimitedFindings {
  /** The findings to publish, in their original order (of position). */
  shown: Finding[];
  /** How many findings are not published; 0 when all are. */
  hidden: number;
  /**
   * Where the "N more findings are not shown" marker goes (the last shown finding, or, when none is shown,
   * the first finding by severity); undefined when nothing is hidden.
   */
  markerAt?: Finding;
}

/**
 * The findings a client with a limit of `max` diagnostics per file is sent, when `others` diagnostics (e.g.
 * a node-config problem) are published beside them. All fit: all of them. Otherwise the room left
 * (`max - others`) holds the first findings by severity (errors first, then in order of position) and one
 * marker that says how many are not shown: room - 1 findings and the marker. With a room of 1 or less only
 * the marker is sent (at the first, most severe finding), so a client never loses the fact that findings
 * exist: a client that asks for 1 gets the marker alone, and with a node-config problem beside it 2
 * diagnostics. `max` undefined: no limit.
 */
export function limitFindings(findings: readonly Finding[], max: number | undefined, others = 0): LimitedFindings {
  const room = max === undefined ? Infinity : max - others;
  if (findings.length <= room) return { shown: [...findings], hidden: 0 };
  const keep = Math.max(0, room - 1);
  const picked = new Set<Finding>();
  let markerAt: Finding | undefined;
  pick: for (const severity of SEVERITY_ORDER) {
    for (const f of findings) {
      if (f.severity !== severity) continue;
      if (picked.size === keep) {
        // Nothing shown at all: the marker stands at the first, most severe finding.
        markerAt ??= f;
        break pick;
      }
      picked.add(f);
      markerAt = f;
    }
  }
  return { shown: findings.filter((f) => picked.has(f)), hidden: findings.length - keep, markerAt: markerAt ?? findings[0] };
}
