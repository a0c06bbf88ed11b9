import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createDocumentClient } from '../../src/aws/dynamodb.js';
import { awsErrorCode } from '../../src/aws/json-rpc.js';
import { ErrorName, StepcdError } from '../../src/errors.js';
import { startAwsServer, type AwsRequest } from '../../src/local/aws-server.js';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynamo.js';

/**
 * stepcd's DynamoDB client builds its requests by hand; the SDK's own document client, on the same
 * dynalite table, is the independent judge of what it writes and reads.
 */
let dynamo: LocalDynamo;
let sdk: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  sdk = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.url)));
});

afterAll(async () => {
  sdk.destroy();
  await dynamo.stop();
});

const record = {
  PK: 'DOC#1',
  SK: 'DOC',
  count: 3,
  ratio: 0.25,
  done: false,
  nothing: null,
  stages: [{ name: 'ECS_SYNC', status: 'SUCCESS', attempts: [1, 2] }],
  labels: { team: 'payments', tier: 'web' },
};

describe('Function: createDocumentClient', () => {
  it('writes what the SDK document client reads back unchanged, dropping undefined values', async () => {
    const doc = createDocumentClient(localClientConfig(dynamo.url));

    await doc.send('PutItem', { TableName: dynamo.tableName, Item: { ...record, reason: undefined } }, 'writing a record');

    const read = await sdk.send(new GetCommand({ TableName: dynamo.tableName, Key: { PK: 'DOC#1', SK: 'DOC' } }));
    expect(read.Item).toEqual(record);
  });

  it('reads what the SDK document client wrote, sets and numbers included, through every reply field', async () => {
    const doc = createDocumentClient(localClientConfig(dynamo.url));
    const item = { PK: 'DOC#2', SK: 'DOC', approvers: new Set(['U1', 'U2']), weights: [80, 20], nested: { deep: { n: 7 } } };
    await sdk.send(new PutCommand({ TableName: dynamo.tableName, Item: item }));
    const key = { PK: 'DOC#2', SK: 'DOC' };

    const got = await doc.send('GetItem', { TableName: dynamo.tableName, Key: key, ConsistentRead: true }, 'reading');
    const batch = await doc.send('BatchGetItem', { RequestItems: { [dynamo.tableName]: { Keys: [key] } } }, 'reading many');
    const updated = await doc.send(
      'UpdateItem',
      {
        TableName: dynamo.tableName,
        Key: key,
        UpdateExpression: 'SET #n.#d.#v = :v',
        ExpressionAttributeNames: { '#n': 'nested', '#d': 'deep', '#v': 'n' },
        ExpressionAttributeValues: { ':v': 8 },
        ReturnValues: 'ALL_NEW',
      },
      'updating',
    );
    const queried = await doc.send(
      'Query',
      { TableName: dynamo.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'DOC#2' } },
      'querying',
    );

    expect(got.Item).toEqual(item);
    expect(batch.Responses?.[dynamo.tableName]).toEqual([item]);
    expect(updated.Attributes).toEqual({ ...item, nested: { deep: { n: 8 } } });
    expect(queried.Items).toEqual([{ ...item, nested: { deep: { n: 8 } } }]);
  });

  it('pages a query by its LastEvaluatedKey, in plain values, as the next ExclusiveStartKey', async () => {
    const doc = createDocumentClient(localClientConfig(dynamo.url));
    for (const sk of ['A', 'B', 'C']) await sdk.send(new PutCommand({ TableName: dynamo.tableName, Item: { PK: 'PAGE', SK: sk } }));
    const query = { TableName: dynamo.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'PAGE' }, Limit: 2 };

    const first = await doc.send('Query', query, 'first page');
    const second = await doc.send('Query', { ...query, ExclusiveStartKey: first.LastEvaluatedKey }, 'second page');

    expect(first.LastEvaluatedKey).toEqual({ PK: 'PAGE', SK: 'B' });
    expect([...(first.Items ?? []), ...(second.Items ?? [])].map((i) => i.SK)).toEqual(['A', 'B', 'C']);
  });

  it("refuses as DynamoDB refuses, naming what it was doing, with AWS's error code as the cause", async () => {
    const doc = createDocumentClient(localClientConfig(dynamo.url));
    await sdk.send(new PutCommand({ TableName: dynamo.tableName, Item: { PK: 'TAKEN', SK: 'DOC' } }));

    const err = await doc
      .send('PutItem', { TableName: dynamo.tableName, Item: { PK: 'TAKEN', SK: 'DOC' }, ConditionExpression: 'attribute_not_exists(PK)' }, 'claiming TAKEN')
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(ErrorName.AwsError);
    expect((err as Error).message).toMatch(/^claiming TAKEN: dynamodb:PutItem answered 400 ConditionalCheckFailedException/);
    expect(awsErrorCode(err)).toBe('ConditionalCheckFailedException');
  });

  it('retries a ProvisionedThroughputExceededException, which the SDK counts as throttling, and ends throttled', async () => {
    const seen: AwsRequest[] = [];
    const throttling = await startAwsServer([
      async (req) => {
        seen.push(req);
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'Rate of requests exceeds the allowed throughput.',
          }),
        };
      },
    ]);
    try {
      const doc = createDocumentClient(localClientConfig(throttling.url, 2));

      const err = await doc.send('GetItem', { TableName: 't', Key: { PK: 'A', SK: 'B' } }, 'reading A').catch((e: unknown) => e);

      expect((err as StepcdError).name).toBe(ErrorName.Throttled);
      expect(seen).toHaveLength(2);
      expect(seen[0]).toMatchObject({ target: 'DynamoDB_20120810.GetItem', contentType: 'application/x-amz-json-1.0' });
      expect(JSON.parse(seen[0]!.body)).toEqual({ TableName: 't', Key: { PK: { S: 'A' }, SK: { S: 'B' } } });
    } finally {
      await throttling.close();
    }
  });
});
