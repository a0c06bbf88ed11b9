import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventDetailSchema } from '../../src/notify/event-schema.js';
import { eventDetail } from '../../src/notify/events.js';
import { DRIFT_EVENT_SCHEMA_PATH, EVENT_SCHEMA_PATH, renderDriftEventSchema, renderEventSchema } from '../../src/notify/write-event-schema.js';
import { DriftEventDetailSchema } from '../../src/drift/event-schema.js';
import { driftEvent } from '../../src/drift/events.js';
import type { DriftState } from '../../src/drift/types.js';
import { DetailType, type EventDetail } from '../../src/domain/events.js';
import type { DeploymentStatus } from '../../src/domain/deployment.js';
import { newDeploymentRecord } from '../../src/history/records.js';
import { samplePlan } from '../history/fixtures.js';

const committed = readFileSync(EVENT_SCHEMA_PATH, 'utf8');
/** A validator built from the committed JSON file itself, so the file (not only the zod source) is tested. */
const committedSchema = z.fromJSONSchema(JSON.parse(committed));

/** One realistic detail per DetailType, built the way the handlers build them. */
function sampleFor(detailType: DetailType): EventDetail {
  const record = newDeploymentRecord(samplePlan(), '2026-01-01T00:00:00.000Z');
  const now = '2026-01-01T00:30:00.000Z';
  const approval = { index: 1, name: 'WAIT_APPROVAL' };
  const canary = { index: 0, name: 'ECS_CANARY_ROLLOUT' };
  const byType: Record<DetailType, [DeploymentStatus, Partial<Parameters<typeof eventDetail>[1]>]> = {
    DEPLOYMENT_TRIGGERED: ['PENDING', {}],
    DEPLOYMENT_TRIGGER_FAILED: ['TRIGGER_FAILED', { reason: 'servicedef.yaml: deploymentController.type must be EXTERNAL' }],
    DEPLOYMENT_STARTED: ['RUNNING', {}],
    DEPLOYMENT_WAIT_APPROVAL: ['WAITING_APPROVAL', { stage: approval }],
    DEPLOYMENT_APPROVED: ['RUNNING', { stage: approval, approver: 'bob' }],
    DEPLOYMENT_ROLLING_BACK: ['ROLLING_BACK', { reason: 'rejected by carol' }],
    DEPLOYMENT_SUCCEEDED: ['SUCCESS', {}],
    DEPLOYMENT_FAILED: ['FAILURE', { reason: 'stepcd.StableTimeout: task set never steady' }],
    DEPLOYMENT_CANCELLED: ['CANCELLED', { reason: 'cancelled by alice' }],
    STAGE_SUCCEEDED: ['RUNNING', { stage: canary }],
    STAGE_FAILED: ['ROLLING_BACK', { stage: canary, reason: 'tasks kept crashing' }],
  };
  const [status, extra] = byType[detailType];
  return eventDetail(record, { status, now, ...extra });
}

describe('schemas/event-detail.schema.json', () => {
  it('is exactly what the zod schema generates (run `npx tsx src/notify/write-event-schema.ts` to refresh)', () => {
    expect(committed).toBe(renderEventSchema());
  });

  it.each(Object.values(DetailType))('accepts a sample %s detail, in zod and in the committed JSON Schema', (detailType) => {
    const detail = sampleFor(detailType);
    expect(EventDetailSchema.safeParse(detail).error).toBeUndefined();
    // Through JSON, as a subscriber would receive it.
    expect(committedSchema.safeParse(JSON.parse(JSON.stringify(detail))).error).toBeUndefined();
  });

  const valid = sampleFor('DEPLOYMENT_SUCCEEDED');
  const invalid: [string, unknown][] = [
    ['fail: an unknown status', { ...valid, status: 'DONE' }],
    ['fail: a missing deploymentId', { ...valid, deploymentId: undefined }],
    ['fail: a start time that is not ISO 8601', { ...valid, startedAt: 'yesterday' }],
    ['fail: a negative stage index', { ...valid, stage: { index: -1, name: 'WAIT' } }],
    ['fail: a non-string label', { ...valid, app: { name: 'web', labels: { replicas: 3 } } }],
    ['fail: an unexpected field', { ...valid, taskToken: 'secret' }],
  ];
  it.each(invalid)('rejects %s, in zod and in the committed JSON Schema', (_name, detail) => {
    const json = JSON.parse(JSON.stringify(detail));
    expect(EventDetailSchema.safeParse(json).success).toBe(false);
    expect(committedSchema.safeParse(json).success).toBe(false);
  });
});

describe('schemas/drift-event-detail.schema.json', () => {
  const committedDrift = readFileSync(DRIFT_EVENT_SCHEMA_PATH, 'utf8');
  const committedDriftSchema = z.fromJSONSchema(JSON.parse(committedDrift));
  const baseline = {
    deploymentId: 'd-1',
    commitSha: 'abc1234def',
    cluster: 'demo',
    serviceName: 'web',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
    serviceFields: {},
    labels: { env: 'dev' },
  };
  const drifted: DriftState = {
    app: 'web',
    status: 'DRIFTED',
    items: [{ field: 'service.desiredCount', expected: '4', actual: '9' }],
    fingerprint: 'f',
    since: '2026-01-01T00:00:00.000Z',
    baseline,
  };

  it('is exactly what the zod schema generates (run `npx tsx src/notify/write-event-schema.ts` to refresh)', () => {
    expect(committedDrift).toBe(renderDriftEventSchema());
  });

  it.each<[string, DriftState]>([
    ['DRIFT_DETECTED', drifted],
    ['DRIFT_RESOLVED', { ...drifted, status: 'IN_SYNC', items: [] }],
  ])('accepts a sample %s detail, in zod and in the committed JSON Schema', (detailType, state) => {
    const event = driftEvent(state);
    expect(event.detailType).toBe(detailType);
    expect(DriftEventDetailSchema.safeParse(event.detail).error).toBeUndefined();
    expect(committedDriftSchema.safeParse(JSON.parse(JSON.stringify(event.detail))).error).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['fail: an unknown status', { ...driftEvent(drifted).detail, status: 'MAYBE' }],
    ['fail: an item without its field', { ...driftEvent(drifted).detail, items: [{ expected: '4', actual: '9' }] }],
    ['fail: an unexpected field', { ...driftEvent(drifted).detail, fingerprint: 'f' }],
  ])('rejects %s, in zod and in the committed JSON Schema', (_name, detail) => {
    expect(DriftEventDetailSchema.safeParse(detail).success).toBe(false);
    expect(committedDriftSchema.safeParse(detail).success).toBe(false);
  });
});
