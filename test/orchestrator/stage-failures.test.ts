import { describe, expect, it } from 'vitest';
import { ErrorName } from '../../src/errors.js';
import { checkFailureError, ROLLBACK_LIMIT_SECONDS, rollbackOverdue } from '../../src/orchestrator/stage-failures.js';
import type { StoppedTask, TaskSetInfo } from '../../src/stages/ports.js';
import { assessTaskSet } from '../../src/stages/ecs/stability.js';

const pending: TaskSetInfo = {
  id: 'ecs-svc/1',
  arn: 'arn:aws:ecs:us-east-1:000000000000:task-set/demo/canary/ecs-svc/1',
  status: 'ACTIVE',
  stabilityStatus: 'STABILIZING',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/canary:2',
  scalePercent: 100,
  computedDesiredCount: 2,
  runningCount: 1,
  pendingCount: 1,
  tags: {},
};
const crashed: StoppedTask = {
  taskArn: 'task/1',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containerReasons: [],
};

describe('checkFailureError', () => {
  it.each([
    ['success: a stable timeout from src/stages is stepcd.StableTimeout', assessTaskSet(pending, [], 0, 601_000, 600), ErrorName.StableTimeout],
    ['success: crashing tasks are stepcd.StabilizeFailed', assessTaskSet(pending, [crashed], 0, 1_000, 600), ErrorName.StabilizeFailed],
    ['success: a vanished task set is stepcd.StabilizeFailed', assessTaskSet(undefined, [], 0, 1_000, 600), ErrorName.StabilizeFailed],
  ])('%s', (_name, stability, expected) => {
    if (stability.status !== 'failed') throw new Error(`fixture did not fail: ${stability.status}`);
    const error = checkFailureError(stability.reason);
    expect(error.name).toBe(expected);
    expect(error.name).toBe(`stepcd.${stability.error}`);
    expect(error.message).toBe(stability.reason);
  });

  it('success: a failure that names its error (ANALYSIS) keeps that name, even when the reason reads like a timeout', () => {
    const error = checkFailureError('alarm web is ALARM: not STEADY_STATE after 5s', ErrorName.AnalysisFailed);
    expect(error.name).toBe(ErrorName.AnalysisFailed);
    expect(error.message).toBe('alarm web is ALARM: not STEADY_STATE after 5s');
  });
});

describe('rollbackOverdue', () => {
  const start = '2026-01-01T00:00:00.000Z';
  it.each([
    ['success: within the limit', 0, false],
    ['success: exactly at the limit', ROLLBACK_LIMIT_SECONDS * 1000, false],
    ['fail: past the limit', ROLLBACK_LIMIT_SECONDS * 1000 + 1, true],
  ])('%s', (_name, elapsedMs, expected) => {
    expect(rollbackOverdue(start, Date.parse(start) + elapsedMs)).toBe(expected);
  });

  it('leaves room for the restored set to use its whole 1800 s stable timeout', () => {
    expect(ROLLBACK_LIMIT_SECONDS).toBeGreaterThan(1800);
  });
});
