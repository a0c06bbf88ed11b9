import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalDynamo } from '../../../src/local/dynamo.js';
import type { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { newDeploymentRecord } from '../../../src/history/records.js';
import type { ApprovalRecord } from '../../../src/domain/deployment.js';
import { NotFoundError, InvalidStateError } from '../../../src/errors.js';
import { samplePlan } from '../../history/fixtures.js';
import { startHistory } from '../../support/stacks/history.js';

let dynamo: LocalDynamo;
let doc: DynamoDBDocumentClient;
let store: DynamoHistoryStore;
/** The store's clock; tests move it by hand. */
let nowMs = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(ms).toISOString();
/** Every test works on its own ids, so the table is shared without interference. */
let seq = 0;
const uid = (prefix: string) => `${prefix}-${++seq}`;

beforeAll(async () => {
  ({ dynamo, doc, history: store } = await startHistory({ now: () => new Date(nowMs) }));
});

afterAll(async () => {
  doc.destroy();
  await dynamo.stop();
});

beforeEach(() => {
  nowMs += 60_000;
});

function record(app: string, createdMs = nowMs, id = uid('dep')) {
  return newDeploymentRecord(samplePlan({ deploymentId: id, app: { name: app, dir: app, labels: {}, repo: 'r' } }), new Date(createdMs));
}

describe('DynamoHistoryStore: deployments', () => {
  it('reads back a created deployment exactly as written', async () => {
    const rec = record(uid('app'));
    expect(await store.createDeployment(rec)).toBe(true);
    expect(await store.getDeployment(rec.deploymentId)).toEqual(rec);
  });

  it('refuses to create a deployment whose id already exists and keeps the first', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    const again = { ...rec, commit: { ...rec.commit, sha: 'other' } };
    expect(await store.createDeployment(again)).toBe(false);
    expect((await store.getDeployment(rec.deploymentId))?.commit.sha).toBe(rec.commit.sha);
  });

  it('returns undefined for an unknown deployment', async () => {
    expect(await store.getDeployment('nope')).toBeUndefined();
  });

  it('lists an app newest first, honours the limit and leaves other apps out', async () => {
    const app = uid('app');
    const base = nowMs;
    const ids = [0, 1, 2].map((i) => `${app}-d${i}`);
    // Written out of order on purpose: the order must come from createdAt, not from write order.
    for (const i of [1, 2, 0]) await store.putDeployment(record(app, base + i * 1000, ids[i]));
    await store.putDeployment(record(uid('other-app'), base + 5000));

    expect((await store.listByApp(app)).map((r) => r.deploymentId)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await store.listByApp(app, { limit: 2 })).map((r) => r.deploymentId)).toEqual([ids[2], ids[1]]);
  });

  it('lists a deployment as active until it reaches a final status', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    const activeIds = async () => (await store.listActive()).map((r) => r.deploymentId);

    expect(await activeIds()).toContain(rec.deploymentId);
    await store.setStatus(rec.deploymentId, 'RUNNING');
    expect(await activeIds()).toContain(rec.deploymentId);
    await store.setStatus(rec.deploymentId, 'SUCCESS');
    expect(await activeIds()).not.toContain(rec.deploymentId);
  });

  it('never lists a record written already final as active', async () => {
    const rec = { ...record(uid('app')), status: 'TRIGGER_FAILED' as const };
    await store.putDeployment(rec);
    expect((await store.listActive()).map((r) => r.deploymentId)).not.toContain(rec.deploymentId);
  });

  it('stamps updatedAt on every status change and endedAt with the reason on a final one', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);

    await store.setStatus(rec.deploymentId, 'RUNNING');
    const running = await store.getDeployment(rec.deploymentId);
    expect(running).toMatchObject({ status: 'RUNNING', updatedAt: at(nowMs) });
    expect(running?.endedAt).toBeUndefined();

    nowMs += 5000;
    await store.setStatus(rec.deploymentId, 'FAILURE', { reason: 'canary unhealthy' });
    expect(await store.getDeployment(rec.deploymentId)).toMatchObject({
      status: 'FAILURE',
      reason: 'canary unhealthy',
      updatedAt: at(nowMs),
      endedAt: at(nowMs),
    });
  });

  it('never overwrites a final status, with either a non-final or another final one', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    await store.setStatus(rec.deploymentId, 'SUCCESS', { at: '2026-03-01T00:00:00.000Z' });

    await store.setStatus(rec.deploymentId, 'RUNNING');
    await store.setStatus(rec.deploymentId, 'FAILURE', { reason: 'late finaliser' });

    const after = await store.getDeployment(rec.deploymentId);
    expect(after).toMatchObject({ status: 'SUCCESS', endedAt: '2026-03-01T00:00:00.000Z' });
    expect(after?.reason).toBeUndefined();
    expect((await store.listActive()).map((r) => r.deploymentId)).not.toContain(rec.deploymentId);
  });

  it('throws NotFound when setting the status of an unknown deployment', async () => {
    await expect(store.setStatus('missing', 'RUNNING')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stamps a stage start once and its end, and updates only that stage', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    const started = nowMs;

    await store.setStageStatus(rec.deploymentId, 1, 'RUNNING');
    nowMs += 1000;
    // A retried start must keep the first start time.
    await store.setStageStatus(rec.deploymentId, 1, 'RUNNING');
    nowMs += 1000;
    await store.setStageStatus(rec.deploymentId, 1, 'SUCCESS', { detail: 'approved by bob, carol' });

    const stages = (await store.getDeployment(rec.deploymentId))?.stages;
    expect(stages?.[1]).toEqual({
      index: 1,
      name: 'WAIT_APPROVAL',
      status: 'SUCCESS',
      startedAt: at(started),
      endedAt: at(nowMs),
      detail: 'approved by bob, carol',
    });
    expect(stages?.[0]).toEqual({ index: 0, name: 'ECS_CANARY_ROLLOUT', status: 'NOT_STARTED' });
    expect(stages).toHaveLength(4);
  });

  it('refuses a stage index the deployment does not have instead of appending one', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    await expect(store.setStageStatus(rec.deploymentId, 7, 'RUNNING')).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.getDeployment(rec.deploymentId))?.stages).toHaveLength(4);
  });

  it('appends errors and approval votes in order, and saves state, execution, cancel and Slack ref', async () => {
    const rec = record(uid('app'));
    await store.createDeployment(rec);
    await store.addError(rec.deploymentId, { at: at(nowMs), stage: 'ECS_SYNC', error: 'stepcd.Throttled', cause: 'slow down' });
    await store.addError(rec.deploymentId, { at: at(nowMs), error: 'stepcd.StableTimeout', cause: 'never steady' });
    await store.addApprovalVote(rec.deploymentId, { user: 'bob', at: at(nowMs), decision: 'APPROVE', via: 'slack' });
    const state = { createdTaskSetIds: ['ts-1'], routedRuleArns: [], touched: true, canaryTaskSetId: 'ts-1' };
    await store.setState(rec.deploymentId, state);
    await store.setExecution(rec.deploymentId, 'arn:aws:states:us-east-1:000000000000:execution:sm:x');
    await store.requestCancel(rec.deploymentId);
    await store.setNotificationRef(rec.deploymentId, { channel: 'C1', ts: '123.456' });

    const after = await store.getDeployment(rec.deploymentId);
    expect(after?.errors.map((e) => e.error)).toEqual(['stepcd.Throttled', 'stepcd.StableTimeout']);
    expect(after?.approvals).toEqual([{ user: 'bob', at: at(nowMs), decision: 'APPROVE', via: 'slack' }]);
    expect(after).toMatchObject({
      state,
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sm:x',
      cancelRequested: true,
      notification: { channel: 'C1', ts: '123.456' },
    });
  });

  it('throws NotFound when appending to an unknown deployment rather than creating a stray item', async () => {
    await expect(store.addError('ghost', { at: at(nowMs), error: 'x', cause: 'y' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.getDeployment('ghost')).toBeUndefined();
  });
});

describe('DynamoHistoryStore: app lock and queue', () => {
  it('gives the lock to one deployment at a time, and again to its holder', async () => {
    const app = uid('app');
    expect(await store.tryLock(app, 'a')).toBe(true);
    expect(await store.tryLock(app, 'b')).toBe(false);
    expect(await store.tryLock(app, 'a')).toBe(true);
    expect((await store.getAppState(app)).lockHolder).toBe('a');
  });

  it('lets exactly one of two racing deployments take the lock', async () => {
    const app = uid('app');
    const results = await Promise.all([store.tryLock(app, 'a'), store.tryLock(app, 'b')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'a' : 'b';
    expect((await store.getAppState(app)).lockHolder).toBe(winner);
  });

  it('releases only for the holder, after which another deployment can lock', async () => {
    const app = uid('app');
    await store.tryLock(app, 'a');
    await store.releaseLock(app, 'b');
    expect((await store.getAppState(app)).lockHolder).toBe('a');
    expect(await store.tryLock(app, 'b')).toBe(false);

    await store.releaseLock(app, 'a');
    const state = await store.getAppState(app);
    expect(state.lockHolder).toBeUndefined();
    expect(state.lockedAt).toBeUndefined();
    expect(await store.tryLock(app, 'b')).toBe(true);
  });

  it('treats releasing a free lock as a no-op', async () => {
    await expect(store.releaseLock(uid('app'), 'a')).resolves.toBeUndefined();
  });

  it('keeps the queue in arrival order without duplicates and removes from anywhere', async () => {
    const app = uid('app');
    for (const id of ['q1', 'q2', 'q1', 'q3', 'q2']) await store.enqueue(app, id);
    expect((await store.getAppState(app)).queue).toEqual(['q1', 'q2', 'q3']);

    await store.dequeue(app, 'q2');
    expect((await store.getAppState(app)).queue).toEqual(['q1', 'q3']);
    await store.dequeue(app, 'absent');
    await store.dequeue(app, 'q1');
    expect((await store.getAppState(app)).queue).toEqual(['q3']);
  });

  it('loses no id when deployments dequeue concurrently', async () => {
    const app = uid('app');
    for (const id of ['a', 'b', 'c', 'd']) await store.enqueue(app, id);
    await Promise.all([store.dequeue(app, 'a'), store.dequeue(app, 'c')]);
    expect((await store.getAppState(app)).queue).toEqual(['b', 'd']);
  });

  it('stores the queue token of a queued deployment only, and forgets it when the deployment leaves the queue', async () => {
    const app = uid('app');
    expect(await store.setQueueToken(app, 'q1', 'token-before')).toBe(false);
    for (const id of ['q1', 'q2']) await store.enqueue(app, id);
    expect(await store.setQueueToken(app, 'q1', 'token-1')).toBe(true);
    expect(await store.setQueueToken(app, 'q2', 'token-2')).toBe(true);
    // A new wait of the same deployment brings a new token: it replaces the old one.
    expect(await store.setQueueToken(app, 'q1', 'token-1b')).toBe(true);
    expect((await store.getAppState(app)).queueTokens).toEqual({ q1: 'token-1b', q2: 'token-2' });

    await store.dequeue(app, 'q1');
    expect(await store.getAppState(app)).toMatchObject({ queue: ['q2'], queueTokens: { q2: 'token-2' } });
    expect(await store.setQueueToken(app, 'q1', 'token-late')).toBe(false);
    expect((await store.getAppState(app)).queueTokens).toEqual({ q2: 'token-2' });
  });

  it('stores a token on an item queued before tokens existed, and dequeues from one that has none', async () => {
    const app = uid('app');
    const Key = { PK: `APP#${app}`, SK: 'STATE' };
    await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { ...Key, app, queue: ['old', 'older'] } }));
    await store.dequeue(app, 'older');
    expect(await store.setQueueToken(app, 'old', 'token-old')).toBe(true);
    expect(await store.getAppState(app)).toMatchObject({ queue: ['old'], queueTokens: { old: 'token-old' } });
  });

  it('returns an empty state for an app never seen and records the last good deployment', async () => {
    const app = uid('app');
    expect(await store.getAppState(app)).toEqual({ app, queue: [] });
    const lastGood = { deploymentId: 'd1', commitSha: 'abc', taskDefinitionArn: 'arn:td:1', taskSetIds: ['ts-1'], at: at(nowMs) };
    await store.tryLock(app, 'd1');
    await store.setLastGood(app, lastGood);
    expect(await store.getAppState(app)).toMatchObject({ app, lockHolder: 'd1', lastGood, queue: [] });
  });
});

describe('DynamoHistoryStore: approvals', () => {
  function approval(deploymentId = uid('dep'), overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
    return {
      deploymentId,
      stageIndex: 1,
      taskToken: 'token-1',
      approvers: ['bob', 'carol'],
      minApproverNum: 2,
      approvedBy: [],
      status: 'OPEN',
      createdAt: at(nowMs),
      expiresAt: at(nowMs + 3_600_000),
      ...overrides,
    };
  }

  it('stores an approval under the deployment and stage', async () => {
    const rec = approval();
    await store.putApproval(rec);
    expect(await store.getApproval(rec.deploymentId, 1)).toEqual(rec);
    expect(await store.getApproval(rec.deploymentId, 2)).toBeUndefined();
  });

  it('keeps votes when a retried approval task brings a new token, but never reopens a closed one', async () => {
    const rec = approval();
    await store.putApproval(rec);
    await store.addApprover(rec.deploymentId, 1, 'bob');
    await store.putApproval({ ...rec, taskToken: 'token-2' });
    expect(await store.getApproval(rec.deploymentId, 1)).toMatchObject({ taskToken: 'token-2', approvedBy: ['bob'] });

    await store.closeApproval(rec.deploymentId, 1, 'TIMED_OUT');
    await expect(store.putApproval({ ...rec, taskToken: 'token-3' })).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('counts each approver once, however often they click', async () => {
    const rec = approval();
    await store.putApproval(rec);
    expect((await store.addApprover(rec.deploymentId, 1, 'bob'))?.approvedBy).toEqual(['bob']);
    expect((await store.addApprover(rec.deploymentId, 1, 'bob'))?.approvedBy).toEqual(['bob']);
    const both = await Promise.all([store.addApprover(rec.deploymentId, 1, 'carol'), store.addApprover(rec.deploymentId, 1, 'carol')]);
    expect(both.map((r) => r?.approvedBy)).toEqual([
      ['bob', 'carol'],
      ['bob', 'carol'],
    ]);
  });

  it('adds no approver once closed and says so with undefined', async () => {
    const rec = approval();
    await store.putApproval(rec);
    await store.closeApproval(rec.deploymentId, 1, 'REJECTED', 'carol');
    expect(await store.addApprover(rec.deploymentId, 1, 'bob')).toBeUndefined();
    expect((await store.getApproval(rec.deploymentId, 1))?.approvedBy).toEqual([]);
  });

  it('throws NotFound when approving a stage that has no approval', async () => {
    await expect(store.addApprover(uid('dep'), 1, 'bob')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('closes an approval once only, keeping the first outcome', async () => {
    const rec = approval();
    await store.putApproval(rec);
    const closedAt = nowMs;
    const results = await Promise.all([
      store.closeApproval(rec.deploymentId, 1, 'APPROVED', 'carol'),
      store.closeApproval(rec.deploymentId, 1, 'REJECTED', 'dave'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    nowMs += 1000;
    expect(await store.closeApproval(rec.deploymentId, 1, 'TIMED_OUT')).toBe(false);

    const closed = await store.getApproval(rec.deploymentId, 1);
    const expected = results[0] ? { status: 'APPROVED', closedBy: 'carol' } : { status: 'REJECTED', closedBy: 'dave' };
    expect(closed).toMatchObject({ ...expected, closedAt: at(closedAt) });
  });

  it('refuses to close an approval that does not exist', async () => {
    expect(await store.closeApproval(uid('dep'), 0, 'APPROVED', 'bob')).toBe(false);
  });
});

describe('DynamoHistoryStore: webhook deliveries', () => {
  it('claims a delivery once and hands later claims the first deployment ids', async () => {
    const delivery = uid('delivery');
    expect(await store.claimDelivery(delivery, ['d1', 'd2'])).toBeUndefined();
    expect(await store.claimDelivery(delivery, ['d3'])).toEqual(['d1', 'd2']);
  });

  it('expires a delivery after three days through the ttl attribute', async () => {
    const delivery = uid('delivery');
    await store.claimDelivery(delivery, []);
    const item = await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: { PK: `DELIVERY#${delivery}`, SK: 'DELIVERY' } }));
    expect(item.Item?.ttl).toBe(Math.floor(nowMs / 1000) + 3 * 24 * 3600);

    expect(await store.claimDelivery(delivery, ['late'])).toEqual([]);
    // DynamoDB deletes expired items lazily; an expired one must not block a new claim.
    nowMs += 3 * 24 * 3600 * 1000 + 1000;
    expect(await store.claimDelivery(delivery, ['fresh'])).toBeUndefined();
    expect(await store.claimDelivery(delivery, ['again'])).toEqual(['fresh']);
  });
});
