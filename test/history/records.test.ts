import { describe, expect, it } from 'vitest';
import { isFinal, newDeploymentRecord, triggerFailedRecord } from '../../src/history/records.js';
import type { DeploymentStatus } from '../../src/domain/deployment.js';
import { samplePlan } from './fixtures.js';

describe('newDeploymentRecord', () => {
  it('starts PENDING with one NOT_STARTED stage per planned stage and copies the plan identity', () => {
    const plan = samplePlan();
    const record = newDeploymentRecord(plan, new Date('2026-02-03T04:05:06.000Z'));
    expect(record).toMatchObject({
      deploymentId: 'dep-1',
      app: plan.app,
      commit: plan.commit,
      trigger: plan.trigger,
      strategy: 'PIPELINE',
      executionName: plan.executionName,
      status: 'PENDING',
      approvals: [],
      errors: [],
      createdAt: '2026-02-03T04:05:06.000Z',
      updatedAt: '2026-02-03T04:05:06.000Z',
    });
    expect(record.stages).toEqual([
      { index: 0, name: 'ECS_CANARY_ROLLOUT', status: 'NOT_STARTED' },
      { index: 1, name: 'WAIT_APPROVAL', status: 'NOT_STARTED' },
      { index: 2, name: 'ECS_PRIMARY_ROLLOUT', status: 'NOT_STARTED' },
      { index: 3, name: 'ECS_CANARY_CLEAN', status: 'NOT_STARTED' },
    ]);
    expect(record.endedAt).toBeUndefined();
  });
});

describe('triggerFailedRecord', () => {
  it('is final at once and its reason names every erroneous file and field, not the warnings', () => {
    const plan = samplePlan();
    const record = triggerFailedRecord({
      deploymentId: 'dep-bad',
      app: plan.app,
      commit: plan.commit,
      trigger: plan.trigger,
      now: '2026-01-01T00:00:00.000Z',
      issues: [
        { file: 'servicedef.yaml', path: 'deploymentController.type', message: 'must be EXTERNAL', severity: 'error' },
        { file: 'app.pipecd.yaml', path: 'spec.description', message: 'is empty', severity: 'warning' },
        { file: 'taskdef.yaml', path: '', message: 'is not valid YAML', severity: 'error' },
      ],
    });
    expect(record.status).toBe('TRIGGER_FAILED');
    expect(record.strategy).toBe('NONE');
    expect(record.stages).toEqual([]);
    expect(record.endedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(record.reason).toBe('servicedef.yaml: deploymentController.type must be EXTERNAL; taskdef.yaml: is not valid YAML');
  });
});

describe('isFinal', () => {
  const cases: [DeploymentStatus, boolean][] = [
    ['PENDING', false],
    ['RUNNING', false],
    ['WAITING_APPROVAL', false],
    ['ROLLING_BACK', false],
    ['SUCCESS', true],
    ['FAILURE', true],
    ['CANCELLED', true],
    ['SUPERSEDED', true],
    ['TRIGGER_FAILED', true],
  ];
  it.each(cases)('says whether %s is final (%s)', (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});
