import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, DescribeTaskSetsCommand, type TaskSet } from '@aws-sdk/client-ecs';
import { buildPlan, deployAll, runRollback, runStage, settle, stage } from '../support/stage-fixtures.js';
import { CLUSTER, SERVICE, startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-web'], assignPublicIp: 'DISABLED' } };
const REGISTRIES = [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-web' }];
const FARGATE = { launchType: 'FARGATE', platformVersion: '1.4.0', networkConfiguration: NETWORK, serviceRegistries: REGISTRIES };
const SPOT = {
  capacityProviderStrategy: [
    { capacityProvider: 'FARGATE_SPOT', weight: 3, base: 1 },
    { capacityProvider: 'FARGATE', weight: 1 },
  ],
  networkConfiguration: NETWORK,
};

/**
 * PipeCD users write launchType, platformVersion, networkConfiguration, serviceRegistries (and
 * capacityProviderStrategy) in servicedef.yaml. ECS rejects them on an EXTERNAL service, so stepcd sends them
 * with every task set it creates: read back here from DescribeTaskSets, for each kind of set.
 */
describe('servicedef task-set fields on every task set stepcd creates', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const plan = (deploymentId: string, image: string, stages: Parameters<typeof buildPlan>[1]['stages'], fields: Record<string, unknown>): DeploymentPlan => {
    const p = buildPlan(world, { deploymentId, image, stages });
    delete p.serviceDefinition.launchType;
    delete p.serviceDefinition.networkConfiguration;
    Object.assign(p.serviceDefinition, fields);
    return p;
  };
  const liveSets = async (): Promise<TaskSet[]> =>
    ((await world.ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: SERVICE }))).taskSets ?? []).filter((s) => s.status !== 'DRAINING');
  const placementOf = (s: TaskSet) => ({
    ...(s.launchType ? { launchType: s.launchType } : {}),
    ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
    ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
    networkConfiguration: s.networkConfiguration,
    ...(s.serviceRegistries?.length ? { serviceRegistries: s.serviceRegistries } : {}),
  });

  it.each([
    ['launch type FARGATE', FARGATE],
    ['a capacity provider strategy', SPOT],
  ])('success: the ECS_SYNC set carries %s, and the EXTERNAL service none of it', async (_name, fields) => {
    await deployAll(world, plan('d1', 'acme/web:v1', [stage.sync()], fields));

    const sets = await liveSets();
    expect(sets).toHaveLength(1);
    expect(placementOf(sets[0]!)).toEqual(fields);
    // CreateService got none of them (the emulator refuses them there as ECS does); the service
    // reports the PRIMARY set's launch type and network, as ECS derives them.
    const service = (await world.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0]!;
    expect(service.networkConfiguration).toEqual(NETWORK);
  });

  async function runUpTo(p: DeploymentPlan, lastIndex: number, lastGood: LastGood): Promise<DeploymentState> {
    let state = emptyDeploymentState();
    for (let i = 0; i <= lastIndex; i += 1) state = (await runStage(world, p, i, state, lastGood)).state;
    return state;
  }

  it('success: canary, primary and rollback-restore sets carry them too', async () => {
    const { lastGood } = await deployAll(world, plan('d1', 'acme/web:v1', [stage.sync()], FARGATE));
    const canary = plan('d2', 'acme/web:v2', [stage.canary(30), stage.primary(), stage.clean()], FARGATE);

    const state = await runUpTo(canary, 1, lastGood);
    const during = await liveSets();
    expect(during.map((s) => s.externalId).sort()).toEqual([expect.stringContaining('canary'), expect.stringContaining('primary')].sort());
    for (const s of during) expect(placementOf(s)).toEqual(FARGATE);

    // The primary rollout replaced the last good set, so rollback creates a restore set for it.
    await runRollback(world, canary, state, lastGood);
    settle(world);
    const restored = await liveSets();
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: lastGood.taskDefinitionArn });
    expect(placementOf(restored[0]!)).toEqual(FARGATE);
  });
});
