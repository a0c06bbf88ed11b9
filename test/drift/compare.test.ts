import { describe, expect, it } from 'vitest';
import { compareDrift, fingerprintOf } from '../../src/drift/compare.js';
import type { DriftBaseline, LiveView } from '../../src/drift/types.js';
import type { ForwardRule, ServiceInfo, TaskSetInfo } from '../../src/stages/ports.js';

const TD = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3';
const baseline: DriftBaseline = {
  deploymentId: 'd-1',
  commitSha: 'abc',
  cluster: 'demo',
  serviceName: 'web',
  taskDefinitionArn: TD,
  desiredCount: 4,
  serviceFields: { propagateTags: 'SERVICE' },
  targetGroups: { primary: 'tg-p', canary: 'tg-c' },
  labels: {},
};
const service: ServiceInfo = {
  arn: 'arn:svc',
  name: 'web',
  clusterArn: 'arn:cluster',
  status: 'ACTIVE',
  desiredCount: 4,
  deploymentController: 'EXTERNAL',
  tags: {},
  propagateTags: 'SERVICE',
  // Filled in by ECS; the manifest never set it.
  healthCheckGracePeriodSeconds: 0,
};
const set = (over: Partial<TaskSetInfo>): TaskSetInfo => ({
  id: 'ts-1',
  arn: 'arn:ts-1',
  status: 'PRIMARY',
  stabilityStatus: 'STEADY_STATE',
  taskDefinitionArn: TD,
  scalePercent: 100,
  computedDesiredCount: 4,
  runningCount: 4,
  pendingCount: 0,
  tags: {},
  ...over,
});
const rule = (primary: number, canary: number): ForwardRule => ({ ruleArn: 'rule-1', listenerArn: 'l-1', isDefault: true, weights: { primary, canary } });
const live = (over: Partial<LiveView> = {}): LiveView => ({ service, taskSets: [set({})], rules: [rule(100, 0)], ...over });

describe('compareDrift', () => {
  it.each<[string, DriftBaseline, LiveView, string[]]>([
    ['success: what the deployment left is in sync, server-filled fields aside', baseline, live(), []],
    [
      'success: an autoscaled desiredCount (unset in the manifest) is never drift',
      { ...baseline, desiredCount: undefined },
      live({ service: { ...service, desiredCount: 11 } }),
      [],
    ],
    [
      'success: a draining task set is on its way out',
      baseline,
      live({ taskSets: [set({}), set({ id: 'old', status: 'DRAINING', taskDefinitionArn: 'x' })] }),
      [],
    ],
    ['fail: a fixed desiredCount changed', baseline, live({ service: { ...service, desiredCount: 9 } }), ['service.desiredCount']],
    ['fail: a field the manifest set changed', baseline, live({ service: { ...service, propagateTags: 'NONE' } }), ['service.propagateTags']],
    ['fail: another task definition as primary', baseline, live({ taskSets: [set({ taskDefinitionArn: `${TD}x` })] }), ['taskSet.primary.taskDefinition']],
    ['fail: an extra task set', baseline, live({ taskSets: [set({}), set({ id: 'ts-2', status: 'ACTIVE' })] }), ['taskSet.ts-2']],
    ['fail: a listener rule sending traffic to the canary', baseline, live({ rules: [rule(80, 20)] }), ['rule.rule-1.weights']],
    ['fail: the service is gone', baseline, { taskSets: [], rules: [] }, ['service']],
  ])('%s', (_name, base, view, fields) => {
    expect(compareDrift(base, view).map((i) => i.field)).toEqual(fields);
  });

  it('gives the same drift the same fingerprint, and a different one another', () => {
    const a = compareDrift(baseline, live({ service: { ...service, desiredCount: 9 } }));
    const b = compareDrift(baseline, live({ service: { ...service, desiredCount: 9 } }));
    const c = compareDrift(baseline, live({ service: { ...service, desiredCount: 8 } }));
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(c));
    expect(fingerprintOf([])).toBe('in-sync');
  });
});
