/**
 * The asynchronous file-system calls vzconf uses, with the signatures of `node:fs/promises`, without
 * loading that module until a call needs a `FileHandle` (`open`): loading it (with the readline and
 * file-watcher modules it pulls in) was 2.5 ms of a one-file `vzlint` run, which only calls `stat` and
 * `readdir`. The others are Node's callback functions as promises (`util.promisify`): the same results
 * and the same errors (`code`, `message`) as their `fs/promises` twins; `realpath` is the native one
 * (`fs.realpath.native`), as `fs/promises` has.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';

type Fsp = typeof import('node:fs/promises');

let loaded: Fsp | undefined;

/** `node:fs/promises`, loaded on first use. */
function fsp(): Fsp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('node:fs/promises') as Fsp);
}

export const stat = promisify(fs.stat) as Fsp['stat'];
export const lstat = promisify(fs.lstat) as Fsp['lstat'];
export const readdir = promisify(fs.readdir) as Fsp['readdir'];
export const statfs = promisify(fs.statfs) as Fsp['statfs'];
export const realpath = promisify(fs.realpath.native) as Fsp['realpath'];
export const readFile = promisify(fs.readFile) as Fsp['readFile'];
export const chmod = promisify(fs.chmod) as Fsp['chmod'];
export const chown = promisify(fs.chown) as Fsp['chown'];
export const rename = promisify(fs.rename) as Fsp['rename'];
export const unlink = promisify(fs.unlink) as Fsp['unlink'];
/** `fs/promises` open (a `FileHandle`): the one call that loads the module. */
export const open: Fsp['open'] = (path, flags, mode) => fsp().open(path, flags, mode);
