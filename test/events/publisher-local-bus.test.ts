import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEventBridgeClient, type EventBridgePort, EventBridgePublisher } from '../../src/aws/eventbridge.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { LocalEventBus } from '../../src/local/eventbridge/index.js';
import { EventDetailSchema } from '../../src/notify/event-schema.js';
import { statusEvent } from '../../src/notify/events.js';
import { newDeploymentRecord } from '../../src/history/records.js';
import { samplePlan } from '../history/fixtures.js';

let bus: LocalEventBus;
let server: AwsServer;
let client: EventBridgePort;

beforeAll(async () => {
  bus = new LocalEventBus({ clock: new ManualClock() });
  server = await startAwsServer([bus.handler]);
  client = createEventBridgeClient(localClientConfig(server.url, 1));
});

afterAll(async () => {
  await server.close();
});

describe('EventBridgePublisher on the local bus', () => {
  it('delivers events a subscriber can filter by DetailType and validate against the schema', async () => {
    const record = newDeploymentRecord(samplePlan(), '2026-01-01T00:00:00.000Z');
    const now = '2026-01-01T00:20:00.000Z';
    await new EventBridgePublisher(client, 'stepcd').publishMany([
      statusEvent(record, { status: 'RUNNING', now }),
      statusEvent(record, { status: 'SUCCESS', now }),
    ]);

    const succeeded = bus.find({ source: ['stepcd'], detailType: ['DEPLOYMENT_SUCCEEDED'], eventBusName: ['stepcd'] });
    expect(succeeded).toHaveLength(1);
    const detail = EventDetailSchema.parse(succeeded[0]!.detail);
    expect(detail).toMatchObject({ deploymentId: 'dep-1', app: { name: 'web', labels: { env: 'dev' } }, status: 'SUCCESS', endedAt: now });
    expect(bus.find({ detailType: ['DEPLOYMENT_STARTED'] })).toHaveLength(1);
  });
});
