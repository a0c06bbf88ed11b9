import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScaledClock } from '../../src/local/clock.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

const HOUR = 3_600_000;
const MANIFEST = 'apps/canary/app.pipecd.yaml';

/**
 * Queue by callback: a deployment that finds its app locked waits on a task token in the Queued
 * state, and the lock holder resumes it on each of its end paths. The backstop is set far beyond any
 * test here (10 min), so a queued deployment that takes the lock was handed it, never timed in.
 * The canary app holds each holder at its approval, so the test decides how the holder ends.
 */
describe('queue by callback: the lock holder hands the lock on', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness({ queueBackstopSeconds: 600 });
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const history = () => h.stack.core.history;
  const sfn = () => h.stack.cloud.sfn;
  const approve = (id: string) => h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });
  const entered = (arn: string, state: string) => h.entered(arn, state);

  async function parked(arn: string, id: string) {
    await waitFor(`${arn} to wait in Queued on a stored token`, async () => {
      const open = sfn()
        .listOpenTokens()
        .some((t) => t.executionArn === arn && t.stateName === 'Queued');
      return open && (await history().getAppState('canary')).queueTokens?.[id] ? true : undefined;
    });
  }

  /** An image bump of canary whose app.pipecd.yaml sets spec.timeout. */
  async function bumpWithTimeout(tag: string, timeout: string) {
    const manifest = (await readFile(join(h.repoDir, MANIFEST), 'utf8')).replace(/^ {2}timeout: .*\n/m, '');
    return { ...(await h.imageBump('canary', tag)), [MANIFEST]: manifest.replace(/^ {2}name: canary\n/m, `  name: canary\n  timeout: ${timeout}\n`) };
  }

  /** A holder at its approval with B parked behind it; `end` ends the holder; B must then run. */
  async function handsOnWhen(
    tags: [string, string],
    end: (holder: { id: string; arn: string }) => Promise<void>,
    holderFiles: (files: Record<string, string>) => Promise<Record<string, string>> = async (files) => files,
  ) {
    const manifest = await readFile(join(h.repoDir, MANIFEST), 'utf8');
    const a = await h.deploy(await holderFiles(await h.imageBump('canary', tags[0])));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    // B runs the app's usual pipeline, whatever the holder's commit changed in it.
    const b = await h.deploy({ ...(await h.imageBump('canary', tags[1])), [MANIFEST]: manifest });
    await parked(b.arn, b.id);
    await end(a);
    await sfn().waitForExecution(a.arn, { timeoutMs: 60_000 });
    const running = await h.waitForStatus(b.id, 'WAITING_APPROVAL', 60_000);
    expect(running.status).toBe('WAITING_APPROVAL');
    // Begin ran twice: queued, then resumed by the hand-off (no backstop timeout in between).
    expect(entered(b.arn, 'Begin')).toBe(2);
    expect(
      sfn()
        .history(b.arn)
        .some((e) => e.type === 'TaskTimedOut'),
    ).toBe(false);
    expect(await history().getAppState('canary')).toMatchObject({ lockHolder: b.id, queue: [] });
    expect((await approve(b.id)).kind).toBe('approved');
    expect((await sfn().waitForExecution(b.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
    return { a, b };
  }

  it('success: on a failure path (the holder rejected, rolled back, FinishFailed) the next one is resumed', async () => {
    const { a } = await handsOnWhen(['10.0.0', '10.1.0'], async (holder) => {
      expect((await h.stack.approvals.reject({ deploymentId: holder.id, user: 'U-LEAD', via: 'cli', now: new Date() })).kind).toBe('rejected');
    });
    expect((await history().getDeployment(a.id))?.status).toBe('FAILURE');
  });

  it('success: when the holder is stopped, the finaliser-started rollback hands the lock on at its end', async () => {
    const { a } = await handsOnWhen(['11.0.0', '11.1.0'], async (holder) => {
      sfn().stopExecution(holder.arn, { error: 'Ops', cause: 'stopped by hand' });
      await h.waitForStatus(holder.id, 'CANCELLED', 60_000);
    });
    expect((await history().getDeployment(a.id))?.status).toBe('CANCELLED');
  });

  it('success: when a holder that never touched ECS is stopped, the finaliser itself hands the lock on', async () => {
    // The approval comes first in this holder's pipeline, so the stop finds ECS untouched: no rollback.
    const approvalFirst = async (files: Record<string, string>) => {
      const manifest = await readFile(join(h.repoDir, MANIFEST), 'utf8');
      return { ...files, [MANIFEST]: manifest.replace(/^ {4}stages:\n/m, '    stages:\n      - name: WAIT_APPROVAL\n        with:\n          timeout: 30m\n') };
    };
    const { a } = await handsOnWhen(
      ['13.0.0', '13.1.0'],
      async (holder) => {
        sfn().stopExecution(holder.arn, { error: 'Ops', cause: 'stopped by hand' });
      },
      approvalFirst,
    );
    const record = (await history().getDeployment(a.id))!;
    expect(record.status).toBe('CANCELLED');
    expect(record.reason).toContain('ECS was not touched');
  });

  it('success: queued 6 h behind an approval, it runs and succeeds: spec.timeout counts from when it took the lock', async () => {
    const a = await h.deploy(await bumpWithTimeout('12.0.0', '12h'));
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await bumpWithTimeout('12.1.0', '1h'));
    await parked(b.arn, b.id);
    (h.stack.cloud.clock as ScaledClock).advance(6 * HOUR);
    expect((await approve(a.id)).kind).toBe('approved');
    expect((await sfn().waitForExecution(a.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');

    await h.waitForStatus(b.id, 'WAITING_APPROVAL', 60_000);
    expect((await approve(b.id)).kind).toBe('approved');
    expect((await sfn().waitForExecution(b.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
    const record = (await history().getDeployment(b.id))!;
    expect(record.status).toBe('SUCCESS');
    // Counted from planning, its 1 h would have run out while it queued.
    const plan = JSON.parse(sfn().describeExecution(b.arn).input) as { createdAt: string; options: { timeoutSeconds: number } };
    expect(plan.options.timeoutSeconds).toBe(3600);
    expect(h.stack.cloud.clock.now() - Date.parse(plan.createdAt)).toBeGreaterThan(6 * HOUR);
  });
});
