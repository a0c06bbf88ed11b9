import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * Failures after ECS was touched: a rejection, an approval timeout and crashing canary tasks each
 * roll back to the last good version and end FAILURE, with traffic and task sets as they were.
 * One stack: each test works on its own app or starts after the previous deployment of it ended.
 */
describe('rollback through the state machine', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    const files = await exampleFiles(['canary', 'bluegreen']);
    // A short approval timeout for bluegreen, so the timeout path runs in about a second.
    files['apps/bluegreen/app.pipecd.yaml'] = files['apps/bluegreen/app.pipecd.yaml']!.replace(
      '- name: WAIT_APPROVAL\n',
      '- name: WAIT_APPROVAL\n        with:\n          timeout: 1s\n',
    );
    await h.deployBaseline(files, 'add canary and bluegreen');
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** What users see afterwards: every request answered by the last good version, only its task set left, no lock. */
  async function expectRestored(app: string) {
    const appState = await h.stack.core.history.getAppState(app);
    expect(appState.lockHolder).toBeUndefined();
    const lastGood = appState.lastGood!;
    expect(lastGood).toBeDefined();
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: `/${app}/` });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([lastGood.taskDefinitionArn]);
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', app).filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => s.taskDefinitionArn)).toEqual([lastGood.taskDefinitionArn]);
    expect(live.map((s) => s.id)).toEqual(lastGood.taskSetIds);
  }

  it('rolls back a rejected canary and ends FAILURE with traffic all on the previous version', async () => {
    const before = (await h.stack.core.history.getAppState('canary')).lastGood;
    const { id, arn } = await h.deploy(await h.imageBump('canary', '1.1.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');

    const rejected = await h.stack.approvals.reject({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date(), reason: 'error rate up' });
    expect(rejected.kind).toBe('rejected');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('stepcd.Rejected');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toContain('rejected by U-LEAD: error rate up');
    expect(record?.reason).toContain('rolled back');
    expect(record?.endedAt).toBeTruthy();
    expect(record?.stages.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'FAILURE', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED']);
    for (const stage of record!.stages.slice(0, 3)) expect(stage.startedAt && stage.endedAt).toBeTruthy();
    expect(record?.errors.map((e) => e.error)).toEqual(['stepcd.Rejected']);
    expect(h.eventsOf(id).filter((t) => t.startsWith('DEPLOYMENT_'))).toEqual([
      'DEPLOYMENT_TRIGGERED',
      'DEPLOYMENT_STARTED',
      'DEPLOYMENT_WAIT_APPROVAL',
      'DEPLOYMENT_ROLLING_BACK',
      'DEPLOYMENT_FAILED',
    ]);
    expect(h.eventsOf(id)).toContain('STAGE_FAILED');
    // A failed deployment is not the new last good.
    expect((await h.stack.core.history.getAppState('canary')).lastGood).toEqual(before);
    await expectRestored('canary');
  });

  it('rolls back when nobody answers the approval before its timeout', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('bluegreen', '2.0.0'));
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Timeout');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toMatch(/^approval timed out; rolled back/);
    expect(record?.stages[2]).toMatchObject({ name: 'WAIT_APPROVAL', status: 'FAILURE', detail: 'approval timed out' });
    expect((await h.stack.core.history.getApproval(id, 2))?.status).toBe('TIMED_OUT');
    expect(h.eventsOf(id)).toContain('DEPLOYMENT_ROLLING_BACK');
    // Blue/green had switched all traffic to the new version; rollback switched it back.
    await expectRestored('bluegreen');
  });

  it('fails a canary whose tasks crash, with the ECS stop reason in the record, and rolls back', async () => {
    h.stack.cloud.emulator.faults.crashTasks({ image: 'canary:1.2.0', reason: 'Essential container in task exited: OutOfMemoryError' });
    const { id, arn } = await h.deploy(await h.imageBump('canary', '1.2.0'));
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    h.stack.cloud.emulator.faults.clear();
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('stepcd.StabilizeFailed');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toContain('OutOfMemoryError');
    expect(record?.stages[0]).toMatchObject({ name: 'ECS_CANARY_ROLLOUT', status: 'FAILURE' });
    expect(record?.stages[0]?.detail).toContain('OutOfMemoryError');
    expect(record?.errors[0]).toMatchObject({ stage: 'ECS_CANARY_ROLLOUT', error: 'stepcd.StabilizeFailed' });
    expect(h.eventsOf(id).filter((t) => t.startsWith('DEPLOYMENT_'))).toEqual([
      'DEPLOYMENT_TRIGGERED',
      'DEPLOYMENT_STARTED',
      'DEPLOYMENT_ROLLING_BACK',
      'DEPLOYMENT_FAILED',
    ]);
    await expectRestored('canary');
  });
});
