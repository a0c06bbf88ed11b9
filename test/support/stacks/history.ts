import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createDocumentClient } from '../../../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { startLocalDynamo, type LocalDynamo } from '../../../src/local/dynamo.js';

export interface HistoryOnly {
  dynamo: LocalDynamo;
  /** The document client the store writes with, for tests that look at the raw items. */
  doc: DynamoDBDocumentClient;
  history: DynamoHistoryStore;
}

/**
 * The real history store on an in-memory dynalite, nothing else of the stack: for the Slack, approval,
 * webhook and store tests. `tableName` and `now` are passed to the table and the store.
 */
export async function startHistory(opts: { tableName?: string; now?: () => Date } = {}): Promise<HistoryOnly> {
  const dynamo = await startLocalDynamo(opts.tableName ? { tableName: opts.tableName } : {});
  const doc = createDocumentClient(localClientConfig(dynamo.url));
  const history = new DynamoHistoryStore(doc, dynamo.tableName, opts.now ? { now: opts.now } : {});
  return { dynamo, doc, history };
}
