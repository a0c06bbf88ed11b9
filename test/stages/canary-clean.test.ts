import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, settle, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';

describe('ECS_CANARY_CLEAN against the local cloud', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  let v1Set: string;
  beforeEach(async () => {
    ({ world, lastGood, v1Set } = await startWorldWithV1());
    world.total503 = 0;
  });
  afterEach(async () => {
    await world.close();
  });

  it('takes traffic off a canary that still has weight before deleting it', async () => {
    const plan = buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.canary(30), stage.route(80, 20), stage.clean()] });
    let state: DeploymentState = emptyDeploymentState();
    for (const index of [0, 1]) state = (await runStage(world, plan, index, state, lastGood)).state;
    world.emulator.calls.reset();

    const run = await runStage(world, plan, 2, state, lastGood);
    settle(world);

    expect(run.status).toBe('done');
    const calls = world.emulator.calls.all().filter((c) => c.mutating);
    const firstDelete = calls.findIndex((c) => c.operation === 'DeleteTaskSet');
    const lastWeightChange = calls.findLastIndex((c) => c.service === 'elbv2');
    expect(firstDelete).toBeGreaterThan(lastWeightChange);
    expect(lastWeightChange).toBeGreaterThanOrEqual(0);
    const now = await view(world);
    expect(now.weights.default).toMatchObject({ primary: 100, canary: 0 });
    expect(now.sets).toEqual([expect.objectContaining({ id: v1Set, status: 'PRIMARY' })]);
    expect(world.total503).toBe(0);
  });

  it('counts a canary that is already gone as success', async () => {
    const plan = buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.clean()] });
    world.emulator.calls.reset();

    const run = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);

    expect(run).toMatchObject({ status: 'done', checks: 0 });
    expect(world.emulator.calls.count({ mutating: true })).toBe(0);
    expect((await view(world)).sets).toEqual([expect.objectContaining({ id: v1Set, status: 'PRIMARY' })]);
  });
});
