import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, settle, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';

describe('ECS_PRIMARY_ROLLOUT against the local cloud', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  let v1Set: string;
  beforeEach(async () => {
    ({ world, lastGood, v1Set } = await startWorldWithV1());
  });
  afterEach(async () => {
    await world.close();
  });

  it('makes the new set PRIMARY and deletes only the previous primary, never the canary (PipeCD #4710)', async () => {
    const plan = buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.canary(30), stage.route(80, 20), stage.primary()] });
    let state: DeploymentState = emptyDeploymentState();
    for (const index of [0, 1]) state = (await runStage(world, plan, index, state, lastGood)).state;
    world.emulator.calls.reset();

    const run = await runStage(world, plan, 2, state, lastGood);
    settle(world);

    expect(run.status).toBe('done');
    const now = await view(world);
    expect(now.sets.map((s) => s.id).sort()).toEqual([run.state.canaryTaskSetId, run.state.primaryTaskSetId].sort());
    expect(now.sets.find((s) => s.id === run.state.primaryTaskSetId)).toMatchObject({ status: 'PRIMARY', scale: 100 });
    expect(now.sets.some((s) => s.id === v1Set)).toBe(false);
    expect(world.emulator.calls.count({ operation: 'DeleteTaskSet' })).toBe(1);
    expect(now.weights.default).toMatchObject({ primary: 80, canary: 20 });
  });
});
