import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * ECS_RUN_TASK through the real state machine: a one-off task of the NEW task definition (a
 * migration) runs before traffic moves and gates the rollout. A non-zero exit of its essential
 * container fails the stage with the container, code and ECS reason, and the deployment rolls back.
 */
const PIPELINE = `  pipeline:
    stages:
      - name: ECS_RUN_TASK
        desc: database migration
        with:
          containerName: web
          command: ["./migrate", "up"]
          timeout: 10m
      - name: ECS_PRIMARY_ROLLOUT
`;

describe('ECS_RUN_TASK stage', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    const files = await exampleFiles(['simple']);
    files['apps/simple/app.pipecd.yaml'] = `${files['apps/simple/app.pipecd.yaml']}${PIPELINE}`;
    await h.deployBaseline(files, 'simple with a migration stage');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const runTaskCalls = () => h.stack.cloud.calls.calls.filter((c) => c.operation === 'RunTask');

  it('success: the migration runs the new task definition, exits 0, and the rollout follows', async () => {
    const before = runTaskCalls().length;
    const { id, arn } = await h.deploy(await h.imageBump('simple', '1.1.0'), 'simple: 1.1.0');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.map((s) => [s.name, s.status])).toEqual([
      ['ECS_RUN_TASK', 'SUCCESS'],
      ['ECS_PRIMARY_ROLLOUT', 'SUCCESS'],
    ]);
    const calls = runTaskCalls().slice(before);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.input as { taskDefinition: string; launchType?: string; networkConfiguration?: unknown; overrides?: unknown };
    // The new revision, registered once and then used by the rollout too.
    expect(input.taskDefinition).toBe(record?.state?.taskDefinitionArn);
    expect(input.launchType).toBe('FARGATE');
    expect(input.networkConfiguration).toMatchObject({ awsvpcConfiguration: { subnets: expect.any(Array) } });
    expect(input.overrides).toEqual({ containerOverrides: [{ name: 'web', command: ['./migrate', 'up'] }] });
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 20, path: '/simple/' });
    expect(Object.keys(seen.byVersion)).toEqual([record?.state?.taskDefinitionArn]);
    expect(h.eventsOf(id)).toContain('STAGE_SUCCEEDED');
  });

  it('fail: a non-zero exit of the essential container fails the stage, names it, and rolls back before any traffic moved', async () => {
    const lastGood = (await h.stack.core.history.getAppState('simple')).lastGood!;
    h.stack.cloud.emulator.faults.exitCodes({ family: 'simple', container: 'web', exitCode: 3, reason: 'migration 0042 failed' });
    try {
      const { id, arn } = await h.deploy(await h.imageBump('simple', '1.2.0'), 'simple: 1.2.0');
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('stepcd.TaskFailed');
      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('FAILURE');
      expect(record?.stages.map((s) => [s.name, s.status])).toEqual([
        ['ECS_RUN_TASK', 'FAILURE'],
        ['ECS_PRIMARY_ROLLOUT', 'NOT_STARTED'],
      ]);
      const detail = record?.stages[0]?.detail ?? '';
      expect(detail).toContain('essential container web exited with exit code 3 (migration 0042 failed)');
      expect(detail).toContain('stopped reason: Essential container in task exited');
      expect(h.eventsOf(id)).toEqual(expect.arrayContaining(['STAGE_FAILED', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_FAILED']));
      // Users still get the last good version, from its own task set only.
      const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 50, path: '/simple/' });
      expect(seen.outcomes['503']).toBe(0);
      expect(Object.keys(seen.byVersion)).toEqual([lastGood.taskDefinitionArn]);
      const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'simple').filter((s) => s.status !== 'DRAINING');
      expect(live.map((s) => s.id)).toEqual(lastGood.taskSetIds);
      expect((await h.stack.core.history.getAppState('simple')).lastGood?.deploymentId).toBe(lastGood.deploymentId);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });
});
