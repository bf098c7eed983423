/**
 * Shape checks of LSP positions and ranges received from a client (request params, the diagnostics a
 * code-action request sends back): any JSON can arrive, so nothing is trusted before these say so.
 */
import type { Position, Range } from '../parser/types';

/** The largest `uinteger` of the LSP specification (2^31 - 1). */
const MAX_UINTEGER = 2 ** 31 - 1;

/** Whether `v` is an LSP `uinteger`: an integer from 0 to 2^31 - 1. */
function isUinteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_UINTEGER;
}

/** Whether `p` is an LSP Position: `{ line, character }`, both uintegers (0-based, UTF-16 code units). */
export function isPosition(p: unknown): p is Position {
  return typeof p === 'object' && p !== null && isUinteger((p as Position).line) && isUinteger((p as Position).character);
}

/** Whether `r` is an LSP Range: `{ start, end }`, both Positions. */
export function isRange(r: unknown): r is Range {
  return typeof r === 'object' && r !== null && isPosition((r as Range).start) && isPosition((r as Range).end);
}
