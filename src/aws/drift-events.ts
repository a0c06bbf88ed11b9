import { EVENT_SOURCE } from '../domain/events.js';
import type { DriftEvent, DriftEventPublisher } from '../drift/events.js';
import { AwsError } from '../errors.js';
import type { EventBridgePort } from './eventbridge.js';

/** Drift events on the stack's bus, Source `stepcd`, with the service named in the detail. */
export class EventBridgeDriftPublisher implements DriftEventPublisher {
  constructor(
    private readonly client: EventBridgePort,
    private readonly eventBusName: string,
  ) {}

  async publishDrift(event: DriftEvent): Promise<void> {
    const doing = `publishing ${event.detailType} of ${event.detail.app.name} to event bus ${this.eventBusName}`;
    const [entry] = await this.client.putEvents(
      [{ Source: EVENT_SOURCE, EventBusName: this.eventBusName, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
      doing,
    );
    if (!entry?.EventId || entry.ErrorCode) throw new AwsError(`${doing}: refused (${entry?.ErrorCode ?? 'no result'})`);
  }
}
