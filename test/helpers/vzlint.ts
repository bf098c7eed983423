import { runVzlint, type VzlintIO } from '../../server/src/cli/vzlint';

/** What an in-process vzlint run printed and returned. */
export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** Runs vzlint in-process in `cwd` with captured output (no process.exit, no real stdout). */
export async function runCaptured(argv: string[], cwd: string, extra: Partial<Omit<VzlintIO, 'stdout' | 'stderr' | 'cwd'>> = {}): Promise<RunResult> {
  let out = '';
  let err = '';
  const code = await runVzlint(argv, {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    cwd,
    ...extra,
  });
  return { code, out, err };
}
