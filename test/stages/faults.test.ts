import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, deployAll, runStage, stage, stageInput, startStageWorld, view, type StageWorld } from '../support/stage-fixtures.js';
import { emptyDeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { startStage } from '../../src/stages/index.js';
import { ErrorName } from '../../src/errors.js';

describe('stage executors under faults', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  beforeEach(async () => {
    world = await startStageWorld();
    lastGood = (await deployAll(world, buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] }))).lastGood;
    world.emulator.calls.reset();
  });
  afterEach(async () => {
    await world.close();
  });

  const canaryPlan = () => buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.canary(30), stage.route(80, 20)] });

  it('retries a throttled call and succeeds', async () => {
    world.emulator.faults.inject({ service: 'ecs', operation: 'CreateTaskSet', kind: 'throttle', times: 1 });
    world.emulator.faults.inject({ service: 'elbv2', operation: 'ModifyListener', kind: 'throttle', times: 1 });
    const plan = canaryPlan();

    const canary = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);
    const routed = await runStage(world, plan, 1, canary.state, lastGood);

    expect(routed.status).toBe('done');
    const now = await view(world);
    expect(now.sets.filter((s) => s.externalId === 'd2:0:canary')).toHaveLength(1);
    expect(now.weights.default).toMatchObject({ primary: 80, canary: 20 });
    expect(world.emulator.calls.count({ operation: 'CreateTaskSet' })).toBe(2);
  });

  it('surfaces persistent throttling as stepcd.Throttled so the ASL retries it', async () => {
    world.emulator.faults.inject({ service: 'ecs', operation: 'CreateTaskSet', kind: 'throttle' });
    const plan = canaryPlan();

    await expect(startStage(stageInput(world, plan, 0, emptyDeploymentState(), lastGood), world.ports)).rejects.toMatchObject({ name: ErrorName.Throttled });
  });

  it('fails the canary check with the ECS stop reason when its tasks crash', async () => {
    world.emulator.faults.crashTasks({ image: 'acme/web:v2', reason: 'Essential container in task exited', afterMs: 1_000 });

    const run = await runStage(world, canaryPlan(), 0, emptyDeploymentState(), lastGood);

    expect(run.status).toBe('failed');
    expect(run.reason).toContain('Essential container in task exited');
    expect(run.reason).toContain(run.state.canaryTaskSetId);
  });

  it('never gives traffic to a canary whose targets never get healthy', async () => {
    world.emulator.faults.unhealthyTargets({ targetGroupArn: world.canaryTg });
    const plan = canaryPlan();
    const canary = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);
    expect(canary.status).toBe('failed');
    expect(canary.reason).toMatch(/not STEADY_STATE after 600s/);

    await expect(startStage(stageInput(world, plan, 1, canary.state, lastGood), world.ports)).rejects.toMatchObject({ name: ErrorName.UnhealthyCanary });
    const now = await view(world);
    expect(now.weights.default).toMatchObject({ primary: 100, canary: 0 });
    expect(now.weights.api).toMatchObject({ primary: 100, canary: 0 });
    expect(world.emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(0);
  });
});
