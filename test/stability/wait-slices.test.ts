import { describe, expect, it } from 'vitest';
import type { WaitTarget } from '../../src/domain/stage-wait.js';
import { waitSliceSeconds } from '../../src/stability/target.js';

const taskSet = (stableTimeoutSeconds: number): WaitTarget => ({
  kind: 'task-set',
  cluster: 'demo',
  service: 'web',
  taskSetId: 'ecs-svc/1',
  startedAt: '2026-01-01T00:00:00Z',
  stableTimeoutSeconds,
});

describe('waitSliceSeconds', () => {
  it.each<[string, WaitTarget, number, number | undefined, number]>([
    ['success: a timeout under the backstop is one slice, just past it', taskSet(120), 300, undefined, 121],
    ['success: 10m at a 5m backstop is three equal slices ending just past 10m', taskSet(600), 300, undefined, 201],
    ['success: 3h at 5m is 37 slices of at most 5m', taskSet(3 * 3600), 300, undefined, 292],
    ['success: the deployment deadline bounds the total', taskSet(3600), 300, 90, 91],
    [
      'success: ANALYSIS waits its whole duration in one slice, whatever the backstop',
      { kind: 'alarms', alarms: ['a'], startedAt: '2026-01-01T00:00:00Z', durationSeconds: 7200 },
      300,
      undefined,
      7201,
    ],
  ])('%s', (_, target, backstop, deadline, expected) => {
    const slice = waitSliceSeconds(target, backstop, deadline);
    expect(slice).toBe(expected);
    if (target.kind !== 'alarms') expect(slice).toBeLessThanOrEqual(backstop);
  });
});
