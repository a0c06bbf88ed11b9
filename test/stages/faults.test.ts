import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, stage, stageInput, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { startStage } from '../../src/stages/index.js';
import { ErrorName } from '../../src/errors.js';

describe('stage executors under faults', () => {
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
});
