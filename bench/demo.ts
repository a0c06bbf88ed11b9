import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { roundMs } from './support/stats.js';

export interface DemoFigures {
  command: string;
  /** Real ms from spawning the demo to its exit; null when it could not run (see `reason`). */
  wallMs: number | null;
  exitCode: number | null;
  reason?: string;
}

/**
 * `npm start` (the CLI's `demo`), timed from spawn to exit. With stdin not a TTY the demo approves by
 * itself, so it runs to the end unattended. Reports null with the reason rather than failing when the
 * CLI is not there or the demo fails: the other figures are still worth having.
 */
export async function measureDemo(root: string, opts: { timeoutMs?: number } = {}): Promise<DemoFigures> {
  const command = 'npm start';
  const entry = join(root, 'src', 'cli', 'main.ts');
  if (!existsSync(entry)) return { command, wallMs: null, exitCode: null, reason: `${entry} does not exist yet (the CLI is not built)` };
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
  });
  const timeoutMs = opts.timeoutMs ?? 240_000;
  const timer = setTimeout(() => {
    // The whole process group: npm, tsx and the demo under them.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }, timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  if (exitCode !== 0) {
    const why = exitCode === null ? `did not finish within ${timeoutMs} ms` : `exited with ${exitCode}`;
    return { command, wallMs: null, exitCode, reason: `${command} ${why}: ${stderr.trim().split('\n').slice(-5).join(' | ')}` };
  }
  return { command, wallMs: roundMs(wallMs), exitCode };
}
