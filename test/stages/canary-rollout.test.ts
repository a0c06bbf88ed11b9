import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { ErrorName, StabilizeFailedError } from '../../src/errors.js';

describe('ECS_CANARY_ROLLOUT against the local cloud', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  beforeEach(async () => {
    ({ world, lastGood } = await startWorldWithV1());
    world.emulator.calls.reset();
  });
  afterEach(async () => {
    await world.close();
  });

  const canaryPlan = () => buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.canary(30), stage.route(80, 20)] });

  it('puts a scale% task set in the canary target group and gives it no traffic', async () => {
    const run = await runStage(world, canaryPlan(), 0, emptyDeploymentState(), lastGood);

    expect(run.status).toBe('done');
    const now = await view(world);
    expect(now.sets.find((s) => s.id === run.state.canaryTaskSetId)).toMatchObject({ status: 'ACTIVE', scale: 30, targetGroup: world.canaryTg });
    expect(now.weights.default).toMatchObject({ primary: 100, canary: 0 });
    expect(world.emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(0);
  });

  it('fails the check with the ECS stop reason when its tasks crash', async () => {
    world.emulator.faults.crashTasks({ image: 'acme/web:v2', reason: 'Essential container in task exited', afterMs: 1_000 });

    const run = await runStage(world, canaryPlan(), 0, emptyDeploymentState(), lastGood);

    expect(run.status).toBe('failed');
    expect(run.reason).toContain('Essential container in task exited');
    expect(run.reason).toContain(run.state.canaryTaskSetId);
    expect(run.error).toBeInstanceOf(StabilizeFailedError);
    expect(run.error?.name).toBe(ErrorName.StabilizeFailed);
  });
});
