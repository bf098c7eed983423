/**
 * Checks of request params where they enter the server: a client bug or a fuzzer can send any JSON, and
 * vscode-jsonrpc passes it on unchecked. A handler that finds its params invalid answers as for a
 * document it does not know (null or an empty list), with no exception and nothing logged.
 */
import type { Position, Range } from 'vscode-languageserver/node';

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

/** The `textDocument.uri` of request params when it is a string, else undefined. */
export function documentUri(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const doc = (params as { textDocument?: unknown }).textDocument;
  if (typeof doc !== 'object' || doc === null) return undefined;
  const uri = (doc as { uri?: unknown }).uri;
  return typeof uri === 'string' ? uri : undefined;
}

/** `{ uri, position }` of TextDocumentPositionParams (hover, completion) when both are valid, else undefined. */
export function positionParams(params: unknown): { uri: string; position: Position } | undefined {
  const uri = documentUri(params);
  const position = (params as { position?: unknown } | undefined)?.position;
  return uri !== undefined && isPosition(position) ? { uri, position } : undefined;
}
