import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DeploymentEvent, type EventPublisher } from '../domain/events.js';
import { ErrorName, StepcdError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

export function createEventBridgeClient(config: AwsClientConfig): EventBridgeClient {
  return new EventBridgeClient(config);
}

export interface RejectedEvent {
  detailType: string;
  deploymentId: string;
  errorCode: string;
  errorMessage?: string;
}

/**
 * EventBridge accepted the call but refused some entries (PutEvents reports these per entry, with a
 * 200). Named after the first entry's ErrorCode class so a caller can tell throttling from a bad event.
 */
export class EventPublishError extends StepcdError {
  readonly rejected: RejectedEvent[];
  constructor(rejected: RejectedEvent[]) {
    const first = rejected[0];
    const summary = rejected.map((r) => `${r.detailType} of ${r.deploymentId}: ${r.errorCode}${r.errorMessage ? ` (${r.errorMessage})` : ''}`);
    super(classify(first?.errorCode), `EventBridge refused ${rejected.length} event(s): ${summary.join('; ')}`);
    this.rejected = rejected;
  }
}

function classify(errorCode: string | undefined): ErrorName {
  if (errorCode === 'ThrottlingException') return ErrorName.Throttled;
  if (errorCode === 'InternalFailure' || errorCode === 'InternalException') return ErrorName.Transient;
  return ErrorName.AwsError;
}

/**
 * Publishes deployment events to one bus with Source `stepcd`.
 *
 * Events are notifications, not part of the deployment: callers (stage handlers, the finaliser)
 * should catch and log a publish failure and carry on, so that an EventBridge outage never fails or
 * rolls back a deployment. This class still throws, typed, so that the choice is the caller's and is
 * never made silently here.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(event: DeploymentEvent): Promise<void> {
    await this.publishMany([event]);
  }

  /** Sends in batches of 10; every batch is attempted, then all refused entries are reported together. */
  async publishMany(events: readonly DeploymentEvent[]): Promise<void> {
    const rejected: RejectedEvent[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      const batch = events.slice(start, start + PUT_EVENTS_BATCH);
      const results = await this.put(batch);
      rejected.push(...rejectedEntries(batch, results));
    }
    if (rejected.length > 0) throw new EventPublishError(rejected);
  }

  private async put(batch: readonly DeploymentEvent[]): Promise<PutEventsResultEntry[]> {
    try {
      const out = await this.client.send(new PutEventsCommand({ Entries: batch.map((e) => this.entry(e)) }));
      return out.Entries ?? [];
    } catch (err) {
      const what = batch.map((e) => `${e.detailType} of ${e.detail.deploymentId}`).join(', ');
      throw wrapAwsError(`publishing ${what} to event bus ${this.eventBusName}`, err);
    }
  }

  private entry(event: DeploymentEvent): PutEventsRequestEntry {
    return {
      Source: EVENT_SOURCE,
      EventBusName: this.eventBusName,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: [event.detail.executionArn, event.detail.serviceArn, event.detail.taskDefinitionArn].filter((arn): arn is string => arn !== undefined),
    };
  }
}

/** PutEvents returns one result per entry, in order; a failed one carries an ErrorCode instead of an EventId. */
function rejectedEntries(batch: readonly DeploymentEvent[], results: PutEventsResultEntry[]): RejectedEvent[] {
  return batch.flatMap((event, i) => {
    const result = results[i];
    if (result?.EventId && !result.ErrorCode) return [];
    return [
      {
        detailType: event.detailType,
        deploymentId: event.detail.deploymentId,
        errorCode: result?.ErrorCode ?? 'MissingResult',
        errorMessage: result?.ErrorMessage,
      },
    ];
  });
}
