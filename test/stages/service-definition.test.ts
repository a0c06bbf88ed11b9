import { describe, expect, it } from 'vitest';
import { definitionTags, serviceUpdates, splitServiceDefinition } from '../../src/stages/service-definition.js';
import type { ServiceInfo } from '../../src/stages/ports.js';

describe('splitServiceDefinition', () => {
  it('moves task-set fields off the EXTERNAL service and forces the EXTERNAL controller', () => {
    const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
    const { service, taskSet } = splitServiceDefinition({
      cluster: 'c', serviceName: 'web', desiredCount: 2, launchType: 'FARGATE', platformVersion: 'LATEST',
      networkConfiguration: network, loadBalancers: [{ targetGroupArn: 'tg' }], taskDefinition: 'web:1',
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
});

describe('definitionTags', () => {
  it('reads the servicedef tags in AWS shape', () => {
    expect(definitionTags({ cluster: 'c', serviceName: 'web', tags: [{ key: 'team', value: 'pay' }, { key: 'env' }] })).toEqual({ team: 'pay', env: '' });
  });
  it('is empty without tags', () => {
    expect(definitionTags({ cluster: 'c', serviceName: 'web' })).toEqual({});
  });
});
