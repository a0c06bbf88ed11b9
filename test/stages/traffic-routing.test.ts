import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, stage, stageInput, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { startStage } from '../../src/stages/index.js';
import { ErrorName, StableTimeoutError } from '../../src/errors.js';

describe('ECS_TRAFFIC_ROUTING against the local cloud', () => {
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

  it('writes no rule again when the weights are already set', async () => {
    const plan = canaryPlan();
    const canary = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);
    const routed = await startStage(stageInput(world, plan, 1, canary.state, lastGood), world.ports);
    world.emulator.calls.reset();

    const again = await startStage(stageInput(world, plan, 1, routed.state, lastGood), world.ports);

    expect(again).toMatchObject({ needsCheck: false, detail: 'primary 80% / canary 20% already set on 2 rule(s)' });
    expect(world.emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(0);
    expect((await view(world)).weights.default).toMatchObject({ primary: 80, canary: 20 });
  });

  it('never gives traffic to a canary whose targets never get healthy', async () => {
    world.emulator.faults.unhealthyTargets({ targetGroupArn: world.canaryTg });
    const plan = canaryPlan();
    const canary = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);
    expect(canary.status).toBe('failed');
    expect(canary.reason).toMatch(/not STEADY_STATE after 600s/);
    expect(canary.error).toBeInstanceOf(StableTimeoutError);

    await expect(startStage(stageInput(world, plan, 1, canary.state, lastGood), world.ports)).rejects.toMatchObject({ name: ErrorName.UnhealthyCanary });
    const now = await view(world);
    expect(now.weights.default).toMatchObject({ primary: 100, canary: 0 });
    expect(now.weights.api).toMatchObject({ primary: 100, canary: 0 });
    expect(world.emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(0);
  });
});
