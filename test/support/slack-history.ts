import { localClientConfig } from '../../src/aws/client-config.js';
import { createDocumentClient } from '../../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynamo.js';

/** The real history store on an in-memory dynalite, for Slack and approval tests. */
export async function startHistory(): Promise<{ dynamo: LocalDynamo; history: DynamoHistoryStore }> {
  const dynamo = await startLocalDynamo();
  const history = new DynamoHistoryStore(createDocumentClient(localClientConfig(dynamo.url)), dynamo.tableName);
  return { dynamo, history };
}
