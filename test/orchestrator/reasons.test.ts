import { describe, expect, it } from 'vitest';
import { describeFailure, outcomeOf } from '../../src/orchestrator/reasons.js';

const lambdaCause = (errorType: string, errorMessage: string) => JSON.stringify({ errorType, errorMessage, trace: [] });

describe('describeFailure', () => {
  it.each<[string, { Error: string; Cause?: string } | undefined, string | undefined, string]>([
    ['success: an approval timeout', { Error: 'States.Timeout' }, 'WAIT_APPROVAL', 'approval timed out'],
    ['success: another state timing out names it', { Error: 'States.Timeout' }, 'ECS_SYNC', 'timed out in ECS_SYNC'],
    [
      "success: a rejection is the reviewer's words",
      { Error: 'stepcd.Rejected', Cause: 'rejected by U1: error rate up' },
      'WAIT_APPROVAL',
      'rejected by U1: error rate up',
    ],
    [
      'success: a cancel from Advance names no stage',
      { Error: 'stepcd.Cancelled', Cause: lambdaCause('stepcd.Cancelled', 'cancelled before ECS_TRAFFIC_ROUTING') },
      'ECS_CANARY_ROLLOUT',
      'cancelled before ECS_TRAFFIC_ROUTING',
    ],
    [
      'success: a deployment timeout names no stage',
      { Error: 'stepcd.DeploymentTimeout', Cause: lambdaCause('stepcd.DeploymentTimeout', 'deployment exceeded its timeout of 10s (spec.timeout)') },
      'WAIT',
      'deployment exceeded its timeout of 10s (spec.timeout)',
    ],
    [
      'success: a stage failure names the stage and the ECS reason',
      { Error: 'stepcd.StabilizeFailed', Cause: lambdaCause('stepcd.StabilizeFailed', 'task set ts-1 failed to stabilise: OOM') },
      'ECS_CANARY_ROLLOUT',
      'stepcd.StabilizeFailed in ECS_CANARY_ROLLOUT: task set ts-1 failed to stabilise: OOM',
    ],
    ['fail: nothing recorded', undefined, undefined, 'failed for an unknown reason'],
  ])('%s', (_name, error, stage, expected) => {
    expect(describeFailure(error, stage)).toBe(expected);
  });
});

describe('outcomeOf', () => {
  it('ends a cancel CANCELLED and everything else FAILURE', () => {
    expect(outcomeOf('stepcd.Cancelled')).toBe('CANCELLED');
    expect(outcomeOf('stepcd.Rejected')).toBe('FAILURE');
    expect(outcomeOf('States.Timeout')).toBe('FAILURE');
    expect(outcomeOf(undefined)).toBe('FAILURE');
  });
});
