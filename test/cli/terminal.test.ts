import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, runCli } from './support.js';

const ANSI = '\u001b[';

describe('colour', () => {
  it('paints on a terminal (util.styleText), whatever the test process stdout is', async () => {
    const r = await runCli(['validate', 'examples/apps'], { cwd: ROOT, isTTY: true });

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ANSI}32m6 app(s) OK${ANSI}39m`);
  });

  it('is off with NO_COLOR, and off when not a terminal', async () => {
    const noColour = await runCli(['validate', 'examples/apps'], { cwd: ROOT, isTTY: true, env: { NO_COLOR: '1' } });
    const piped = await runCli(['validate', 'examples/apps'], { cwd: ROOT, isTTY: false });

    expect(noColour.stdout).toContain('6 app(s) OK');
    expect(noColour.stdout).not.toContain(ANSI);
    expect(piped.stdout).not.toContain(ANSI);
  });

  it('styles help titles on a terminal only, and errors the same way', async () => {
    const tty = await runCli(['status', '--help'], { cwd: ROOT, isTTY: true });
    const plain = await runCli(['status', '--help'], { cwd: ROOT, isTTY: true, env: { NO_COLOR: 'yes' } });
    const error = await runCli(['status'], { cwd: ROOT, isTTY: true });

    expect(tty.stdout).toContain(`${ANSI}1mUsage:${ANSI}22m`);
    expect(plain.stdout).toMatch(/^Usage: stepcd status/);
    expect(plain.stdout).not.toContain(ANSI);
    expect(error.stderr).toMatch(new RegExp(`^\\u001b\\[31merror:\\u001b\\[39m missing required argument 'app'`));
  });

  it('the bin, piped, prints no escape codes', async () => {
    const r = await runBin(['validate', 'examples/apps']);

    expect(r.stdout).toContain('6 app(s) OK');
    expect(r.stdout).not.toContain(ANSI);
  });
});

describe('a closed output pipe (stepcd … | head -1)', () => {
  it('ends quietly: exit 0, no EPIPE stack trace', async () => {
    const child = spawn(process.execPath, ['bin/stepcd.mjs', 'validate', 'examples/apps'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the command writes its first line, as `head` is after its first.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
