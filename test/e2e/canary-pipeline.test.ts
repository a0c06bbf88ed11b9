import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

describe('canary pipeline end to end (webhook → state machine → ECS)', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('first deploys the app by quick sync, then runs the canary pipeline through approval', async () => {
    const first = await h.push(await exampleFiles(['canary']), 'add canary app');
    expect(first.status).toBe(200);
    const firstId = first.body.apps?.[0]?.deploymentId;
    expect(firstId).toBeDefined();
    const firstArn = first.body.apps![0]!.executionArn!;
    const firstRun = await h.stack.cloud.sfn.waitForExecution(firstArn, { timeoutMs: 30_000 });
    expect(firstRun.status).toBe('SUCCEEDED');
    const firstRecord = await h.stack.core.history.getDeployment(firstId!);
    expect(firstRecord?.status).toBe('SUCCESS');
    expect(firstRecord?.strategy).toBe('QUICK_SYNC');

    const second = await h.bumpImage('canary', '1.1.0');
    const id = second.body.apps?.[0]?.deploymentId as string;
    const arn = second.body.apps![0]!.executionArn!;
    await waitFor('approval request', async () => {
      const r = await h.stack.core.history.getDeployment(id);
      return r?.status === 'WAITING_APPROVAL' ? r : undefined;
    });
    const listenerArn = h.stack.topology!.listenerArn;
    const during = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(during.outcomes['503']).toBe(0);
    expect(Object.keys(during.byVersion)).toHaveLength(2);

    const approved = await h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });
    expect(approved.kind).toBe('approved');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.map((s) => s.status)).toEqual(Array(6).fill('SUCCESS'));
    for (const stage of record!.stages) expect(stage.startedAt && stage.endedAt).toBeTruthy();
    expect(record?.approvals.map((a) => a.user)).toEqual(['U-LEAD']);

    const types = h.stack.cloud.events.events
      .filter((e) => e.source === 'stepcd' && (e.detail as { deploymentId: string }).deploymentId === id)
      .map((e) => e.detailType)
      .filter((t) => t.startsWith('DEPLOYMENT_'));
    expect(types).toEqual(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_APPROVED', 'DEPLOYMENT_SUCCEEDED']);

    const approvalDone = h.stack.cloud.events.events.find(
      (e) =>
        e.detailType === 'STAGE_SUCCEEDED' &&
        (e.detail as { deploymentId: string; stage?: { name: string } }).deploymentId === id &&
        (e.detail as { stage?: { name: string } }).stage?.name === 'WAIT_APPROVAL',
    );
    // The deployment is RUNNING again by the time its approval stage is announced as done.
    expect((approvalDone?.detail as { status?: string } | undefined)?.status).toBe('RUNNING');

    const after = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(after.outcomes['503']).toBe(0);
    const versions = Object.keys(after.byVersion);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toBe(record?.state?.taskDefinitionArn);
  });
});
