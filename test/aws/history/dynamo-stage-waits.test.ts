import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../../src/local/dynamo.js';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createDocumentClient, type DocumentClient } from '../../../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { serviceKey, alarmKey, type StageWait } from '../../../src/domain/stage-wait.js';

let dynamo: LocalDynamo;
let doc: DocumentClient;
let store: DynamoHistoryStore;
let seq = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  doc = createDocumentClient(localClientConfig(dynamo.url));
  store = new DynamoHistoryStore(doc, dynamo.tableName);
});

afterAll(async () => {
  await dynamo.stop();
});

function wait(overrides: Partial<StageWait> = {}): StageWait {
  seq++;
  return {
    deploymentId: `dep-${seq}`,
    stageIndex: 0,
    taskToken: `token-${seq}`,
    openedAt: '2026-01-01T00:00:00.000Z',
    target: {
      kind: 'task-set',
      cluster: 'demo',
      service: `svc-${seq}`,
      taskSetId: 'ecs-svc/1',
      startedAt: '2026-01-01T00:00:00.000Z',
      stableTimeoutSeconds: 600,
    },
    ...overrides,
  };
}

describe('Class: DynamoStageWaitStore (through DynamoHistoryStore)', () => {
  it('finds an open wait by the key an event names and by its deployment', async () => {
    // Prepare
    const w = wait();
    // Act
    await store.openWait(w);
    // Assess
    expect(await store.waitsOn(serviceKey('arn:aws:ecs:us-east-1:000000000000:cluster/demo', `service/demo/svc-${seq}`))).toEqual([w]);
    expect(await store.currentWait(w.deploymentId)).toEqual(w);
  });

  it('keys an ANALYSIS wait by each alarm it watches', async () => {
    const alarms = [`a-${seq}`, `b-${seq}`];
    const w = wait({ target: { kind: 'alarms', alarms, startedAt: '2026-01-01T00:00:00.000Z', durationSeconds: 60 } });
    await store.openWait(w);
    expect(await store.waitsOn(alarmKey(alarms[0]!))).toEqual([w]);
    expect(await store.waitsOn(alarmKey(alarms[1]!))).toEqual([w]);
  });

  it('closes a wait once only: a second close, or a close with another token, is refused', async () => {
    const w = wait();
    await store.openWait(w);
    expect(await store.closeWait({ ...w, taskToken: 'someone-else' })).toBe(false);
    expect(await store.closeWait(w)).toBe(true);
    expect(await store.closeWait(w)).toBe(false);
    // The waiter items follow, so a later event finds nothing to look at.
    expect(await store.waitsOn(serviceKey('demo', `svc-${seq}`))).toEqual([]);
    expect(await store.currentWait(w.deploymentId)).toBeUndefined();
  });

  it('lets a later attempt replace the wait, never an earlier one', async () => {
    const first = wait({ openedAt: '2026-01-01T00:05:00.000Z' });
    const later = { ...first, taskToken: 'later', openedAt: '2026-01-01T00:10:00.000Z' };
    const stale = { ...first, taskToken: 'stale', openedAt: '2026-01-01T00:01:00.000Z' };
    await store.openWait(first);
    await store.openWait(later);
    await store.openWait(stale);
    expect((await store.currentWait(first.deploymentId))?.taskToken).toBe('later');
    expect((await store.waitsOn(serviceKey('demo', `svc-${seq}`))).map((x) => x.taskToken)).toEqual(['later']);
  });
});
