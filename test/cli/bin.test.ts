import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);

/** The bin entry as npm links it: a real Node process, no vitest transform in between. */
async function stepcd(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/stepcd.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('bin/stepcd.mjs', () => {
  it('runs `stepcd validate examples/apps` as a process and exits 0', async () => {
    const r = await stepcd('validate', 'examples/apps');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 app(s) OK');
    expect(r.stderr).toBe('');
  });

  it('exits 2 with one plain error line (no stack trace, no colour) on a usage mistake', async () => {
    const r = await stepcd('deploy', '--nope');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: unknown command 'deploy'/);
    expect(r.stderr).not.toContain('\u001b[');
  });
});
