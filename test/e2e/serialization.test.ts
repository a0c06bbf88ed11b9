import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cancelDeployment } from '../../src/orchestrator/index.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * Per-app serialization: one deployment holds the app's lock at a time, later pushes queue behind
 * it, and of several queued pushes only the newest is worth deploying. The canary app holds each
 * deployment at its approval, so the test decides when the lock is released.
 */
/** Every HistoryStore method that writes, keyed by deployment id in one of its arguments. */
const WRITE_METHODS = ['tryLock', 'enqueue', 'dequeue', 'releaseLock', 'setStatus', 'setStageStatus', 'setState', 'setExecution', 'addError'] as const;

describe('per-app serialization', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const history = () => h.stack.core.history;
  const approve = (id: string) => h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });

  const begins = (arn: string) => h.entered(arn, 'Begin');

  /** Waits until the queued execution waits on its queue token (the Queued state), its token stored. */
  async function parked(arn: string, id: string) {
    await waitFor(`${arn} to wait in Queued on a stored token`, async () => {
      const open = h.stack.cloud.sfn.listOpenTokens().some((t) => t.executionArn === arn && t.stateName === 'Queued');
      const stored = (await history().getAppState('canary')).queueTokens?.[id];
      return open && stored ? true : undefined;
    });
  }

  it('queues a second push behind the running one on a task token (no polling, no writes while it waits), and hands the lock on to it', async () => {
    const a = await h.deploy(await h.imageBump('canary', '3.0.0'));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await h.imageBump('canary', '3.1.0'));
    await parked(b.arn, b.id);
    const queuedRecord = await history().getDeployment(b.id);
    expect(queuedRecord?.status).toBe('PENDING');
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: a.id, queue: [b.id] });
    const writes = WRITE_METHODS.map((method) => vi.spyOn(history(), method));
    const transitions = h.stack.cloud.sfn.transitions(b.arn);
    await new Promise((r) => setTimeout(r, 1_500));
    // Waiting on the token is no loop: no Begin again, no state transition, no write of any kind.
    expect(begins(b.arn)).toBe(1);
    expect(h.stack.cloud.sfn.transitions(b.arn)).toBe(transitions);
    expect((await history().getDeployment(b.id))?.updatedAt).toBe(queuedRecord?.updatedAt);
    const byB = writes.flatMap((spy) => spy.mock.calls).filter((args) => args.includes(b.id));
    for (const spy of writes) spy.mockRestore();
    expect(byB).toEqual([]);

    expect((await approve(a.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(a.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const running = await h.waitForStatus(b.id, 'WAITING_APPROVAL');
    const ended = (await history().getDeployment(a.id))!;
    expect(ended.status).toBe('SUCCESS');
    // B's first stage started only after A ended.
    expect(Date.parse(running.stages[0]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.endedAt!));
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: b.id, queue: [], queueTokens: {} });
    // Woken by A's hand-off, not by its backstop (30 s locally): Begin ran once more, and took the lock.
    expect(begins(b.arn)).toBe(2);

    expect((await approve(b.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(b.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const appState = await history().getAppState('canary');
    expect(appState.lockHolder).toBeUndefined();
    expect(appState.lastGood?.deploymentId).toBe(b.id);
  });

  it('ends the middle of three queued pushes SUPERSEDED without touching ECS, and deploys the newest', async () => {
    const a = await h.deploy(await h.imageBump('canary', '4.0.0'));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await h.imageBump('canary', '4.1.0'));
    await parked(b.arn, b.id);
    const c = await h.deploy(await h.imageBump('canary', '4.2.0'));

    const superseded = await h.waitForStatus(b.id, 'SUPERSEDED');
    const c7 = c.sha.slice(0, 7);
    expect(superseded.reason).toBe(`superseded by commit ${c7} (queued, deployment ${c.id}): ${c7} is a newer commit of canary; nothing was deployed`);
    expect(superseded.stages.every((s) => s.status === 'NOT_STARTED')).toBe(true);
    expect(superseded.state?.touched ?? false).toBe(false);
    expect((await h.stack.cloud.sfn.waitForExecution(b.arn)).status).toBe('SUCCEEDED');
    // SUPERSEDED is an end status, and every end status has exactly one event.
    expect(h.eventsOf(b.id)).toEqual(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_CANCELLED']);
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: a.id, queue: [c.id] });

    expect((await approve(a.id)).kind).toBe('approved');
    await h.waitForStatus(c.id, 'WAITING_APPROVAL');
    expect((await approve(c.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(c.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const appState = await history().getAppState('canary');
    expect(appState).toMatchObject({ queue: [], lastGood: { deploymentId: c.id } });
    expect(appState.lockHolder).toBeUndefined();
    const seen = h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 50, path: '/canary/' });
    expect(Object.keys(seen.byVersion)).toEqual([appState.lastGood!.taskDefinitionArn]);
  });

  it('cancels a queued deployment before it takes the lock: CANCELLED, nothing deployed, the running one unaffected', async () => {
    const a = await h.deploy(await h.imageBump('canary', '6.0.0'));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await h.imageBump('canary', '6.1.0'));
    await parked(b.arn, b.id);

    const result = await cancelDeployment(b.id, { history: history(), approvals: h.stack.approvals });
    expect(result).toMatchObject({ kind: 'requested', status: 'PENDING', approvalsCancelled: 0 });
    const cancelled = await h.waitForStatus(b.id, 'CANCELLED');
    expect(cancelled.reason).toBe('cancelled while queued; nothing was deployed');
    expect(cancelled.state?.touched ?? false).toBe(false);
    expect((await h.stack.cloud.sfn.waitForExecution(b.arn)).status).toBe('SUCCEEDED');
    expect(h.eventsOf(b.id)).toEqual(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_CANCELLED']);
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: a.id, queue: [] });

    expect((await approve(a.id)).kind).toBe('approved');
    expect((await h.stack.cloud.sfn.waitForExecution(a.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    expect((await history().getAppState('canary')).lockHolder).toBeUndefined();
  });
});
