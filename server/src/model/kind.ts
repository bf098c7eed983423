import type { CatalogIndex } from '../catalog/load';
import type { ConfigDocument, Entry } from '../parser/types';

/**
 * What a file configures: the node (`/etc/vz/vz.conf`, formerly `/etc/sysconfig/vz`), a container
 * (`CTID.conf`, `ve.conf`, `ve-*.conf-sample`), or the host itself as CT0 (`0.conf`, where only UBC
 * parameters are processed).
 */
export type FileKind = 'node' | 'container' | 'ct0';

export interface KindResult {
  kind: FileKind;
  reason: string;
}

/**
 * Decides the file kind from its name, else from its content (a header naming VE0/CT0, or more
 * node-only than container-only keys).
 *
 * @param path  file path or URI path (may be undefined for unsaved buffers)
 */
export function detectKind(path: string | undefined, doc: ConfigDocument, catalog: CatalogIndex): KindResult {
  if (path) {
    const norm = path.includes('\\') ? path.replace(/\\/g, '/') : path;
    const base = norm.slice(norm.lastIndexOf('/') + 1);
    if (base === 'vz.conf' || base === 'vz.conf.in' || /(^|\/)sysconfig\/vz$/.test(norm)) {
      return { kind: 'node', reason: `the file name ${base} is the node's global config` };
    }
    if (/^0\.conf(\.[A-Za-z0-9_]+)?$/.test(base)) return { kind: 'ct0', reason: 'the file name 0.conf is the host (CT0) config' };
    if (/^\d+\.conf$/.test(base) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.conf$/i.test(base)) {
      return { kind: 'container', reason: `the file name ${base} is a container config (CTID.conf)` };
    }
    if (base === 've.conf' || /^ve-.+\.conf-sample/.test(base)) {
      return { kind: 'container', reason: `the file name ${base} is a container config` };
    }
  }
  for (const line of doc.lines.slice(0, 12)) {
    if (line.kind === 'comment' && /configuration file for (VE0|CT0)\b/i.test(line.text)) {
      return { kind: 'ct0', reason: 'the header comment says it configures VE0 (the host)' };
    }
  }
  let node = 0;
  let container = 0;
  const entries = doc.entries;
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as Entry;
    const def = catalog.parameter(e.name);
    if (!def) continue;
    if (def.scope === 'node') node += 1;
    else if (def.scope === 'container') container += 1;
  }
  if (node > container) return { kind: 'node', reason: `its content: ${node} node-only keys against ${container} container keys` };
  return { kind: 'container', reason: node + container === 0 ? 'no telling keys; assumed a container config' : `its content: ${container} container keys against ${node} node-only keys` };
}

/**
 * True for a shipped-style sample path (`ve-NAME.conf-sample`, any directory, either slash): the file
 * `vzctl create` copies into a new container's config, merged over vz.conf.
 */
export function isSamplePath(path: string | undefined): boolean {
  if (path === undefined) return false;
  const norm = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  return /^ve-.+\.conf-sample/.test(norm.slice(norm.lastIndexOf('/') + 1));
}

/** Parses a `--kind` / `vzconf.kind` value. */
export function parseKind(text: string | undefined): FileKind | 'auto' | { error: string } {
  const t = (text ?? 'auto').trim();
  if (t === '' || t === 'auto') return 'auto';
  if (t === 'node' || t === 'container' || t === 'ct0') return t;
  return { error: `invalid kind "${t}": use auto, node, container or ct0` };
}
