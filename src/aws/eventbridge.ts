import { EVENT_SOURCE, type BatchEventPublisher, type DeploymentEvent } from '../domain/events.js';
import { ErrorName, StepcdError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { callJsonRpc } from './json-rpc.js';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

/** PutEvents' request entry and result entry, as the wire protocol names their members. */
export interface PutEventsRequestEntry {
  Source: string;
  EventBusName: string;
  DetailType: string;
  Detail: string;
  Resources?: string[];
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/**
 * EventBridge's PutEvents, the one EventBridge call stepcd makes, as a signed JSON-RPC request:
 * @aws-sdk/client-eventbridge added its service (16 KB, ~4% of the webhook's import) to every bundle.
 */
export interface EventBridgePort {
  /** One result per entry, in order. `doing` leads the message of a call that fails as a whole. */
  putEvents(entries: readonly PutEventsRequestEntry[], doing: string): Promise<PutEventsResultEntry[]>;
}

export function createEventBridgeClient(config: AwsClientConfig): EventBridgePort {
  return {
    async putEvents(entries, doing) {
      const out = await callJsonRpc<{ Entries?: PutEventsResultEntry[] }>({
        service: 'events',
        target: 'AWSEvents.PutEvents',
        config,
        input: { Entries: entries },
        doing,
      });
      return out.Entries ?? [];
    },
  };
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

/** How often entries EventBridge refused for a passing reason are sent again, and the first wait. */
export interface PublishRetry {
  attempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_PUBLISH_RETRY: PublishRetry = { attempts: 3, baseDelayMs: 50 };
/** Per-entry ErrorCodes that a later attempt may not get (EventBridge's own advice: retry these). */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException']);
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes deployment events to one bus with Source `stepcd`.
 *
 * Events are notifications, not part of the deployment: callers (stage handlers, the finaliser)
 * should catch and log a publish failure and carry on, so that an EventBridge outage never fails or
 * rolls back a deployment. This class still throws, typed, so that the choice is the caller's and is
 * never made silently here.
 */
export class EventBridgePublisher implements BatchEventPublisher {
  constructor(
    private readonly client: EventBridgePort,
    private readonly eventBusName: string,
    private readonly retry: PublishRetry = DEFAULT_PUBLISH_RETRY,
  ) {}

  async publish(event: DeploymentEvent): Promise<void> {
    await this.publishMany([event]);
  }

  /**
   * Sends in batches of 10; every batch is attempted, then the first failed call is thrown, or all
   * refused entries are reported together.
   */
  async publishMany(events: readonly DeploymentEvent[]): Promise<void> {
    const outcomes = await this.publishEach(events);
    const failures = outcomes.filter((o): o is Error => o !== undefined);
    const callFailure = failures.find((f) => !(f instanceof EventPublishError));
    if (callFailure) throw callFailure;
    if (failures.length > 0) throw new EventPublishError(failures.flatMap((f) => (f as EventPublishError).rejected));
  }

  /**
   * One outcome per event, in order: undefined once EventBridge took it, else why not. Batches of 10
   * (PutEvents' limit). A call answers per entry (FailedEntryCount), so only the entries refused for
   * a passing reason (throttling, an internal failure) are sent again, with backoff; the rest of the
   * batch is never sent twice. A call that fails as a whole fails its batch's events.
   */
  async publishEach(events: readonly DeploymentEvent[]): Promise<(Error | undefined)[]> {
    const outcomes = new Array<Error | undefined>(events.length).fill(undefined);
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      let pending = events.slice(start, start + PUT_EVENTS_BATCH).map((event, i) => ({ event, index: start + i }));
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > 1) await (this.retry.sleep ?? sleepFor)(this.retry.baseDelayMs * 2 ** (attempt - 2));
        let results: PutEventsResultEntry[];
        try {
          results = await this.put(pending.map((p) => p.event));
        } catch (err) {
          for (const p of pending) outcomes[p.index] = err as Error;
          break;
        }
        const again: typeof pending = [];
        pending.forEach((p, i) => {
          const refused = rejectedEntries([p.event], [results[i] ?? {}])[0];
          outcomes[p.index] = refused ? new EventPublishError([refused]) : undefined;
          if (refused && RETRYABLE_ENTRY_CODES.has(refused.errorCode) && attempt < this.retry.attempts) again.push(p);
        });
        pending = again;
      }
    }
    return outcomes;
  }

  private put(batch: readonly DeploymentEvent[]): Promise<PutEventsResultEntry[]> {
    const what = batch.map((e) => `${e.detailType} of ${e.detail.deploymentId}`).join(', ');
    return this.client.putEvents(
      batch.map((e) => this.entry(e)),
      `publishing ${what} to event bus ${this.eventBusName}`,
    );
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
