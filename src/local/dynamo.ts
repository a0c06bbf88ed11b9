import dynalite from 'dynalite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../aws/client-config.js';
import { historyTableDefinition } from '../aws/history/table.js';
import type { CallRecorder } from './call-recorder.js';

export interface LocalDynamo {
  url: string;
  tableName: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port, in memory unless `path` is given (then persisted with
 * LevelDB), and creates the history table if it is missing.
 */
export async function startLocalDynamo(opts: { path?: string; tableName?: string; recorder?: CallRecorder } = {}): Promise<LocalDynamo> {
  const tableName = opts.tableName ?? 'stepcd';
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Requests still being answered: closing the store under one throws inside dynalite (an uncaught
  // "Database is closed"), so stop() lets them finish first.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  const recorder = opts.recorder;
  if (recorder) {
    // Listens alongside dynalite's own handler (registered in the same tick), so both see the body.
    server.prependListener('request', (req: IncomingMessage) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        recorder.recordHttp(req.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8'), req.headers['x-amz-target'] as string | undefined),
      );
    });
  }
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
    stop: async () => {
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      }
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
