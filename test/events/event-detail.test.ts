import { describe, expect, it } from 'vitest';
import { detailTypeForStatus, eventDetail, statusEvent } from '../../src/notify/events.js';
import { newDeploymentRecord } from '../../src/history/records.js';
import type { DeploymentStatus } from '../../src/domain/deployment.js';
import type { DetailType } from '../../src/domain/events.js';
import { samplePlan } from '../history/fixtures.js';

const NOW = '2026-01-01T00:10:00.000Z';

describe('eventDetail', () => {
  it('copies only the public identity of a record and leaves end time off while running', () => {
    const record = newDeploymentRecord(samplePlan(), '2026-01-01T00:00:00.000Z');
    const detail = eventDetail(record, { status: 'RUNNING', stage: { index: 0, name: 'ECS_CANARY_ROLLOUT' }, now: NOW });
    expect(detail).toEqual({
      deploymentId: 'dep-1',
      app: { name: 'web', labels: { env: 'dev' } },
      commit: { sha: 'abc1234def5678', message: 'bump image', author: 'alice' },
      status: 'RUNNING',
      stage: { index: 0, name: 'ECS_CANARY_ROLLOUT' },
      startedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('ends a final event at the recorded end time, or now when the record has none yet', () => {
    const record = newDeploymentRecord(samplePlan(), '2026-01-01T00:00:00.000Z');
    expect(eventDetail(record, { status: 'FAILURE', reason: 'canary unhealthy', now: NOW })).toMatchObject({
      status: 'FAILURE',
      reason: 'canary unhealthy',
      endedAt: NOW,
    });
    const ended = { ...record, status: 'SUCCESS' as const, endedAt: '2026-01-01T00:05:00.000Z' };
    expect(eventDetail(ended, { status: 'SUCCESS', now: NOW }).endedAt).toBe('2026-01-01T00:05:00.000Z');
  });

  it('builds the trigger event straight from the plan without leaking its task definition or repo', () => {
    const plan = samplePlan();
    const detail = eventDetail(plan, { status: 'PENDING', now: NOW });
    expect(detail.startedAt).toBe(plan.createdAt);
    expect(JSON.stringify(detail)).not.toMatch(/taskDefinition|acme\/deploys|apps\/web/);
  });

  it('carries the approver of an approval event', () => {
    const detail = eventDetail(samplePlan(), { status: 'RUNNING', approver: 'bob', stage: { index: 1, name: 'WAIT_APPROVAL' }, now: NOW });
    expect(detail.approver).toBe('bob');
  });
});

describe('detailTypeForStatus', () => {
  const cases: [DeploymentStatus, DetailType][] = [
    ['PENDING', 'DEPLOYMENT_TRIGGERED'],
    ['RUNNING', 'DEPLOYMENT_STARTED'],
    ['WAITING_APPROVAL', 'DEPLOYMENT_WAIT_APPROVAL'],
    ['ROLLING_BACK', 'DEPLOYMENT_ROLLING_BACK'],
    ['SUCCESS', 'DEPLOYMENT_SUCCEEDED'],
    ['FAILURE', 'DEPLOYMENT_FAILED'],
    ['CANCELLED', 'DEPLOYMENT_CANCELLED'],
    ['SUPERSEDED', 'DEPLOYMENT_CANCELLED'],
    ['TRIGGER_FAILED', 'DEPLOYMENT_TRIGGER_FAILED'],
  ];
  it.each(cases)('announces %s as %s', (status, detailType) => {
    expect(detailTypeForStatus(status)).toBe(detailType);
    expect(statusEvent(samplePlan(), { status, now: NOW }).detailType).toBe(detailType);
  });
});
