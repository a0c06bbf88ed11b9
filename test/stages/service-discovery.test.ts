import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, stage, view } from '../support/stage-fixtures.js';
import { startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState } from '../../src/domain/deployment.js';

describe('SERVICE_DISCOVERY access type', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('puts no load balancer on task sets, registers them through serviceRegistries and routes nothing', async () => {
    const plan = buildPlan(world, {
      deploymentId: 'd1',
      image: 'acme/web:v1',
      accessType: 'SERVICE_DISCOVERY',
      stages: [stage.canary(50), stage.route(50, 50)],
    });
    const registry = { registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-web' };
    plan.serviceDefinition.serviceRegistries = [registry];

    const canary = await runStage(world, plan, 0, emptyDeploymentState());
    const routed = await runStage(world, plan, 1, canary.state);

    expect(canary.status).toBe('done');
    const sets = await world.ports.ecs.listTaskSets(plan.serviceDefinition.cluster, plan.serviceDefinition.serviceName);
    expect(sets).toEqual([expect.objectContaining({ id: canary.state.canaryTaskSetId, stabilityStatus: 'STEADY_STATE' })]);
    expect(sets[0]!.targetGroupArn).toBeUndefined();
    expect(routed.state.routedRuleArns).toEqual([]);
    expect(world.emulator.calls.count({ service: 'elbv2' })).toBe(0);
    expect((await view(world)).weights.default).toMatchObject({ primary: 100, canary: 0 });
  });
});
