import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * A first deployment run as a pipeline (`spec.planner.alwaysUsePipeline`, service missing) that
 * fails half-way, and a pipeline with `spec.planner.autoRollback: false` that fails: what each
 * leaves behind, what the record says, and that the app deploys again afterwards.
 */
describe('first deployment as a pipeline, and autoRollback off', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const withPlanner = (manifest: string, planner: string) => manifest.replace('spec:\n  name: canary\n', `spec:\n  name: canary\n  planner:\n${planner}`);
  const approve = (id: string) => h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });
  const liveSets = () => h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');

  it('rolls a rejected first pipeline back by removing the service it created, says so, and deploys the app again afterwards', async () => {
    const files = await exampleFiles(['canary']);
    files['apps/canary/app.pipecd.yaml'] = withPlanner(files['apps/canary/app.pipecd.yaml']!, '    alwaysUsePipeline: true\n');
    const { id, arn } = await h.deploy(files, 'add canary, pipeline from the start');
    const waiting = await h.waitForStatus(id, 'WAITING_APPROVAL');
    expect(waiting.strategy).toBe('PIPELINE');

    await h.stack.approvals.reject({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date(), reason: 'not yet' });
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('FAILED');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toContain('first deployment, nothing to roll back to: removed the service this deployment created and 1 task set(s)');
    const appState = await h.stack.core.history.getAppState('canary');
    expect(appState.lockHolder).toBeUndefined();
    expect(appState.lastGood).toBeUndefined();
    expect(liveSets()).toEqual([]);

    // The next push finds no service: a first deployment again, which now succeeds.
    const next = await h.deploy(await h.imageBump('canary', '1.0.1'));
    await h.waitForStatus(next.id, 'WAITING_APPROVAL');
    expect((await approve(next.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(next.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const done = await h.stack.core.history.getDeployment(next.id);
    expect(done?.status).toBe('SUCCESS');
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 50, path: '/canary/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([done?.state?.taskDefinitionArn]);
  });

  it('leaves a failed canary in place with autoRollback off, says so, frees the lock; the next pipeline serves only its own canary and its canary clean removes the leftover', async () => {
    const manifest = (await exampleFiles(['canary']))['apps/canary/app.pipecd.yaml']!;
    const noRollback = { 'apps/canary/app.pipecd.yaml': withPlanner(manifest, '    autoRollback: false\n') };
    const lastGood = (await h.stack.core.history.getAppState('canary')).lastGood!;
    h.stack.cloud.emulator.faults.crashTasks({ image: 'canary:1.0.2', reason: 'Essential container in task exited: exit 1' });
    const { id, arn } = await h.deploy({ ...noRollback, ...(await h.imageBump('canary', '1.0.2')) });
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).error).toBe('stepcd.StabilizeFailed');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toMatch(/exit 1.*; autoRollback is off, nothing was rolled back$/);
    expect(h.eventsOf(id)).not.toContain('DEPLOYMENT_ROLLING_BACK');
    expect(h.eventsOf(id).at(-1)).toBe('DEPLOYMENT_FAILED');
    expect((await h.stack.core.history.getAppState('canary')).lockHolder).toBeUndefined();
    expect((await h.stack.core.history.getAppState('canary')).lastGood).toEqual(lastGood);
    // Left as it was for a human to look at: the failed canary is still there, with no traffic.
    expect(liveSets().map((s) => s.id)).toContain(record?.state?.canaryTaskSetId);

    // The bad image stays bad. The next pipeline must not route its canary traffic to the old canary.
    const next = await h.deploy(await h.imageBump('canary', '1.0.3'));
    await h.waitForStatus(next.id, 'WAITING_APPROVAL');
    const during = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(during.outcomes['503']).toBe(0);
    const nextRecord = await h.stack.core.history.getDeployment(next.id);
    expect(Object.keys(during.byVersion).sort()).toEqual([lastGood.taskDefinitionArn, nextRecord?.state?.taskDefinitionArn].sort());
    expect((await approve(next.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(next.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    h.stack.cloud.emulator.faults.clear();
    const done = await h.stack.core.history.getDeployment(next.id);
    expect(liveSets().map((s) => s.id)).toEqual([done?.state?.primaryTaskSetId]);
  });
});
