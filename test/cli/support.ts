import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as `stepcd <argv>` would in `cwd`, capturing both streams. */
export async function runCli(
  argv: string[],
  opts: { cwd: string; env?: Record<string, string>; signal?: AbortSignal; isTTY?: boolean; stdin?: string },
): Promise<CliRun> {
  const out = { stdout: '', stderr: '' };
  const stdin = new PassThrough();
  // Given, it is all there is to read (a pipe that closes); otherwise stdin stays open, as a terminal's.
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    stdin,
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd,
    env: opts.env ?? {},
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const code = await run(argv, io);
  return { code, ...out };
}

/** `--json` output parsed. */
export function json<T = Record<string, unknown>>(r: CliRun): T {
  return JSON.parse(r.stdout) as T;
}
