import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/errors.js';
import { cancelDeployment } from '../../src/orchestrator/index.js';
import type { ExecutionData } from '../../src/orchestrator/execution-data.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * Ends a user asks for: `stepcd cancel` (during an approval, or between two ECS stages) and a
 * StopExecution from the console, which the ASL's Catch never sees and the finaliser handles.
 * Every one rolls back to the last good version and leaves a final record and a free lock.
 */
describe('cancel and stop', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const cancelDeps = () => ({ history: h.stack.core.history, approvals: h.stack.approvals });

  async function expectRestored() {
    const appState = await h.stack.core.history.getAppState('canary');
    expect(appState.lockHolder).toBeUndefined();
    expect(appState.queue).toEqual([]);
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([appState.lastGood!.taskDefinitionArn]);
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => s.id)).toEqual(appState.lastGood!.taskSetIds);
  }

  it('cancels a deployment waiting for approval: the token fails, ECS rolls back, the record ends CANCELLED', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('canary', '2.0.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');

    const result = await cancelDeployment(id, cancelDeps(), { by: 'U-OPS' });
    expect(result).toMatchObject({ kind: 'requested', approvalsCancelled: 1 });
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.error).toBe('stepcd.Cancelled');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('CANCELLED');
    expect(record?.cancelRequested).toBe(true);
    expect(record?.stages[2]).toMatchObject({ name: 'WAIT_APPROVAL', status: 'CANCELLED' });
    expect((await h.stack.core.history.getApproval(id, 2))?.status).toBe('CANCELLED');
    expect(h.eventsOf(id).filter((t) => t.startsWith('DEPLOYMENT_'))).toEqual([
      'DEPLOYMENT_TRIGGERED',
      'DEPLOYMENT_STARTED',
      'DEPLOYMENT_WAIT_APPROVAL',
      'DEPLOYMENT_ROLLING_BACK',
      'DEPLOYMENT_CANCELLED',
    ]);
    await expectRestored();

    const again = await cancelDeployment(id, cancelDeps());
    expect(again).toMatchObject({ kind: 'already-final', message: `deployment ${id} already finished (CANCELLED)` });
  });

  it('cancels between two ECS stages: the next stage never starts, and the record ends CANCELLED after rollback', async () => {
    let cancelled: Promise<unknown> | undefined;
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      const { action, data } = event as { action: string; data: ExecutionData };
      const out = (await next(event, context)) as ExecutionData;
      // Cancel once the canary is up: its check found it done and opened the routing stage, which has
      // not started yet.
      if (action === 'check' && data.cursor.stage?.name === 'ECS_CANARY_ROLLOUT' && out.route === 'ECS_TRAFFIC_ROUTING') {
        cancelled ??= cancelDeployment(data.plan.deploymentId, cancelDeps(), { by: 'U-OPS' });
        await cancelled;
      }
      return out;
    });
    try {
      const { id, arn } = await h.deploy(await h.imageBump('canary', '2.1.0'));
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
      expect(run.error).toBe('stepcd.Cancelled');
      expect(await cancelled).toMatchObject({ kind: 'requested', approvalsCancelled: 0 });

      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('CANCELLED');
      expect(record?.reason).toMatch(/^cancelled by U-OPS before ECS_TRAFFIC_ROUTING started; rolled back/);
      // The canary stage itself succeeded; the routing stage was opened but cancelled before any call.
      expect(record?.stages.map((s) => s.status)).toEqual(['SUCCESS', 'CANCELLED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED']);
      expect(record?.errors).toMatchObject([{ error: 'stepcd.Cancelled', stage: 'ECS_TRAFFIC_ROUTING' }]);
      expect(h.eventsOf(id)).toContain('DEPLOYMENT_ROLLING_BACK');
      expect(h.eventsOf(id).at(-1)).toBe('DEPLOYMENT_CANCELLED');
      await expectRestored();
    } finally {
      undo();
    }
  });

  it('finalises a stopped execution: the finaliser rolls back and the record ends final with the lock free', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('canary', '2.2.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');

    h.stack.cloud.sfn.stopExecution(arn, { cause: 'stopped from the console' });
    const record = await h.waitForStatus(id, 'CANCELLED');
    expect(record.reason).toContain('execution was stopped (StopExecution)');
    expect(record.reason).toContain('rolled back');
    expect(record.endedAt).toBeTruthy();
    expect(h.stack.cloud.sfn.listOpenTokens()).toEqual([]);
    // The record turns final just before Finish publishes the event and returns.
    await waitFor('the rollback-only execution to end', async () =>
      h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn }).every((e) => e.status !== 'RUNNING') ? true : undefined,
    );
    expect(
      h
        .eventsOf(id)
        .filter((t) => t.startsWith('DEPLOYMENT_'))
        .slice(-2),
    ).toEqual(['DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_CANCELLED']);
    // The rollback-only execution the finaliser started has ended too, and its end changed nothing.
    const executions = h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn });
    expect(executions.filter((e) => e.status === 'RUNNING')).toEqual([]);
    await expectRestored();
    // Still this execution's: the rollback-only one's end does not name itself on the record.
    expect(await h.stack.core.history.getDeployment(id)).toMatchObject({ status: 'CANCELLED', executionArn: arn });
  });

  it('keeps FAILURE when StopExecution lands during an automatic rollback, with DEPLOYMENT_ROLLING_BACK sent once', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('canary', '2.3.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    // Hold the rollback in its steps: the stopped execution's rollback must be resumed by the finaliser.
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      if ((event as { action?: string }).action === 'rollback') h.stack.cloud.sfn.stopExecution(arn, { cause: 'stopped from the console mid-rollback' });
      return next(event, context);
    });
    try {
      await h.stack.approvals.reject({ deploymentId: id, user: 'U0LEAD', via: 'slack', now: new Date(), reason: 'bad canary' });
      const record = await waitFor(
        `deployment ${id} to end`,
        async () => {
          const r = await h.stack.core.history.getDeployment(id);
          return r && ['FAILURE', 'CANCELLED', 'SUCCESS'].includes(r.status) ? r : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(record.status).toBe('FAILURE');
      expect(record.reason).toContain('rejected by U0LEAD: bad canary');
      await waitFor('every execution to end', async () =>
        h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn }).every((e) => e.status !== 'RUNNING') ? true : undefined,
      );
      const events = h.eventsOf(id);
      expect(events.filter((t) => t === 'DEPLOYMENT_ROLLING_BACK')).toHaveLength(1);
      expect(events.filter((t) => ['DEPLOYMENT_FAILED', 'DEPLOYMENT_CANCELLED', 'DEPLOYMENT_SUCCEEDED'].includes(t))).toEqual(['DEPLOYMENT_FAILED']);
    } finally {
      undo();
    }
    await expectRestored();
  });

  it('rolls back what a stage Lambda still in flight at StopExecution created', async () => {
    let stopped = false;
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      const { action, data } = event as { action: string; data: { cursor: { stage?: { name: string } } } };
      // The console stop lands while the canary's start is running: AWS does not stop that Lambda.
      if (!stopped && action === 'start' && data.cursor.stage?.name === 'ECS_CANARY_ROLLOUT') {
        stopped = true;
        h.stack.cloud.sfn.stopExecution(arn, { cause: 'stopped mid-stage' });
      }
      return next(event, context);
    });
    let arn = '';
    try {
      const deployed = await h.deploy(await h.imageBump('canary', '2.3.0'));
      arn = deployed.arn;
      const record = await h.waitForStatus(deployed.id, 'CANCELLED');
      await waitFor('the rollback-only execution to end', async () =>
        h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn }).every((e) => e.status !== 'RUNNING') ? true : undefined,
      );
      expect(stopped).toBe(true);
      expect(record.reason).toContain('rolled back');
      await expectRestored();
    } finally {
      undo();
    }
  });

  it('finalises an execution stopped before Begin ran: CANCELLED, nothing deployed, and the record names the execution', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const undo = h.stack.interceptFunction('orchestrate', async (event, context, next) => {
      if ((event as { action?: string }).action === 'begin') await held;
      return next(event, context);
    });
    try {
      const { id, arn } = await h.deploy(await h.imageBump('canary', '2.4.0'));
      expect((await h.stack.core.history.getDeployment(id))?.executionArn).toBeUndefined();
      h.stack.cloud.sfn.stopExecution(arn, { cause: 'stopped from the console' });
      const record = await h.waitForStatus(id, 'CANCELLED');
      // Begin is still held: the finaliser recorded it.
      expect(record.executionArn).toBe(arn);
      expect(record.reason).toBe('execution was stopped (StopExecution); it never held the app lock, so nothing was deployed');
    } finally {
      release();
      undo();
    }
    await expectRestored();
  });

  it('finalises an execution whose Begin failed for good before its first write: the record ends final and names the execution', async () => {
    const undo = h.stack.interceptFunction('orchestrate', async (event, context, next) => {
      if ((event as { action?: string }).action === 'begin') throw new InvalidStateError('the history table answered nonsense');
      return next(event, context);
    });
    try {
      const { id, arn } = await h.deploy(await h.imageBump('canary', '2.5.0'));
      const done = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
      expect(done.status).toBe('FAILED');
      const record = await h.waitForStatus(id, 'FAILURE');
      expect(record.executionArn).toBe(arn);
    } finally {
      undo();
    }
    await expectRestored();
  });
});
