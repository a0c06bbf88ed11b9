import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../domain/events.js';
import type { DriftEvent, DriftEventPublisher } from '../drift/events.js';
import { AwsError, wrapAwsError } from '../errors.js';

/** Drift events on the stack's bus, Source `stepcd`, with the service named in the detail. */
export class EventBridgeDriftPublisher implements DriftEventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publishDrift(event: DriftEvent): Promise<void> {
    const doing = `publishing ${event.detailType} of ${event.detail.app.name} to event bus ${this.eventBusName}`;
    let out;
    try {
      out = await this.client.send(
        new PutEventsCommand({
          Entries: [{ Source: EVENT_SOURCE, EventBusName: this.eventBusName, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
        }),
      );
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
    const entry = out.Entries?.[0];
    if (!entry?.EventId || entry.ErrorCode) throw new AwsError(`${doing}: refused (${entry?.ErrorCode ?? 'no result'})`);
  }
}
