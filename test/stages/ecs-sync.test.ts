import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, deployAll, runRollback, runStage, settle, stage, view } from '../support/stage-fixtures.js';
import { startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { emptyDeploymentState } from '../../src/domain/deployment.js';

describe('ECS_SYNC against the local cloud', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('creates the EXTERNAL service and one PRIMARY set on a first deployment, leaving weights alone', async () => {
    const plan = buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] });

    const { state } = await deployAll(world, plan);

    const after = await view(world);
    expect(state.serviceCreated).toBe(true);
    expect(after.sets).toEqual([
      expect.objectContaining({
        id: state.primaryTaskSetId,
        externalId: 'd1:0:primary',
        status: 'PRIMARY',
        stability: 'STEADY_STATE',
        scale: 100,
        desired: 4,
        running: 4,
        targetGroup: world.primaryTg,
      }),
    ]);
    expect(after.weights.default).toMatchObject({ primary: 100, canary: 0 });
    expect(after.weights.api).toMatchObject({ primary: 100, canary: 0 });
    expect(world.emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(0);
  });

  it('creates the service with the servicedef tags and stepcd tags together', async () => {
    const plan = buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] });
    plan.serviceDefinition.tags = [
      { key: 'team', value: 'payments' },
      { key: 'stepcd:deployment', value: 'forged' },
    ];

    await deployAll(world, plan);

    const described = await world.ecs.send(
      new DescribeServicesCommand({ cluster: plan.serviceDefinition.cluster, services: [plan.serviceDefinition.serviceName], include: ['TAGS'] }),
    );
    const tags = Object.fromEntries((described.services?.[0]?.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ team: 'payments', 'stepcd:deployment': 'd1', 'stepcd:app': plan.app.name });
  });

  it('replaces the old set with a PRIMARY of the new image on a re-deploy, with no 503s', async () => {
    const first = await deployAll(world, buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] }));
    const plan = buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.sync()] });
    world.total503 = 0;

    const { state } = await deployAll(world, plan, first.lastGood);
    settle(world);

    const after = await view(world);
    expect(after.sets).toEqual([
      expect.objectContaining({ id: state.primaryTaskSetId, externalId: 'd2:0:primary', status: 'PRIMARY', stability: 'STEADY_STATE' }),
    ]);
    expect(after.sets[0]!.taskDefinition).not.toBe(first.state.taskDefinitionArn);
    expect(state.previousPrimaryTaskSetId).toBe(first.state.primaryTaskSetId);
    expect(state.serviceCreated).toBeUndefined();
    expect(world.total503).toBe(0);
  });
});

describe('ECS_SYNC with a crashing new version', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('fails with the ECS reason, keeps the old PRIMARY serving, and rollback removes only the new set', async () => {
    const first = await deployAll(world, buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] }));
    world.emulator.faults.crashTasks({ image: 'acme/web:v2', reason: 'Essential container in task exited', afterMs: 2_000 });
    const plan = buildPlan(world, { deploymentId: 'd2', image: 'acme/web:v2', stages: [stage.sync()] });
    world.total503 = 0;

    const run = await runStage(world, plan, 0, emptyDeploymentState(), first.lastGood);
    const rolledBack = await runRollback(world, plan, run.state, first.lastGood);
    settle(world);

    expect(run.status).toBe('failed');
    expect(run.reason).toContain('Essential container in task exited');
    expect(rolledBack.done).toBe(true);
    expect((await view(world)).sets).toEqual([expect.objectContaining({ id: first.state.primaryTaskSetId, status: 'PRIMARY' })]);
    expect(world.total503).toBe(0);
  });
});
