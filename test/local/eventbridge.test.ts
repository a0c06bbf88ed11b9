import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { localClientConfig } from '../../src/aws/client-config.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { LocalEventBus, type CapturedEvent } from '../../src/local/eventbridge/index.js';

describe('LocalEventBus: PutEvents', () => {
  let bus: LocalEventBus;
  let server: AwsServer;
  let client: EventBridgeClient;
  beforeEach(async () => {
    bus = new LocalEventBus({ clock: new ManualClock(Date.UTC(2026, 0, 2)) });
    server = await startAwsServer([bus.handler]);
    client = new EventBridgeClient(localClientConfig(server.url, 1));
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('captures valid entries and reports invalid ones index-aligned without failing the call', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'stepcd', DetailType: 'DEPLOYMENT_STARTED', Detail: '{"deploymentId":"d1"}', EventBusName: 'stepcd' },
          { Source: 'stepcd', DetailType: 'DEPLOYMENT_STARTED', Detail: 'not json', EventBusName: 'stepcd' },
          { Source: 'stepcd', Detail: '{}' },
          { Source: 'stepcd', DetailType: 'STAGE_SUCCEEDED', Detail: '{}', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/stepcd' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries![0]!.EventId).toBe(bus.events[0]!.id);
    expect(out.Entries![1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(out.Entries![2]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(bus.events).toEqual([
      expect.objectContaining({
        source: 'stepcd',
        detailType: 'DEPLOYMENT_STARTED',
        detail: { deploymentId: 'd1' },
        eventBusName: 'stepcd',
        time: '2026-01-02T00:00:00.000Z',
      }),
      expect.objectContaining({ detailType: 'STAGE_SUCCEEDED', eventBusName: 'stepcd' }),
    ]);
  });

  it('refuses no entries, more than ten, or more than 256 KB in one call', async () => {
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toThrow(/1 to 10/);
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))).rejects.toThrow(/1 to 10/);
    const big = { ...entry, Detail: JSON.stringify({ s: 'x'.repeat(130 * 1024) }) };
    await expect(client.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toThrow(/over the limit/);
    expect(bus.events).toHaveLength(0);
  });
});

describe('LocalEventBus: delivery', () => {
  it('delivers to matching subscribers only, and a failing subscriber harms nobody', async () => {
    const bus = new LocalEventBus({ clock: new ManualClock() });
    const got: string[] = [];
    bus.subscribe({ source: ['aws.states'] }, () => {
      throw new Error('subscriber bug');
    });
    bus.subscribe({ source: ['aws.states'], detailType: ['Step Functions Execution Status Change'] }, async (e) => {
      got.push(`states:${(e.detail as { status: string }).status}`);
    });
    bus.subscribe({ detailType: ['DEPLOYMENT_SUCCEEDED'] }, (e) => {
      got.push(`stepcd:${e.eventBusName}`);
    });

    bus.publishLocal({ source: 'aws.states', detailType: 'Step Functions Execution Status Change', detail: { status: 'ABORTED' } });
    bus.publishLocal({ source: 'stepcd', detailType: 'DEPLOYMENT_SUCCEEDED', detail: {}, eventBusName: 'stepcd' });
    bus.publishLocal({ source: 'stepcd', detailType: 'DEPLOYMENT_FAILED', detail: {} });
    expect(got).toEqual([]); // delivery is asynchronous, as EventBridge's is
    await bus.drain();

    expect(got).toEqual(['states:ABORTED', 'stepcd:stepcd']);
  });

  it('delivers to a rule by its bus and its event pattern over the envelope, and refuses a pattern AWS refuses', async () => {
    const bus = new LocalEventBus({ clock: new ManualClock() });
    const got: string[] = [];
    bus.subscribe({ pattern: { source: ['aws.ecs'], detail: { lastStatus: ['STOPPED'], stopCode: [{ 'anything-but': 'UserInitiated' }] } } }, (e) => {
      got.push((e.detail as { taskArn: string }).taskArn);
    });
    bus.subscribe({ eventBusName: 'stepcd', pattern: { 'detail-type': [{ prefix: 'DEPLOYMENT_' }] } }, (e) => {
      got.push(e.detailType);
    });
    const stopped = (taskArn: string, stopCode: string) => ({
      source: 'aws.ecs',
      detailType: 'ECS Task State Change',
      detail: { taskArn, lastStatus: 'STOPPED', stopCode },
    });
    bus.publishLocal(stopped('t1', 'EssentialContainerExited'));
    bus.publishLocal(stopped('t2', 'UserInitiated'));
    bus.publishLocal({ ...stopped('t3', 'EssentialContainerExited'), eventBusName: 'stepcd' });
    bus.publishLocal({ source: 'stepcd', detailType: 'DEPLOYMENT_STARTED', detail: {}, eventBusName: 'stepcd' });
    bus.publishLocal({ source: 'stepcd', detailType: 'DEPLOYMENT_FAILED', detail: {} });
    await bus.drain();

    expect(got).toEqual(['t1', 'DEPLOYMENT_STARTED']);
    expect(() => bus.subscribe({ pattern: { source: 'aws.ecs' } }, () => undefined)).toThrow(/must be an array/);
  });

  it('forwards every event in the EventBridge envelope to a local HTTP target', async () => {
    const received: Array<Record<string, unknown>> = [];
    const target: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/events`;
      const bus = new LocalEventBus({ clock: new ManualClock(), forwardUrl: url });
      const event: CapturedEvent = bus.publishLocal({
        source: 'stepcd',
        detailType: 'DEPLOYMENT_STARTED',
        detail: { deploymentId: 'd9' },
        eventBusName: 'stepcd',
      });
      await bus.drain();
      expect(received).toEqual([
        expect.objectContaining({ id: event.id, source: 'stepcd', 'detail-type': 'DEPLOYMENT_STARTED', detail: { deploymentId: 'd9' } }),
      ]);
    } finally {
      target.closeAllConnections();
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});
