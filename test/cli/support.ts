import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

/** The repository root, where bin/stepcd.mjs is. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);

/**
 * The bin entry as npm links it: a real Node process, no vitest transform in between, stdout and
 * stderr pipes (so not a terminal). `env` is added to this process's environment.
 */
export async function runBin(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env = { ...process.env, ...opts.env };
  try {
    const { stdout, stderr } = await exec(process.execPath, [`${ROOT}/bin/stepcd.mjs`, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
