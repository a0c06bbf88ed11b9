import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles, startStackHarness, type StackHarness } from '../support/local-stack.js';

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
    expect(record?.reason).toContain('first deployment, nothing to roll back to: removed the service it created and removed 1 task set(s)');
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
});
