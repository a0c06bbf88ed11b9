import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import type { PlanReport } from '../../src/plan/preview.js';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import { LOCAL_CALLER_ARN } from '../../src/local/sts/index.js';
import { createLogger } from '../../src/logging.js';
import { EXAMPLES_DIR, exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { json, runCli } from './support.js';
import { waitFor } from '../support/waits.js';

/**
 * The target commands against a running local stack, through `.stepcd/local.json` exactly as
 * `stepcd local` writes it for a second terminal.
 */
describe('stepcd commands against a local stack (--local)', () => {
  let h: StackHarness;
  let cwd: string;
  let canaryDir: string;
  const cli = (...argv: string[]) => runCli([...argv, '--local'], { cwd });
  const record = (id: string) => h.stack.core.history.getDeployment(id);
  const statusOf = (id: string, status: DeploymentRecord['status']) =>
    waitFor(`${id} ${status}`, async () => ((await record(id))?.status === status ? true : undefined), { everyMs: 25 });

  beforeAll(async () => {
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-cli-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    canaryDir = join(cwd, 'canary');
    await cp(join(EXAMPLES_DIR, 'canary'), canaryDir, { recursive: true });
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('plans a quick sync for an app whose service does not exist yet', async () => {
    const r = await cli('plan', 'canary', '--json');
    expect(r.code).toBe(0);
    const plan = json<PlanReport>(r);
    expect(plan.strategy).toBe('QUICK_SYNC');
    expect(plan.service.exists).toBe(false);
    expect(plan.stages.map((s) => s.name)).toEqual(['ECS_SYNC']);
  });

  it('plans the canary pipeline with the image change once the service is live', async () => {
    const first = await h.push(await exampleFiles(['canary', 'approval']), 'add apps');
    for (const app of first.body.apps ?? []) await statusOf(app.deploymentId, 'SUCCESS');
    const unchanged = json<PlanReport>(await cli('plan', 'canary', '--json'));
    expect(unchanged.taskDefinition.changes).toEqual([]);

    const taskdef = join(canaryDir, 'taskdef.yaml');
    await writeFile(taskdef, (await readFile(taskdef, 'utf8')).replace('canary:1.0.0', 'canary:2.0.0'));
    const r = await cli('plan', 'canary');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('strategy: PIPELINE');
    expect(r.stdout).toContain('ECS_CANARY_ROLLOUT {"scale":30');
    expect(r.stdout).toMatch(/~ containerDefinitions\[0\]\.image: registry\.example\.com\/canary:1\.0\.0 → registry\.example\.com\/canary:2\.0\.0/);
    // The tags stepcd adds to what it creates are its own, never a difference from the manifest.
    expect(r.stdout).not.toContain('stepcd:');
  });

  it('lists, shows and logs a deployment waiting for approval, then approves it as the caller (--as is a display name)', async () => {
    const pushed = await h.bumpImage('canary', '1.1.0');
    const id = pushed.body.apps![0]!.deploymentId;
    await statusOf(id, 'WAITING_APPROVAL');

    const active = await cli('deployments', 'list');
    expect(active.stdout).toContain('deployments in progress');
    expect(active.stdout).toMatch(new RegExp(`${id}\\s+canary\\s+\\w{7}\\s+PIPELINE\\s+WAITING_APPROVAL`));

    const show = await cli('deployments', 'show', id);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/0\s+ECS_CANARY_ROLLOUT\s+SUCCESS/);
    expect(show.stdout).toMatch(/2\s+WAIT_APPROVAL\s+RUNNING/);

    const logs = await cli('logs', id, '--json');
    const types = json<{ events: { type: string; state?: string }[] }>(logs).events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');

    const approved = await cli('approve', id, '--as', 'U-LEAD');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved: approved by ${LOCAL_CALLER_ARN}`);
    await statusOf(id, 'SUCCESS');

    const again = await cli('approve', id, '--as', 'U-LEAD');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^closed:/);

    const history = json<{ deployments: DeploymentRecord[] }>(await cli('deployments', 'list', '--app', 'canary', '--json'));
    expect(history.deployments.map((d) => d.status)).toEqual(['SUCCESS', 'SUCCESS']);
    const shown = await cli('deployments', 'show', id);
    expect(shown.stdout).toContain(`approved by ${LOCAL_CALLER_ARN} (as U-LEAD) via cli`);
  });

  it("records the caller's AWS identity whatever --as says (one caller counts once), and rolls back on its reject", async () => {
    const pushed = await h.bumpImage('approval', '1.1.0');
    const id = pushed.body.apps![0]!.deploymentId;
    await statusOf(id, 'WAITING_APPROVAL');

    const first = await cli('approve', id, '--as', 'mallory');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('approval recorded (1/2)');
    // Another display name is still the same AWS identity: not a second approver.
    const again = await cli('approve', id, '--as', 'ANYONE');
    expect(again.stdout).toContain('you already approved');

    const rejected = await cli('reject', id, '--as', 'alice', '--reason', 'not today');
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toContain(`rejected by ${LOCAL_CALLER_ARN}: not today`);
    await statusOf(id, 'FAILURE');
    expect((await record(id))?.approvals.map((a) => `${a.user}:${a.as}:${a.decision}:${a.via}`)).toEqual([
      `${LOCAL_CALLER_ARN}:mallory:APPROVE:cli`,
      `${LOCAL_CALLER_ARN}:alice:REJECT:cli`,
    ]);
  });

  it('shows what a queued deployment waits on: the running deployment and its stage', async () => {
    const a = (await h.bumpImage('canary', '1.1.5')).body.apps![0]!.deploymentId;
    await statusOf(a, 'WAITING_APPROVAL');
    const b = (await h.bumpImage('canary', '1.1.6')).body.apps![0]!.deploymentId;
    await waitFor(`${b} queued`, async () => ((await h.stack.core.history.getAppState('canary')).queue.includes(b) ? true : undefined), { everyMs: 25 });

    const shown = await cli('deployments', 'show', b);
    expect(shown.stdout).toMatch(
      new RegExp(`queued {4}behind deployment ${a} \\(commit [0-9a-f]{7}\\), WAITING_APPROVAL, in stage 2 WAIT_APPROVAL; place 1 in the queue`),
    );
    expect(json<{ waitingOn: { deploymentId: string } }>(await cli('deployments', 'show', b, '--json')).waitingOn.deploymentId).toBe(a);

    expect((await cli('cancel', b)).code).toBe(0);
    expect((await cli('cancel', a)).code).toBe(0);
    await statusOf(b, 'CANCELLED');
    await statusOf(a, 'CANCELLED');
  });

  it('cancels a deployment waiting for approval, which then rolls back', async () => {
    const pushed = await h.bumpImage('canary', '1.2.0');
    const id = pushed.body.apps![0]!.deploymentId;
    await statusOf(id, 'WAITING_APPROVAL');

    const r = await cli('cancel', id);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^requested: cancel requested/);
    await statusOf(id, 'CANCELLED');

    const late = await cli('cancel', id);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('already finished (CANCELLED)');
  });

  it('answers an unknown deployment with one line that says how to find one', async () => {
    const r = await cli('deployments', 'show', 'd-nope');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('no deployment d-nope')]);
    expect(r.stderr).toContain('stepcd deployments list');
  });

  it('says how to start a local stack when there is none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'stepcd-empty-'));
    try {
      const r = await runCli(['deployments', 'list', '--local'], { cwd: empty });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('start one with `stepcd local`');
      expect(r.stderr).not.toContain('    at ');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
