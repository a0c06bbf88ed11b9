import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createDocumentClient } from '../../../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { historyTableDefinition } from '../../../src/aws/history/table.js';
import { startLocalDynamo, type LocalDynamo } from '../../../src/local/dynamo.js';

export interface HistoryOnly {
  dynamo: LocalDynamo;
  /**
   * The SDK's own document client on the same table, for tests that look at the raw items: an
   * independent reader and writer of what the store's hand-built requests write and read.
   */
  doc: DynamoDBDocumentClient;
  history: DynamoHistoryStore;
}

/**
 * The real history store on an in-memory dynalite, nothing else of the stack: for the Slack, approval,
 * webhook and store tests. `tableName` and `now` are passed to the table and the store.
 */
export async function startHistory(opts: { tableName?: string; now?: () => Date } = {}): Promise<HistoryOnly> {
  const dynamo = await startLocalDynamo(opts.tableName ? { tableName: opts.tableName } : {});
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.url)));
  const history = new DynamoHistoryStore(createDocumentClient(localClientConfig(dynamo.url)), dynamo.tableName, opts.now ? { now: opts.now } : {});
  return { dynamo, doc, history };
}

/**
 * Another history table on a running dynalite, and the real store on it: tests whose deployment ids
 * (deterministic per app and sha) would collide share one dynalite and take a fresh table each.
 */
export async function historyTableOn(dynamo: LocalDynamo, tableName: string): Promise<DynamoHistoryStore> {
  const raw = new DynamoDBClient(localClientConfig(dynamo.url));
  try {
    await raw.send(new CreateTableCommand(historyTableDefinition(tableName)));
  } finally {
    raw.destroy();
  }
  return new DynamoHistoryStore(createDocumentClient(localClientConfig(dynamo.url)), tableName);
}
