import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { startAwsServer, type AwsServer } from '../../../src/local/aws-server.js';
import { ManualClock } from '../../../src/local/clock.js';
import { LocalEventBus } from '../../../src/local/eventbridge/index.js';
import { LocalSfn } from '../../../src/local/sfn/index.js';
import { waitFor } from '../waits.js';

export interface SfnHarness {
  clock: ManualClock;
  sfn: LocalSfn;
  bus: LocalEventBus;
  client: SFNClient;
  server: AwsServer;
  /** Creates a state machine over the wire and returns its ARN. */
  define(name: string, definition: object): Promise<string>;
  close(): Promise<void>;
}

/** A local SFN and bus behind one loopback port, driven by the real SDK client. */
export async function startSfnHarness(opts: { waitMs?: number } = {}): Promise<SfnHarness> {
  const clock = new ManualClock();
  const bus = new LocalEventBus({ clock });
  const sfn = new LocalSfn({ clock, events: bus, waitMs: opts.waitMs ?? 5, retryIntervalMs: 1 });
  const server = await startAwsServer([sfn.handler, bus.handler]);
  const client = new SFNClient({ ...localClientConfig(server.url, 1), disableHostPrefix: true });
  return {
    clock,
    sfn,
    bus,
    client,
    server,
    async define(name, definition) {
      const out = await client.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/sfn' }),
      );
      return out.stateMachineArn ?? '';
    },
    async close() {
      await sfn.shutdown();
      client.destroy();
      await server.close();
    },
  };
}

/** Polls (yielding only, no timer the test could control) until some callback task of the execution waits. */
export function openToken(sfn: LocalSfn, executionArn: string, timeoutMs = 5000): Promise<string> {
  return waitFor(`an open task token of ${executionArn}`, () => sfn.listOpenTokens().find((t) => t.executionArn === executionArn)?.token, {
    timeoutMs,
    everyMs: 0,
  });
}
