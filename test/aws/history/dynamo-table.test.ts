import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createDocumentClient, type DocumentClient } from '../../../src/aws/dynamodb.js';
import { applied, DynamoTable } from '../../../src/aws/history/dynamo-table.js';
import { ConditionalWriteConflictError, ErrorName, StepcdError } from '../../../src/errors.js';
import { startLocalDynamo, type LocalDynamo } from '../../../src/local/dynamo.js';

let dynamo: LocalDynamo;
let doc: DocumentClient;
let table: DynamoTable;
let seq = 0;
const key = () => ({ PK: `TEST#${++seq}`, SK: 'TEST' });

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  doc = createDocumentClient(localClientConfig(dynamo.url));
  table = new DynamoTable(doc, dynamo.tableName, () => new Date(Date.UTC(2026, 0, 1)));
});

afterAll(async () => {
  await dynamo.stop();
});

/** The error a write rejected with, or undefined when it applied. */
async function rejection(write: Promise<unknown>): Promise<unknown> {
  try {
    await write;
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('Class: DynamoTable', () => {
  it('throws a ConditionalWriteConflictError carrying the item as it stands when a put is refused', async () => {
    const k = key();
    await table.put({ Item: { ...k, owner: 'first' }, ConditionExpression: 'attribute_not_exists(PK)' }, 'first put');

    const err = await rejection(table.put({ Item: { ...k, owner: 'second' }, ConditionExpression: 'attribute_not_exists(PK)' }, 'second put'));

    expect(err).toBeInstanceOf(ConditionalWriteConflictError);
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as ConditionalWriteConflictError).name).toBe(ErrorName.ConditionalWriteConflict);
    expect((err as ConditionalWriteConflictError).message).toBe('second put: the condition refused the write');
    expect((err as ConditionalWriteConflictError).current).toEqual({ ...k, owner: 'first' });
    expect(await table.get(k, 'reading')).toEqual({ ...k, owner: 'first' });
  });

  it('carries no item when an update is refused because there is none', async () => {
    const k = key();

    const err = await rejection(
      table.update(
        { Key: k, UpdateExpression: 'SET label = :l', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':l': 'x' } },
        'update',
      ),
    );

    expect(err).toBeInstanceOf(ConditionalWriteConflictError);
    expect((err as ConditionalWriteConflictError).current).toBeUndefined();
    expect(await table.get(k, 'reading')).toBeUndefined();
  });

  it('carries the refused item of an update, not the one the update would have written', async () => {
    const k = key();
    await table.put({ Item: { ...k, holder: 'a' } }, 'seed');

    const err = await rejection(
      table.update(
        { Key: k, UpdateExpression: 'SET holder = :b', ConditionExpression: 'attribute_not_exists(holder)', ExpressionAttributeValues: { ':b': 'b' } },
        'take',
      ),
    );

    expect((err as ConditionalWriteConflictError).current).toEqual({ ...k, holder: 'a' });
  });

  it('wraps any other failure with what was being done, never as a conflict', async () => {
    const err = await rejection(table.update({ Key: key(), UpdateExpression: 'SET = broken' }, 'a broken update'));

    expect(err).toBeInstanceOf(StepcdError);
    expect(err).not.toBeInstanceOf(ConditionalWriteConflictError);
    expect((err as StepcdError).name).toBe(ErrorName.AwsError);
    expect((err as StepcdError).message).toMatch(/^a broken update: dynamodb:UpdateItem answered 400 ValidationException: /);
  });

  it('answers applied() with true for a write that went through and false for a refused one, rethrowing the rest', async () => {
    const k = key();
    const claim = () => table.put({ Item: { ...k }, ConditionExpression: 'attribute_not_exists(PK)' }, 'claim');

    expect(await applied(claim())).toBe(true);
    expect(await applied(claim())).toBe(false);
    await expect(applied(table.update({ Key: key(), UpdateExpression: 'SET = broken' }, 'broken'))).rejects.toThrow(/^broken: /);
  });
});
