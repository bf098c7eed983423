/**
 * `node:path` answers without its normalising pass, for paths that are already normal: vzlint resolves,
 * joins and splits every path of a tree (10,000 files in a fleet's conf/ folder), and `path.resolve` and
 * `path.join` walk each path character by character in JavaScript and build new strings (about 7 MB of
 * garbage per fleet run). Each function returns exactly what its `node:path` counterpart returns; when the
 * input is not plainly normal (or on Windows) it calls that counterpart.
 */
import path from 'node:path';

/**
 * Whether `p` is a normal POSIX path fragment that `path.normalize` leaves as it is: not empty, no empty
 * segment (`//`, a trailing `/`), no `.` or `..` segment. Conservative: any `/.` (a hidden file too) or a
 * leading `.` answers false, and the caller normalises.
 */
function plainlyNormal(p: string): boolean {
  return p !== '' && p.charCodeAt(0) !== 46 /* . */ && p.charCodeAt(p.length - 1) !== 47 /* / */ && !p.includes('//') && !p.includes('/.');
}

/**
 * `path.resolve(cwd, p)`. When `p` is absolute and normal it is its own answer; when it is relative and
 * normal and `cwd` is absolute and normal, the answer is `cwd/p` (POSIX only).
 */
export function resolvePath(cwd: string, p: string): string {
  if (path.sep === '/' && plainlyNormal(p)) {
    if (p.charCodeAt(0) === 47) {
      // Absolute: path.resolve ignores cwd (`/` alone is not plainly normal: path.resolve answers it).
      return p;
    }
    if (cwd === '/') return `/${p}`;
    if (cwd.charCodeAt(0) === 47 && plainlyNormal(cwd)) return `${cwd}/${p}`;
  }
  return path.resolve(cwd, p);
}

/**
 * `path.join(dir, name)` for a file name as `readdir` gives it (never `.`, `..` or empty, no `/`): `dir/name`
 * when `dir` is absolute and normal (POSIX only).
 */
export function joinName(dir: string, name: string): string {
  if (path.sep === '/' && name !== '' && name !== '.' && name !== '..' && !name.includes('/')) {
    if (dir === '/') return `/${name}`;
    if (dir.charCodeAt(0) === 47 && plainlyNormal(dir)) return `${dir}/${name}`;
  }
  return path.join(dir, name);
}

/**
 * Whether `path.dirname(p) === dir`, without building the folder's name, for `p` absolute and normal (a
 * path {@link resolvePath} returned) and `dir` the folder of an earlier such path: true when `p` is `dir/`
 * and one name with no `/`. Answers false when unsure (the caller then asks `path.dirname`).
 */
export function inFolder(p: string, dir: string): boolean {
  if (path.sep !== '/' || dir === '/' || dir === '') return false;
  const n = dir.length;
  return p.length > n + 1 && p.charCodeAt(n) === 47 && p.startsWith(dir) && p.indexOf('/', n + 1) < 0;
}
