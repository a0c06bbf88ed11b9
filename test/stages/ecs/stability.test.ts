import { describe, expect, it } from 'vitest';
import { ErrorName, StabilizeFailedError, StableTimeoutError } from '../../../src/errors.js';
import { assessTaskSet } from '../../../src/stages/ecs/stability.js';
import type { StoppedTask, TaskSetInfo } from '../../../src/stages/ports.js';

const T0 = Date.UTC(2026, 0, 1);
function set(overrides: Partial<TaskSetInfo> = {}): TaskSetInfo {
  return {
    id: 'ecs-svc/1',
    arn: 'arn:ts/1',
    status: 'ACTIVE',
    stabilityStatus: 'STABILIZING',
    taskDefinitionArn: 'arn:td/web:2',
    scalePercent: 100,
    computedDesiredCount: 2,
    runningCount: 1,
    pendingCount: 1,
    tags: {},
    ...overrides,
  };
}
const crashed: StoppedTask = {
  taskArn: 't1',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containerReasons: ['web: exit 1'],
};
const failedHealth: StoppedTask = {
  taskArn: 't2',
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Task failed ELB health checks',
  containerReasons: [],
};
const scaledIn: StoppedTask = {
  taskArn: 't3',
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Scaling activity initiated by deployment',
  containerReasons: [],
};

describe('assessTaskSet', () => {
  it.each([
    ['success: a STEADY_STATE set is done', set({ stabilityStatus: 'STEADY_STATE', runningCount: 2, pendingCount: 0 }), [], 0, 'done'],
    ['success: a stabilising set within the timeout is pending', set(), [], 30, 'pending'],
    ['success: tasks stopped by scale-in are not failures', set(), [scaledIn, scaledIn], 30, 'pending'],
    ['success: one health-check failure alone is still pending', set(), [failedHealth], 30, 'pending'],
    ['fail: an essential container exit fails at once', set(), [crashed], 30, 'failed'],
    ['fail: two failed tasks fail before the timeout', set(), [failedHealth, failedHealth], 30, 'failed'],
    ['fail: past the stable timeout', set(), [], 601, 'failed'],
    ['fail: a missing set', undefined, [], 0, 'failed'],
    ['fail: a draining set', set({ status: 'DRAINING' }), [], 0, 'failed'],
  ] as const)('%s', (_name, taskSet, stopped, elapsedSeconds, expected) => {
    const result = assessTaskSet(taskSet, stopped, T0, T0 + elapsedSeconds * 1000, 600);
    expect(result.status).toBe(expected);
  });

  it('carries the ECS stop reason when tasks crash', () => {
    const result = assessTaskSet(set(), [crashed], T0, T0, 600);
    expect(result.status).toBe('failed');
    const error = result.status === 'failed' ? result.error : undefined;
    expect(error).toBeInstanceOf(StabilizeFailedError);
    expect(error?.message).toContain('Essential container in task exited; web: exit 1');
  });

  it('names StableTimeout with the counts when the set never settles', () => {
    const result = assessTaskSet(set(), [], T0, T0 + 700_000, 600);
    expect(result.status).toBe('failed');
    const error = result.status === 'failed' ? result.error : undefined;
    expect(error).toBeInstanceOf(StableTimeoutError);
    expect(error?.message).toContain('1/2 running, 1 pending');
  });

  // The stage Lambda throws this error as it is, so records, events and the ASL see its name.
  it.each([
    ['success: a stable timeout is stepcd.StableTimeout', set(), [], 601, ErrorName.StableTimeout],
    ['success: crashing tasks are stepcd.StabilizeFailed', set(), [crashed], 1, ErrorName.StabilizeFailed],
    ['success: a vanished task set is stepcd.StabilizeFailed', undefined, [], 1, ErrorName.StabilizeFailed],
  ] as const)('%s', (_name, taskSet, stopped, elapsedSeconds, expected) => {
    const result = assessTaskSet(taskSet, stopped, T0, T0 + elapsedSeconds * 1000, 600);
    if (result.status !== 'failed') throw new Error(`fixture did not fail: ${result.status}`);
    expect(result.error.name).toBe(expected);
    expect(result.error.retryable).toBe(false);
  });
});
