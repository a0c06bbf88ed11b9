import type { DeploymentRecord } from '../domain/deployment.js';
import type { DetailType, EventPublisher } from '../domain/events.js';
import { eventDetail, type EventDetailOptions } from './events.js';

export interface AnnounceDeps {
  events: EventPublisher;
  logger: { error(message: string, ...extra: unknown[]): void };
}

/** What the event says beyond the record: its moment, and a status other than the record's own. */
export type AnnounceOptions = Omit<EventDetailOptions, 'status'> & { status?: EventDetailOptions['status'] };

/**
 * Publishes one EventBridge event about a deployment. An event that cannot be published is logged
 * and fails nothing: EventBridge is how users hear about a deploy (or a decision), not part of it.
 */
export async function announce(deps: AnnounceDeps, record: DeploymentRecord, detailType: DetailType, options: AnnounceOptions): Promise<void> {
  const detail = eventDetail(record, { ...options, status: options.status ?? record.status });
  try {
    await deps.events.publish({ detailType, detail });
  } catch (err) {
    deps.logger.error('could not publish event', { detailType, deploymentId: record.deploymentId, error: err as Error });
  }
}
