/**
 * Checks of request params where they enter the server: a client bug or a fuzzer can send any JSON, and
 * vscode-jsonrpc passes it on unchecked. A handler that finds its params invalid answers as for a
 * document it does not know (null or an empty list), with no exception and nothing logged.
 */
import type { Position } from 'vscode-languageserver/node';
import { isPosition } from '../util/positions';

export { isPosition, isRange } from '../util/positions';

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
