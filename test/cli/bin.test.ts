import { describe, expect, it } from 'vitest';
import { runBin } from './support.js';

const stepcd = (...args: string[]) => runBin(args);

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
