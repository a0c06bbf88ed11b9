import { describe, expect, it } from 'vitest';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import { boundedWait, deploymentDeadline } from '../../src/orchestrator/deadline.js';

describe('boundedWait', () => {
  const deadline = Date.parse('2026-01-01T01:00:00Z');
  it.each([
    ['success: a wait that ends before the deadline runs in full', 30, deadline - 60_000, { seconds: 30, cutShort: false }],
    ['success: a wait that ends exactly at the deadline runs in full', 60, deadline - 60_000, { seconds: 60, cutShort: false }],
    ['success: a wait past the deadline is cut to end at it', 120, deadline - 60_000, { seconds: 60, cutShort: true }],
    ['success: part of a second left still waits that second', 120, deadline - 500, { seconds: 1, cutShort: true }],
    ['success: a deadline already passed waits nothing', 30, deadline + 5_000, { seconds: 0, cutShort: true }],
  ])('%s', (_name, duration, now, expected) => {
    expect(boundedWait(duration, deadline, now)).toEqual(expected);
  });
});

describe('deploymentDeadline', () => {
  const plan = { createdAt: '2026-01-01T00:00:00.000Z', options: { timeoutSeconds: 3600 } } as unknown as DeploymentPlan;
  it.each([
    ['success: it counts spec.timeout from when the deployment took the lock', '2026-01-01T06:00:00.000Z', Date.parse('2026-01-01T07:00:00Z')],
    ['success: without lockedAt (an older execution) it counts from planning', undefined, Date.parse('2026-01-01T01:00:00Z')],
  ])('%s', (_name, lockedAt, expected) => {
    expect(deploymentDeadline({ plan, ...(lockedAt ? { lockedAt } : {}) })).toBe(expected);
  });
});
