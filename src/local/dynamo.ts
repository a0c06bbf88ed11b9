import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../aws/client-config.js';
import { historyTableDefinition } from '../history/table.js';

export interface LocalDynamo {
  url: string;
  tableName: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port, in memory unless `path` is given (then persisted with
 * LevelDB), and creates the history table if it is missing.
 */
export async function startLocalDynamo(opts: { path?: string; tableName?: string } = {}): Promise<LocalDynamo> {
  const tableName = opts.tableName ?? 'stepcd';
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient(localClientConfig(url));
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await client.send(new CreateTableCommand(historyTableDefinition(tableName)));
  }
  client.destroy();
  return {
    url,
    tableName,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
