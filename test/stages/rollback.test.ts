import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runRollback, runStage, settle, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import { CLUSTER, SERVICE, startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';

describe('rollback against the local cloud', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  beforeEach(async () => {
    ({ world, lastGood } = await startWorldWithV1());
  });
  afterEach(async () => {
    await world.close();
  });

  const canaryPlan = () =>
    buildPlan(world, {
      deploymentId: 'd2',
      image: 'acme/web:v2',
      stages: [stage.canary(30), stage.route(50, 50), stage.primary(), stage.route(100, 0), stage.clean()],
    });

  async function runUpTo(plan: ReturnType<typeof canaryPlan>, lastIndex: number): Promise<DeploymentState> {
    let state = emptyDeploymentState();
    for (let i = 0; i <= lastIndex; i += 1) state = (await runStage(world, plan, i, state, lastGood)).state;
    return state;
  }

  it.each([
    ['after the canary rollout', 0],
    ['after traffic was routed to the canary', 1],
    ['after the primary rollout replaced the primary', 2],
    ['after primary 100 was routed back', 3],
  ])('ends %s with all traffic on the last good version and only its set, with no 503s', async (_when, lastIndex) => {
    const plan = canaryPlan();
    const state = await runUpTo(plan, lastIndex);
    world.total503 = 0;

    const result = await runRollback(world, plan, state, lastGood);
    settle(world);

    const after = await view(world);
    expect(result.done).toBe(true);
    expect(result.summary).toMatch(/^rolled back: 100% of traffic on .*web:1/);
    expect(after.sets).toEqual([
      expect.objectContaining({ status: 'PRIMARY', stability: 'STEADY_STATE', taskDefinition: lastGood.taskDefinitionArn, targetGroup: world.primaryTg }),
    ]);
    expect(after.weights.default).toMatchObject({ primary: 100, canary: 0, stickiness: { enabled: true } });
    expect(after.weights.api).toMatchObject({ primary: 100, canary: 0 });
    const traffic = world.emulator.probe({ listenerArn: world.listenerArn, requests: 100 });
    expect(traffic.byVersion).toEqual({ [lastGood.taskDefinitionArn]: 100 });
    expect(world.total503).toBe(0);
  });

  it('is idempotent: rolling back again after it is done changes nothing', async () => {
    const plan = canaryPlan();
    const state = await runUpTo(plan, 2);
    const first = await runRollback(world, plan, state, lastGood);
    settle(world);
    const before = await view(world);
    world.emulator.calls.reset();

    const again = await runRollback(world, plan, first.state, lastGood);

    expect(again.done).toBe(true);
    expect(await view(world)).toEqual(before);
    expect(world.emulator.calls.count({ mutating: true })).toBe(0);
  });
});

describe('rollback of a first deployment', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('removes the service and task sets it created and says so plainly', async () => {
    const plan = buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] });
    world.emulator.faults.crashTasks({ image: 'acme/web:v1', reason: 'Essential container in task exited' });
    const run = await runStage(world, plan, 0, emptyDeploymentState());
    expect(run.status).toBe('failed');

    const result = await runRollback(world, plan, run.state);
    settle(world, 120_000);

    expect(result.done).toBe(true);
    expect(result.summary).toBe('first deployment, nothing to roll back to: removed the service this deployment created and 1 task set(s) it created');
    expect(await world.ports.ecs.findService(CLUSTER, SERVICE).then((s) => s?.status ?? 'gone')).not.toBe('ACTIVE');
    expect((await view(world)).weights.default).toMatchObject({ primary: 100, canary: 0 });
  });
});
