import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * The approval example: WAIT 30s (one task-token wait whose timeout is the duration), then two of
 * three named approvers, then the primary rollout. The timeout runs on the cloud's clock locally, so
 * it passes in milliseconds while emulated time moves by its length.
 */
describe('WAIT and a two-approver WAIT_APPROVAL end to end', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
    await h.deployBaseline(await exampleFiles(['approval']), 'add approval app');
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The engine-clock span of the WAIT's one task: from entering it to its timeout (the WAIT's end). */
  const waitSpan = (arn: string) => {
    const history = h.stack.cloud.sfn.history(arn);
    const entries = history.filter((e) => e.type === 'TaskStateEntered' && e.details?.value.name === 'WAIT');
    const entered = history.indexOf(entries[0]!);
    const timedOut = history.slice(entered).find((e) => e.type === 'TaskTimedOut')!;
    return { entries: entries.length, entered: history[entered]!, timedOut };
  };

  // Slack clicks: the approver rule applies to them (a CLI caller is authorised by IAM instead).
  const vote = (id: string, user: string) => h.stack.approvals.approve({ deploymentId: id, user, via: 'slack', now: new Date() });

  it('waits the stage duration, refuses a stranger, counts two distinct approvers and then deploys', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('approval', '7.0.0'));
    const waiting = await h.waitForStatus(id, 'WAITING_APPROVAL');
    const wait = waiting.stages[0]!;
    expect(wait).toMatchObject({ name: 'WAIT', status: 'SUCCESS' });
    // Measured on the engine clock the wait's timeout runs on (records carry real time, which the
    // local cloud outruns): one task, entered once, that timed out no sooner than the duration.
    const span = waitSpan(arn);
    expect(span.entries).toBe(1);
    expect(span.timedOut.timestamp - span.entered.timestamp).toBeGreaterThanOrEqual(30_000);

    expect((await vote(id, 'mallory')).kind).toBe('not-approver');
    expect(await vote(id, 'alice')).toMatchObject({ kind: 'recorded', remaining: 1 });
    expect(await vote(id, 'alice')).toMatchObject({ kind: 'recorded', remaining: 1 });
    expect(h.stack.cloud.sfn.describeExecution(arn).status).toBe('RUNNING');
    expect(await vote(id, 'bob')).toMatchObject({ kind: 'approved', approvedBy: ['alice', 'bob'] });

    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.map((s) => [s.name, s.status])).toEqual([
      ['WAIT', 'SUCCESS'],
      ['WAIT_APPROVAL', 'SUCCESS'],
      ['ECS_PRIMARY_ROLLOUT', 'SUCCESS'],
    ]);
    expect(record?.approvals.map((a) => a.user)).toEqual(['alice', 'bob']);
    const appState = await h.stack.core.history.getAppState('approval');
    expect(appState.lastGood?.deploymentId).toBe(id);
    expect(appState.lockHolder).toBeUndefined();
    const seen = h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 50, path: '/approval/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([record?.state?.taskDefinitionArn]);
  });

  it('cuts a WAIT short at the spec.timeout deadline and fails in it, with nothing to roll back before an ECS stage', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const manifest = await readFile(join(h.repoDir, 'apps/approval/app.pipecd.yaml'), 'utf8');
    const { id, arn } = await h.deploy({
      ...(await h.imageBump('approval', '7.1.0')),
      'apps/approval/app.pipecd.yaml': manifest.replace('spec:\n  name: approval\n', 'spec:\n  name: approval\n  timeout: 25s\n'),
    });
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.error).toBe('stepcd.DeploymentTimeout');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toBe('deployment exceeded its timeout of 25s (spec.timeout)');
    // The 30 s WAIT did not run its course: it ended at the 25 s deadline, counted from when Begin took the lock, and it is what failed.
    const wait = record!.stages[0]!;
    expect(wait).toMatchObject({ name: 'WAIT', status: 'FAILURE', detail: 'deployment exceeded its timeout of 25s (spec.timeout)' });
    const history = h.stack.cloud.sfn.history(arn);
    const locked = history.find((e) => e.type === 'TaskStateExited' && e.details?.value.name === 'Begin')!;
    expect(waitSpan(arn).timedOut.timestamp - locked.timestamp).toBeLessThan(30_000);
    expect(waitSpan(arn).timedOut.timestamp - locked.timestamp).toBeGreaterThanOrEqual(25_000);
    expect(record?.stages.map((s) => s.status)).toEqual(['FAILURE', 'NOT_STARTED', 'NOT_STARTED']);
    expect(record?.errors).toMatchObject([{ stage: 'WAIT', error: 'stepcd.DeploymentTimeout' }]);
    expect(h.eventsOf(id)).not.toContain('DEPLOYMENT_ROLLING_BACK');
    expect(h.eventsOf(id).at(-1)).toBe('DEPLOYMENT_FAILED');
    expect((await h.stack.core.history.getAppState('approval')).lockHolder).toBeUndefined();
  });
});
