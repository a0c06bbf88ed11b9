import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { buildPlan, deployAll, stage } from '../support/stage-fixtures.js';
import { startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';

const spread = { type: 'spread', field: 'attribute:ecs.availability-zone' };
const binpack = { type: 'binpack', field: 'memory' };

describe('ECS_SYNC placement and tagging updates against the local cloud', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const plan = (deploymentId: string, fields: Record<string, unknown>): DeploymentPlan => {
    const p = buildPlan(world, { deploymentId, image: `acme/web:${deploymentId}`, stages: [stage.sync()] });
    Object.assign(p.serviceDefinition, fields);
    return p;
  };
  const live = async () => {
    const out = await world.ecs.send(new DescribeServicesCommand({ cluster: 'stepcd-test', services: ['web'] }));
    return out.services![0]!;
  };

  it('applies changed placement, grace period and tag propagation to an existing EXTERNAL service', async () => {
    const first = await deployAll(world, plan('d1', { placementStrategy: [spread], propagateTags: 'NONE' }));

    await deployAll(
      world,
      plan('d2', {
        placementStrategy: [spread, binpack],
        placementConstraints: [{ type: 'distinctInstance' }],
        healthCheckGracePeriodSeconds: 45,
        enableECSManagedTags: true,
        propagateTags: 'SERVICE',
      }),
      first.lastGood,
    );

    const service = await live();
    expect(service.placementStrategy).toEqual([spread, binpack]);
    expect(service.placementConstraints).toEqual([{ type: 'distinctInstance' }]);
    expect(service.healthCheckGracePeriodSeconds).toBe(45);
    expect(service.enableECSManagedTags).toBe(true);
    expect(service.propagateTags).toBe('SERVICE');
  });

  it('sends no UpdateService when the servicedef matches the live service', async () => {
    const fields = { placementStrategy: [spread], healthCheckGracePeriodSeconds: 30, enableECSManagedTags: true, propagateTags: 'SERVICE' };
    const first = await deployAll(world, plan('d1', fields));
    world.emulator.calls.reset();

    await deployAll(world, plan('d2', fields), first.lastGood);

    expect(world.emulator.calls.count({ operation: 'UpdateService' })).toBe(0);
    expect(world.emulator.calls.count({ operation: 'CreateTaskSet' })).toBe(1);
  });
});
