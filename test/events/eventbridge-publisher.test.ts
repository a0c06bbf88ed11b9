import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEventBridgeClient, type EventBridgePort, EventBridgePublisher, EventPublishError } from '../../src/aws/eventbridge.js';
import { statusEvent } from '../../src/notify/events.js';
import { StepcdError } from '../../src/errors.js';
import type { DeploymentEvent } from '../../src/domain/events.js';
import { samplePlan } from '../history/fixtures.js';

interface Entry {
  Source: string;
  EventBusName: string;
  DetailType: string;
  Detail: string;
}

/**
 * A stand-in EventBridge speaking the real awsJson1_1 wire protocol, so the signed PutEvents call is
 * exercised end to end. `refuse` decides per entry whether it is rejected, and with which code.
 */
let server: AwsServer;
let calls: Entry[][] = [];
let refuse: (entry: Entry) => string | undefined = () => undefined;
let failWholeCall: (entries: Entry[]) => boolean = () => false;

beforeAll(async () => {
  server = await startAwsServer([
    async (req) => {
      if (req.target !== 'AWSEvents.PutEvents') return undefined;
      if (failWholeCall((JSON.parse(req.body) as { Entries: Entry[] }).Entries)) {
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' }),
        };
      }
      const entries = (JSON.parse(req.body) as { Entries: Entry[] }).Entries;
      calls.push(entries);
      const results = entries.map((e, i) => {
        const code = refuse(e);
        return code ? { ErrorCode: code, ErrorMessage: `refused ${e.DetailType}` } : { EventId: `evt-${calls.length}-${i}` };
      });
      const failed = results.filter((r) => 'ErrorCode' in r).length;
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ FailedEntryCount: failed, Entries: results }) };
    },
  ]);
});

afterAll(async () => {
  await server.close();
});

let client: EventBridgePort;
beforeEach(() => {
  calls = [];
  refuse = () => undefined;
  failWholeCall = () => false;
  client = createEventBridgeClient(localClientConfig(server.url, 1));
});

function events(n: number): DeploymentEvent[] {
  return Array.from({ length: n }, (_, i) => statusEvent(samplePlan({ deploymentId: `dep-${i}` }), { status: 'RUNNING', now: '2026-01-01T00:00:00.000Z' }));
}

describe('EventBridgePublisher', () => {
  it('puts one event on the configured bus with Source stepcd, its DetailType and the JSON detail', async () => {
    const [event] = events(1);
    await new EventBridgePublisher(client, 'stepcd-dev').publish(event!);
    expect(calls).toHaveLength(1);
    const entry = calls[0]![0]!;
    expect(entry).toMatchObject({ Source: 'stepcd', EventBusName: 'stepcd-dev', DetailType: 'DEPLOYMENT_STARTED' });
    expect(JSON.parse(entry.Detail)).toEqual(event!.detail);
  });

  it('sends many events in batches of at most ten, in order', async () => {
    const all = events(23);
    await new EventBridgePublisher(client, 'stepcd').publishMany(all);
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail).deploymentId)).toEqual(all.map((e) => e.detail.deploymentId));
  });

  it('throws a typed error naming each refused entry and its ErrorCode, after trying every batch', async () => {
    refuse = (e) => (JSON.parse(e.Detail).deploymentId === 'dep-3' ? 'InvalidArgument' : undefined);
    const error = await new EventBridgePublisher(client, 'stepcd').publishMany(events(12)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).name).toBe('stepcd.AwsError');
    expect((error as EventPublishError).rejected).toEqual([
      { detailType: 'DEPLOYMENT_STARTED', deploymentId: 'dep-3', errorCode: 'InvalidArgument', errorMessage: 'refused DEPLOYMENT_STARTED' },
    ]);
    expect((error as Error).message).toContain('InvalidArgument');
    expect(calls).toHaveLength(2);
  });

  it('sends again only the entries refused for a passing reason, and answers per event', async () => {
    const throttledOnce = new Set(['dep-3', 'dep-11']);
    refuse = (e) => {
      const id = JSON.parse(e.Detail).deploymentId as string;
      if (id === 'dep-5') return 'InvalidArgument';
      if (throttledOnce.delete(id)) return 'ThrottlingException';
      return undefined;
    };
    const slept: number[] = [];
    const publisher = new EventBridgePublisher(client, 'stepcd', { attempts: 3, baseDelayMs: 20, sleep: async (ms) => void slept.push(ms) });

    const outcomes = await publisher.publishEach(events(12));

    const sent = calls.map((c) => c.map((e) => JSON.parse(e.Detail).deploymentId));
    expect(sent).toEqual([Array.from({ length: 10 }, (_, i) => `dep-${i}`), ['dep-3'], ['dep-10', 'dep-11'], ['dep-11']]);
    expect(slept).toEqual([20, 20]);
    expect(outcomes.map((o, i) => (o ? `dep-${i}` : undefined)).filter(Boolean)).toEqual(['dep-5']);
    expect(outcomes[5]).toBeInstanceOf(EventPublishError);
    expect((outcomes[5] as EventPublishError).rejected).toEqual([
      { detailType: 'DEPLOYMENT_STARTED', deploymentId: 'dep-5', errorCode: 'InvalidArgument', errorMessage: 'refused DEPLOYMENT_STARTED' },
    ]);
  });

  it('fails every event of a batch whose call failed as a whole, and still sends the other batches', async () => {
    failWholeCall = (entries) => entries.some((e) => JSON.parse(e.Detail).deploymentId === 'dep-12');

    const outcomes = await new EventBridgePublisher(client, 'stepcd').publishEach(events(13));

    expect(calls.map((c) => c.length)).toEqual([10]);
    expect(outcomes.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => undefined));
    expect(outcomes.slice(10).map((o) => (o as Error).message)).toEqual(
      Array.from({ length: 3 }, () =>
        expect.stringMatching(
          /^publishing DEPLOYMENT_STARTED of dep-10, .* dep-12 to event bus stepcd: events:PutEvents answered 400 ResourceNotFoundException/,
        ),
      ),
    );
  });

  it('names a throttled entry so the caller can tell it may retry', async () => {
    refuse = () => 'ThrottlingException';
    const error = await new EventBridgePublisher(client, 'stepcd').publish(events(1)[0]!).catch((e: unknown) => e);
    expect((error as StepcdError).name).toBe('stepcd.Throttled');
    expect((error as StepcdError).retryable).toBe(true);
  });

  it("wraps a refused call with what was being published and keeps AWS's error code as the cause", async () => {
    failWholeCall = () => true;
    const error = await new EventBridgePublisher(client, 'nope').publish(events(1)[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepcdError);
    expect((error as Error).message).toMatch(
      /publishing DEPLOYMENT_STARTED of dep-0 to event bus nope: events:PutEvents answered 400 ResourceNotFoundException: Event bus nope does not exist\./,
    );
    expect(((error as Error).cause as Error).name).toBe('ResourceNotFoundException');
  });
});
