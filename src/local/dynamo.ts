import { Worker } from 'node:worker_threads';
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
 * LevelDB), and creates the history table if it is missing. dynalite runs in a worker thread, as
 * DynamoDB runs apart from its callers; each request is in `recorder` before its answer is sent.
 */
export async function startLocalDynamo(opts: { path?: string; tableName?: string; recorder?: CallRecorder } = {}): Promise<LocalDynamo> {
  const tableName = opts.tableName ?? 'stepcd';
  const recorder = opts.recorder;
  const worker = new Worker(new URL('./dynamo-worker.js', import.meta.url), { workerData: { path: opts.path, record: Boolean(recorder) } });
  const port = await new Promise<number>((resolve, reject) => {
    // Before it listens, a failure is the start's; after, every request to it fails on its own.
    worker.on('error', (err) => {
      reject(err);
      process.emitWarning(`local DynamoDB stopped: ${err.message}`);
    });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'listening') resolve(message.port);
      else if (message.kind === 'failed') reject(new Error(`local DynamoDB did not start: ${message.message}`));
      else if (message.kind === 'record') {
        recorder?.recordHttp(message.headers, message.body, message.headers['x-amz-target']);
        worker.postMessage({ kind: 'ack', seq: message.seq });
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient(localClientConfig(url));
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName })).catch(() => client.send(new CreateTableCommand(historyTableDefinition(tableName))));
  } catch (err) {
    await worker.terminate();
    throw err;
  } finally {
    client.destroy();
  }
  return {
    url,
    tableName,
    stop: async () => {
      const stopped = new Promise<void>((resolve) => worker.on('message', (message: WorkerMessage) => message.kind === 'stopped' && resolve()));
      worker.postMessage({ kind: 'stop' });
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await worker.terminate();
    },
  };
}

type WorkerMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string }
  | { kind: 'record'; seq: number; headers: Record<string, string | undefined>; body: string }
  | { kind: 'stopped' };
