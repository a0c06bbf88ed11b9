import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin, runCli } from './support.js';

/** One plain line on stderr: no stack trace, no colour. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('\u001b[');
}

describe('usage errors (the bin)', () => {
  it('refuses --port 99999 and --limit abc with one line naming the flag, exit 2', async () => {
    const [port, limit] = await Promise.all([
      runBin(['dashboard', '--local', '--port', '99999']),
      runBin(['deployments', 'list', '--limit', 'abc', '--local']),
    ]);

    expect(port.code).toBe(2);
    expectOneLine(port.stderr);
    expect(port.stderr).toBe('error: --port must be a whole number from 0 to 65535, got 99999 (see `stepcd dashboard --help`)\n');
    expect(limit.code).toBe(2);
    expectOneLine(limit.stderr);
    expect(limit.stderr).toBe('error: --limit must be a whole number, got abc (see `stepcd deployments list --help`)\n');
  });

  it('with --json, a usage error is one JSON document on stderr, still exit 2', async () => {
    const r = await runBin(['deployments', 'list', '--limit', '0', '--json']);

    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: { name: 'stepcd.Config', message: '--limit must be at least 1, got 0', hint: 'see `stepcd deployments list --help`' },
    });
  });
});

describe('usage errors (in process)', () => {
  it.each([
    ['a port that is not a number', ['local', '--port', '80a'], '--port must be a whole number, got 80a'],
    ['a negative port', ['dashboard', '--port', '-1'], '--port must be a whole number, got -1'],
    ['a limit below 1', ['deployments', 'list', '--limit', '0'], '--limit must be at least 1, got 0'],
    ['an unknown format', ['validate', '--format', 'junit'], '--format must be one of text, github, sarif, got junit'],
    ['a timeout that is no duration', ['wait', 'd-1', '--timeout', 'soon'], '--timeout must be a duration'],
    ['a zero timeout', ['wait', 'd-1', '--timeout', '0s'], '--timeout must be more than 0, got 0s'],
    ['an unknown flag', ['validate', '--nope'], "unknown option '--nope'"],
    ['a flag of another command', ['validate', '--port', '1'], "unknown option '--port'"],
    ['a missing argument', ['deployments', 'show'], "missing required argument 'id'"],
    ['one argument too many', ['status', 'a', 'b'], 'too many arguments'],
  ])('fail: %s exits 2 with one line, before touching any stack', async (_name, argv, message) => {
    const r = await runCli(argv, { cwd: ROOT });

    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(message);
  });
});

describe('--json errors', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'stepcd-json-errors-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('a failure is {"error":{name,message}} on stderr with the exit code it has without --json', async () => {
    const plain = await runCli(['deployments', 'list', '--local'], { cwd: empty });
    const json = await runCli(['deployments', 'list', '--local', '--json'], { cwd: empty });

    expect(plain.code).toBe(1);
    expect(json.code).toBe(plain.code);
    expect(json.stdout).toBe('');
    const { error } = JSON.parse(json.stderr) as { error: { name: string; message: string; hint?: string } };
    expect(error.name).toBe('stepcd.Config');
    expect(plain.stderr).toContain(error.message);
    expect(error.hint).toContain('start one with `stepcd local`');
  });

  it('--json before the command counts too, and an unexpected error keeps its own name', async () => {
    const r = await runCli(['--json', 'validate', join(empty, 'missing')], { cwd: empty });

    expect(r.code).not.toBe(0);
    const { error } = JSON.parse(r.stderr) as { error: { name: string; message: string } };
    expect(error.name).toEqual(expect.any(String));
    expect(error.message).toContain('missing');
  });
});
