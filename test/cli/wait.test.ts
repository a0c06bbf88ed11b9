import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { json, runCli } from './support.js';

/** `stepcd wait` against a running local stack: the exit code a CI job gates on, for each end. */
describe('stepcd wait <deployment-id>', () => {
  let h: StackHarness;
  let cwd: string;
  const cli = (...argv: string[]) => runCli([...argv, '--local'], { cwd });

  beforeAll(async () => {
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-wait-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    await h.deployBaseline(await exampleFiles(['simple', 'approval']));
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('follows a deployment stage by stage and exits 0 when it succeeds', async () => {
    const { id } = await h.deploy(await h.imageBump('simple', '1.1.0'), 'simple: 1.1.0');
    const r = await cli('wait', id);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`waiting for ${id} (simple @ `);
    expect(r.stdout).toMatch(/stage 0 ECS_SYNC SUCCESS/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${id} ended SUCCESS`);
  });

  it('exits 1 at the timeout while the deployment still waits, and 1 when it then ends FAILURE', async () => {
    const { id } = await h.deploy(await h.imageBump('approval', '1.1.0'), 'approval: 1.1.0');
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    const timedOut = await cli('wait', id, '--timeout', '1s', '--json');
    expect(timedOut.code).toBe(1);
    expect(json(timedOut)).toEqual({ deploymentId: id, status: 'WAITING_APPROVAL', finished: false, ok: false, timedOut: true });

    const rejected = await cli('reject', id, '--as', 'alice');
    expect(rejected.code).toBe(0);
    const r = await cli('wait', id);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${id} ended FAILURE`);
  });

  it('answers an unknown deployment and a bad --timeout with one line each', async () => {
    const unknown = await cli('wait', 'd-nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no deployment d-nope');
    const bad = await cli('wait', 'd-nope', '--timeout', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout must be a duration');
  });
});
