import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveEcsReader } from '../../src/aws/ecs-read.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import type { LiveEcsReader } from '../../src/plan/preview.js';
import { StepcdError } from '../../src/errors.js';
import { buildPlan, deployAll, stage } from '../support/stage-fixtures.js';
import { CLUSTER, SERVICE, startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';

describe('LiveEcsReader.describeLive against the local cloud', () => {
  let world: StageWorld;
  let reader: LiveEcsReader;
  beforeEach(async () => {
    world = await startStageWorld();
    reader = createLiveEcsReader(localClientConfig(world.server.url, 1));
  });
  afterEach(async () => {
    reader.close();
    await world.close();
  });

  it('answers undefined for a service that does not exist yet, and for a missing cluster', async () => {
    expect(await reader.describeLive(CLUSTER, SERVICE)).toBeUndefined();
    expect(await reader.describeLive('no-such-cluster', SERVICE)).toBeUndefined();
  });

  it('returns the service and the PRIMARY task set’s task definition with its tags, in AWS shape', async () => {
    const plan = buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] });
    plan.serviceDefinition.tags = [{ key: 'team', value: 'payments' }];
    const { state } = await deployAll(world, plan);

    const live = await reader.describeLive(CLUSTER, SERVICE);

    expect(live?.service).toMatchObject({ serviceName: SERVICE, desiredCount: 4, deploymentController: { type: 'EXTERNAL' } });
    expect(live?.service.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'payments' }]));
    expect(live?.primaryTaskDefinitionArn).toBe(state.taskDefinitionArn);
    expect(live?.taskDefinition).toMatchObject({ family: 'web', containerDefinitions: [expect.objectContaining({ image: 'acme/web:v1' })] });
    expect(live?.taskDefinition?.tags).toEqual(expect.arrayContaining([{ key: 'stepcd:deployment', value: 'd1' }]));
  });

  it('wraps an ECS failure in a typed, retryable error naming the service', async () => {
    world.emulator.faults.inject({ service: 'ecs', operation: 'DescribeServices', kind: 'http500', times: 1 });
    const err = await reader.describeLive(CLUSTER, SERVICE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).retryable).toBe(true);
    expect((err as Error).message).toContain(`describing service ${SERVICE} in cluster ${CLUSTER}`);
  });
});
