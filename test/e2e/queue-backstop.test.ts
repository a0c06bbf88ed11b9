import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * The backstop of queue by callback: a hand-off that never arrives (SendTaskSuccess accepted and
 * lost, injected at the local Step Functions) must not leave the app stuck. The Queued task's
 * timeout (queueBackstopSeconds, 2 s here) sends the execution to Begin, which takes the free lock.
 */
describe('queue by callback: a lost hand-off', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness({ queueBackstopSeconds: 2 });
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.stop();
  });

  const history = () => h.stack.core.history;
  const sfn = () => h.stack.cloud.sfn;
  const approve = (id: string) => h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });
  const entered = (arn: string, state: string) => h.entered(arn, state);

  it('success: the backstop loops the queued deployment to Begin once, and it takes the lock', async () => {
    const a = await h.deploy(await h.imageBump('canary', '20.0.0'));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await h.imageBump('canary', '20.1.0'));
    await waitFor('B to store its queue token', async () => (await history().getAppState('canary')).queueTokens?.[b.id]);
    // Queued behind a held lock, each backstop costs 3 transitions (Begin, Route, Queued): at
    // the 900 s default, 12 an hour.
    const queued0 = entered(b.arn, 'Queued');
    const transitions0 = sfn().transitions(b.arn);
    await waitFor('two backstops while A holds the lock', async () => (entered(b.arn, 'Queued') >= queued0 + 2 ? true : undefined), { timeoutMs: 20_000 });
    expect(sfn().transitions(b.arn) - transitions0).toBe(3 * (entered(b.arn, 'Queued') - queued0));
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: a.id, queue: [b.id] });

    // Every hand-off (the holder's, and B's own check after it re-parks) is accepted and dropped.
    const dropped: string[] = [];
    const send = sfn().sendTaskSuccess.bind(sfn());
    vi.spyOn(sfn(), 'sendTaskSuccess').mockImplementation((t, output) => (JSON.parse(output).handedOff ? void dropped.push(t) : send(t, output)));

    expect((await approve(a.id)).kind).toBe('approved');
    expect((await sfn().waitForExecution(a.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
    expect(dropped.length).toBeGreaterThanOrEqual(1);

    await h.waitForStatus(b.id, 'WAITING_APPROVAL', 30_000);
    const timedOut = sfn()
      .history(b.arn)
      .filter((e) => e.type === 'TaskTimedOut');
    expect(timedOut.length).toBeGreaterThanOrEqual(1);
    expect(entered(b.arn, 'Begin')).toBe(timedOut.length + 1);
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: b.id, queue: [] });

    vi.restoreAllMocks();
    expect((await approve(b.id)).kind).toBe('approved');
    expect((await sfn().waitForExecution(b.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
  });
});
