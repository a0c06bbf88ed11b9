import { describe, expect, it } from 'vitest';
import { definitionTags, serviceUpdates, splitServiceDefinition } from '../../../src/stages/ecs/service-definition.js';
import type { ServiceInfo } from '../../../src/stages/ports.js';

describe('splitServiceDefinition', () => {
  it('moves task-set fields off the EXTERNAL service and forces the EXTERNAL controller', () => {
    const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
    const { service, taskSet } = splitServiceDefinition({
      cluster: 'c',
      serviceName: 'web',
      desiredCount: 2,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: network,
      loadBalancers: [{ targetGroupArn: 'tg' }],
      taskDefinition: 'web:1',
      deploymentController: { type: 'EXTERNAL' },
    });
    expect(service).toEqual({ cluster: 'c', serviceName: 'web', desiredCount: 2, deploymentController: { type: 'EXTERNAL' } });
    expect(taskSet).toEqual({ launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: network });
  });
});

describe('serviceUpdates', () => {
  const live: ServiceInfo = { arn: 'a', name: 'web', clusterArn: 'c', status: 'ACTIVE', desiredCount: 2, deploymentController: 'EXTERNAL', tags: {} };
  it.each([
    ['success: same desiredCount changes nothing', 2, undefined],
    ['success: a new desiredCount is applied', 4, { desiredCount: 4 }],
    ['success: 0 leaves desiredCount to the autoscaler', 0, undefined],
  ])('%s', (_name, desiredCount, expected) => {
    expect(serviceUpdates(live, { cluster: 'c', serviceName: 'web', desiredCount })).toEqual(expected);
  });

  const spread = { type: 'spread', field: 'attribute:ecs.availability-zone' };
  const binpack = { type: 'binpack', field: 'memory' };
  const distinct = { type: 'distinctInstance' };
  const placed: ServiceInfo = {
    ...live,
    healthCheckGracePeriodSeconds: 30,
    placementConstraints: [distinct],
    placementStrategy: [spread, binpack],
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
  };
  it.each<[string, ServiceInfo, Record<string, unknown>, Record<string, unknown> | undefined]>([
    [
      'success: a servicedef equal to live sends nothing',
      placed,
      {
        healthCheckGracePeriodSeconds: 30,
        placementConstraints: [distinct],
        placementStrategy: [spread, binpack],
        enableECSManagedTags: true,
        propagateTags: 'SERVICE',
      },
      undefined,
    ],
    ['success: fields the servicedef omits are left as they are live', placed, {}, undefined],
    [
      'success: key order and absent keys do not count as a change',
      placed,
      {
        placementConstraints: [{ expression: undefined, type: 'distinctInstance' }],
        placementStrategy: [{ field: 'attribute:ecs.availability-zone', type: 'spread' }, binpack],
      },
      undefined,
    ],
    ['success: a new grace period is applied', placed, { healthCheckGracePeriodSeconds: 60 }, { healthCheckGracePeriodSeconds: 60 }],
    ['success: a grace period on a service that reports none is applied', live, { healthCheckGracePeriodSeconds: 30 }, { healthCheckGracePeriodSeconds: 30 }],
    [
      'success: a new constraint list replaces the live one',
      placed,
      { placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] },
      { placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] },
    ],
    ['success: an empty constraint list clears the live one', placed, { placementConstraints: [] }, { placementConstraints: [] }],
    ['success: an empty list on a service with none sends nothing', live, { placementConstraints: [], placementStrategy: [] }, undefined],
    [
      'success: strategy order is priority, so a reorder is a change',
      placed,
      { placementStrategy: [binpack, spread] },
      { placementStrategy: [binpack, spread] },
    ],
    [
      'success: managed tags and propagation are applied when they differ',
      placed,
      { enableECSManagedTags: false, propagateTags: 'TASK_DEFINITION' },
      { enableECSManagedTags: false, propagateTags: 'TASK_DEFINITION' },
    ],
    ['success: unreported live tagging reads as ECS defaults (false, NONE)', live, { enableECSManagedTags: false, propagateTags: 'NONE' }, undefined],
    [
      'success: only the differing fields are sent',
      placed,
      { desiredCount: 3, healthCheckGracePeriodSeconds: 30, placementStrategy: [spread], propagateTags: 'SERVICE' },
      { desiredCount: 3, placementStrategy: [spread] },
    ],
    [
      'fail: a placement field that is not a list is not sent',
      placed,
      { placementConstraints: 'distinctInstance', placementStrategy: { type: 'random' } },
      undefined,
    ],
    ['fail: a tagging field of the wrong type is not sent', placed, { enableECSManagedTags: 'yes', propagateTags: 1 }, undefined],
  ])('%s', (_name, liveService, fields, expected) => {
    expect(serviceUpdates(liveService, { cluster: 'c', serviceName: 'web', ...fields })).toEqual(expected);
  });
});

describe('definitionTags', () => {
  it('reads the servicedef tags in AWS shape', () => {
    expect(definitionTags({ cluster: 'c', serviceName: 'web', tags: [{ key: 'team', value: 'pay' }, { key: 'env' }] })).toEqual({ team: 'pay', env: '' });
  });
  it('is empty without tags', () => {
    expect(definitionTags({ cluster: 'c', serviceName: 'web' })).toEqual({});
  });
});
