import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, settle, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import { stepcdTags } from '../../src/stages/ecs/identity.js';

/**
 * Each executor run twice with the same input (a Lambda retried after its answer was lost) must end
 * in the same world: no second task set, no second revision, no double weight shift.
 */
describe('stage executors run twice with the same input', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  let plan: DeploymentPlan;
  beforeEach(async () => {
    ({ world, lastGood } = await startWorldWithV1());
    plan = buildPlan(world, {
      deploymentId: 'd2',
      image: 'acme/web:v2',
      stages: [stage.canary(30), stage.route(80, 20), stage.primary(), stage.route(100, 0), stage.clean()],
    });
  });
  afterEach(async () => {
    await world.close();
  });

  async function twice(index: number, state: DeploymentState) {
    const first = await runStage(world, plan, index, state, lastGood);
    settle(world);
    const afterFirst = await view(world);
    const creates = () => world.emulator.calls.byOperation()['ecs:CreateTaskSet'] ?? 0;
    const registers = () => world.emulator.calls.byOperation()['ecs:RegisterTaskDefinition'] ?? 0;
    const weightWrites = () => world.emulator.calls.count({ service: 'elbv2', mutating: true });
    const before = { creates: creates(), registers: registers(), weightWrites: weightWrites() };

    const second = await runStage(world, plan, index, state, lastGood);
    settle(world);

    expect(first.status).toBe('done');
    expect(second.status).toBe('done');
    expect(await view(world)).toEqual(afterFirst);
    expect({ creates: creates(), registers: registers(), weightWrites: weightWrites() }).toEqual(before);
    expect(second.state.taskDefinitionArn).toBe(first.state.taskDefinitionArn);
    return first.state;
  }

  it('reuses a revision registered by a Lambda that died before creating its task set', async () => {
    const registers = () => world.emulator.calls.byOperation()['ecs:RegisterTaskDefinition'] ?? 0;
    await world.ports.ecs.registerTaskDefinition(plan.taskDefinition, stepcdTags(plan));
    const before = registers();

    const result = await runStage(world, plan, 0, emptyDeploymentState(), lastGood);

    expect(result.status).toBe('done');
    expect(registers()).toBe(before);
  });

  it('gives the same end state for every stage of the canary pipeline', async () => {
    let state = emptyDeploymentState();
    for (let i = 0; i < plan.stages.length; i += 1) state = await twice(i, state);
    expect((await view(world)).sets).toEqual([expect.objectContaining({ id: state.primaryTaskSetId, status: 'PRIMARY' })]);
  });

  it('gives the same end state for quick sync', async () => {
    plan = buildPlan(world, { deploymentId: 'd3', image: 'acme/web:v3', stages: [stage.sync()] });
    const state = await twice(0, emptyDeploymentState());
    expect((await view(world)).sets).toEqual([expect.objectContaining({ id: state.primaryTaskSetId, status: 'PRIMARY' })]);
  });
});
