import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../reliability/support/summary.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * Issue 12 (4): a first deployment (a quick sync that creates the service) failing at each step of
 * ECS_SYNC leaves nothing behind: traffic away, task sets and the created service deleted, the drain
 * awaited, and FAILURE saying it removed the service. Through the real state machine, with the
 * emulator refusing or breaking one operation per case.
 */
const summary = createSummary('issue 12: failed first deployments');

describe('a failed first deployment leaves nothing behind', () => {
  let h: StackHarness;
  let ecs: ECSClient;

  beforeAll(async () => {
    h = await startStackHarness();
    ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
  });
  afterAll(async () => {
    ecs?.destroy();
    await h?.stop();
  });

  const CASES: { name: string; arrange: () => void }[] = [
    {
      name: 'CreateTaskSet keeps failing (5xx)',
      arrange: () => h.stack.cloud.emulator.faults.inject({ service: 'ecs', operation: 'CreateTaskSet', kind: 'http500' }),
    },
    {
      name: 'the new tasks crash while stabilising',
      arrange: () => h.stack.cloud.emulator.faults.crashTasks({ family: 'simple', reason: 'Essential container in task exited' }),
    },
    {
      name: 'UpdateServicePrimaryTaskSet keeps failing (5xx)',
      arrange: () => h.stack.cloud.emulator.faults.inject({ service: 'ecs', operation: 'UpdateServicePrimaryTaskSet', kind: 'http500' }),
    },
    {
      name: 'the task sets cannot be read while stabilising (5xx)',
      arrange: () => h.stack.cloud.emulator.faults.inject({ service: 'ecs', operation: 'DescribeTaskSets', kind: 'http500' }),
    },
  ];

  it.each(CASES)('fail: $name → FAILURE, "removed the service this deployment created", no service or task set left', async ({ name, arrange }) => {
    await summary.track(name, 'service and task sets removed, FAILURE says so', async () => {
      arrange();
      const files = await exampleFiles(['simple']);
      const { id, arn } = await h.deploy(files, 'first deployment of simple');
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
      h.stack.cloud.emulator.faults.clear();
      expect(run.status).toBe('FAILED');

      const record = await waitFor(`${id} to end`, async () => {
        const r = await h.stack.core.history.getDeployment(id);
        return r && ['FAILURE', 'CANCELLED', 'SUCCESS'].includes(r.status) ? r : undefined;
      });
      expect(record.status).toBe('FAILURE');
      expect(record.reason).toContain('removed the service this deployment created');
      expect(record.reason, record.reason).not.toMatch(/rolled back: rolled back:|\{"errorType"|rollback did not finish/);
      expect(h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'simple')).toEqual([]);
      const described = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['simple'] }));
      expect(described.services?.filter((s) => s.status !== 'INACTIVE')).toEqual([]);
      expect(await h.stack.core.history.getAppState('simple')).toMatchObject({ queue: [] });
      expect((await h.stack.core.history.getAppState('simple')).lockHolder).toBeUndefined();

      // Remove the app from the repository, so the next case pushes it as a first deployment again.
      await h.push(Object.fromEntries(Object.keys(files).map((p) => [p, null])), 'remove simple');
    });
  });
});
