import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createDocumentClient, type DocumentClient } from '../../../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { DynamoTable } from '../../../src/aws/history/dynamo-table.js';
import { ErrorName, StepcdError } from '../../../src/errors.js';
import { newDeploymentRecord } from '../../../src/history/records.js';
import { startAwsServer, type AwsServer } from '../../../src/local/aws-server.js';
import { startLocalDynamo, type LocalDynamo } from '../../../src/local/dynamo.js';
import { samplePlan } from '../../history/fixtures.js';

/**
 * dynalite answers every BatchGetItem in full; DynamoDB may not (throttling, the 16 MB cap) and hands
 * the rest back as UnprocessedKeys. This stand-in sits in front of dynalite and, while `withhold` is
 * above zero, passes on only the first half of each batch's keys and returns the other half as
 * UnprocessedKeys, as DynamoDB does. Every BatchGetItem's key count is recorded.
 */
let dynamo: LocalDynamo;
let proxy: AwsServer;
let doc: DocumentClient;
let batches: number[] = [];
let withhold = 0;
const json = (out: unknown) => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(out) });

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  proxy = await startAwsServer([
    async (req) => {
      let body = req.body;
      let unprocessed: Record<string, unknown>[] = [];
      let table = '';
      if (req.target === 'DynamoDB_20120810.BatchGetItem') {
        const input = JSON.parse(req.body) as { RequestItems: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> };
        const [name, request] = Object.entries(input.RequestItems)[0]!;
        table = name;
        batches.push(request.Keys.length);
        if (withhold > 0) {
          withhold -= 1;
          const half = Math.floor(request.Keys.length / 2);
          unprocessed = request.Keys.slice(half);
          // A batch of one handed back whole: DynamoDB answered none of it.
          if (half === 0) return json({ Responses: { [name]: [] }, UnprocessedKeys: { [name]: { Keys: unprocessed, ConsistentRead: true } } });
          body = JSON.stringify({ RequestItems: { [name]: { ...request, Keys: request.Keys.slice(0, half) } } });
        }
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)));
      const res = await fetch(dynamo.url, { method: 'POST', headers, body });
      let text = await res.text();
      if (unprocessed.length > 0) {
        const out = JSON.parse(text) as Record<string, unknown>;
        text = JSON.stringify({ ...out, UnprocessedKeys: { [table]: { Keys: unprocessed, ConsistentRead: true } } });
      }
      return { status: res.status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: text };
    },
  ]);
  doc = createDocumentClient(localClientConfig(proxy.url));
});

afterAll(async () => {
  await proxy.close();
  await dynamo.stop();
});

beforeEach(() => {
  batches = [];
  withhold = 0;
});

let seq = 0;
async function storedRecords(store: DynamoHistoryStore, n: number): Promise<string[]> {
  const run = ++seq;
  const ids = Array.from({ length: n }, (_, i) => `batch-${run}-${i}`);
  for (const id of ids) await store.createDeployment(newDeploymentRecord(samplePlan({ deploymentId: id }), '2026-01-01T00:00:00.000Z'));
  return ids;
}

describe('Class: DynamoHistoryStore, many deployments at once', () => {
  it('reads 250 ids in three BatchGetItem calls of at most 100 keys, and leaves out the ids with no record', async () => {
    const store = new DynamoHistoryStore(doc, dynamo.tableName);
    const ids = await storedRecords(store, 240);
    const asked = [...ids, ...Array.from({ length: 10 }, (_, i) => `never-${seq}-${i}`)];
    batches = [];

    const found = await store.getDeployments(asked);

    expect(batches).toEqual([100, 100, 50]);
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    expect(found.get(ids[7]!)).toMatchObject({ deploymentId: ids[7], status: 'PENDING' });
  });

  it('asks again for the keys DynamoDB left unprocessed, only those, until every one is answered', async () => {
    const store = new DynamoHistoryStore(doc, dynamo.tableName);
    const ids = await storedRecords(store, 8);
    batches = [];
    withhold = 2;

    const found = await store.getDeployments(ids);

    // 8 keys: 4 answered and 4 handed back; of those 2 answered and 2 handed back; then the last 2.
    expect(batches).toEqual([8, 4, 2]);
    expect([...found.keys()].sort()).toEqual([...ids].sort());
  });

  it('throws a retryable Throttled error, never a silent miss, when keys stay unprocessed', async () => {
    const table = new DynamoTable(doc, dynamo.tableName, () => new Date());
    const store = new DynamoHistoryStore(doc, dynamo.tableName);
    const ids = await storedRecords(store, 4);
    batches = [];
    withhold = 100;
    const slept: number[] = [];

    const err = await table
      .getMany(
        ids.map((id) => ({ PK: `DEP#${id}`, SK: 'DEPLOYMENT' })),
        'reading 4 deployments',
        {
          attempts: 3,
          baseDelayMs: 10,
          sleep: async (ms) => {
            slept.push(ms);
          },
        },
      )
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(ErrorName.Throttled);
    expect((err as StepcdError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/reading 4 deployments: 1 key\(s\) still unprocessed after 3 attempts/);
    expect(batches).toEqual([4, 2, 1]);
    expect(slept).toEqual([10, 20]);
  });
});
