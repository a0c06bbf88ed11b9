import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionPlanReader } from '../../src/aws/execution-plan.js';
import { createSfnClient } from '../../src/aws/sfn.js';
import { rollbackApp } from '../../src/operations/rollback.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

const ACTOR = 'arn:aws:iam::000000000000:user/ops';

/**
 * `stepcd rollback --quick` over the real state machine: it takes the app's lock and queue like a
 * push (it waits behind the running deployment), then quick-syncs the recorded version with no canary
 * stage and no approval, over a newer live commit.
 */
describe('rollback operation through the state machine', () => {
  let h: StackHarness;
  let sfn: ReturnType<typeof createSfnClient>;
  let first: string;

  const deps = () => {
    const readPlan = executionPlanReader(sfn);
    return {
      history: h.stack.core.history,
      workflow: h.stack.core.workflow,
      events: h.stack.core.events,
      planOf: (r: { executionArn?: string }) => (r.executionArn ? readPlan(r.executionArn) : Promise.resolve(undefined)),
      now: () => new Date(),
      wallNow: () => new Date(),
    };
  };
  const approve = (deploymentId: string) => h.stack.approvals.approve({ deploymentId, user: 'U-LEAD', via: 'cli', now: new Date() });

  beforeAll(async () => {
    h = await startStackHarness();
    sfn = createSfnClient(h.stack.cloud.clientConfigs.sfn);
    first = (await h.deployBaseline(await exampleFiles(['canary']), 'canary 1.0.0')).apps![0]!.deploymentId;
    const second = await h.deploy(await h.imageBump('canary', '1.1.0'), 'canary: 1.1.0');
    await h.waitForStatus(second.id, 'WAITING_APPROVAL');
    await approve(second.id);
    expect((await h.stack.cloud.sfn.waitForExecution(second.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('success: queues behind the running deployment, then quick-syncs the version before the live one, with no canary and no approval', async () => {
    const running = await h.deploy(await h.imageBump('canary', '1.2.0'), 'canary: 1.2.0');
    await h.waitForStatus(running.id, 'WAITING_APPROVAL');

    const rollback = await rollbackApp({ app: 'canary', quick: true, actor: ACTOR }, deps());
    expect(rollback.rollbackOf).toBe(first);
    expect(rollback.strategy).toBe('QUICK_SYNC');
    const queued = await h.waitForStatus(rollback.deploymentId, 'PENDING');
    expect(queued.trigger).toEqual({ kind: 'rollback', actor: ACTOR, rollbackOf: first });
    await expect.poll(async () => (await h.stack.core.history.getAppState('canary')).queue).toEqual([rollback.deploymentId]);

    await approve(running.id);
    expect((await h.stack.cloud.sfn.waitForExecution(running.arn, { timeoutMs: 60_000 })).status).toBe('SUCCEEDED');
    const run = await h.stack.cloud.sfn.waitForExecution(rollback.executionArn, { timeoutMs: 60_000 });
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');

    const record = (await h.stack.core.history.getDeployment(rollback.deploymentId))!;
    expect(record.status).toBe('SUCCESS');
    expect(record.stages.map((s) => [s.name, s.status])).toEqual([['ECS_SYNC', 'SUCCESS']]);
    expect(record.approvals).toEqual([]);
    const original = (await h.stack.core.history.getDeployment(first))!;
    expect(record.commit.sha).toBe(original.commit.sha);
    const state = await h.stack.core.history.getAppState('canary');
    expect(state.lastGood).toMatchObject({ deploymentId: rollback.deploymentId, commitSha: original.commit.sha });
    // Only the rolled-back version serves: one primary task set, all traffic on it.
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => s.status)).toEqual(['PRIMARY']);
    const seen = h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 20, path: '/canary/' });
    expect(Object.keys(seen.byVersion)).toEqual([state.lastGood!.taskDefinitionArn]);
    expect(h.eventsOf(rollback.deploymentId)).toEqual(expect.arrayContaining(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_SUCCEEDED']));
  });
});
