import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../aws/client-config.js';
import type { ServiceHandler } from '../aws-server.js';
import type { Clock } from '../clock.js';
import { eventBridgeServiceHandler } from './handler.js';

/** An event as the local bus captured it; `detail` is parsed JSON. */
export interface CapturedEvent {
  id: string;
  source: string;
  detailType: string;
  detail: unknown;
  eventBusName: string;
  /** ISO 8601, from the cloud's clock unless the sender set Time. */
  time: string;
  resources: string[];
}

export interface LocalEventInput {
  source: string;
  detailType: string;
  detail: unknown;
  eventBusName?: string;
  resources?: string[];
  time?: Date;
}

/** Matches when every given field lists the event's value (EventBridge's "any of" on exact strings). */
export interface EventPattern {
  source?: string[];
  detailType?: string[];
  eventBusName?: string[];
}

export type EventTarget = (event: CapturedEvent) => Promise<void> | void;

export interface LocalEventBusOptions {
  clock: Clock;
  /** POST every event, in EventBridge's envelope shape, to this local URL (e.g. a dev server). */
  forwardUrl?: string;
  /** Called with one line per event (the CLI prints them); silent by default. */
  log?: (line: string) => void;
}

/**
 * EventBridge on one machine: captures every event, delivers it asynchronously to matching
 * subscribers (as EventBridge invokes targets after PutEvents returns), and optionally forwards it
 * over HTTP. A failing target is logged and never reaches the publisher.
 */
export class LocalEventBus {
  readonly events: CapturedEvent[] = [];
  private readonly subscriptions = new Set<{ pattern: EventPattern; target: EventTarget }>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Serves PutEvents over awsJson1_1 on the local cloud's AWS port. */
  readonly handler: ServiceHandler;

  constructor(private readonly opts: LocalEventBusOptions) {
    this.handler = eventBridgeServiceHandler(this);
  }

  /** Returns a function that removes the subscription. */
  subscribe(pattern: EventPattern, target: EventTarget): () => void {
    const sub = { pattern, target };
    this.subscriptions.add(sub);
    return () => this.subscriptions.delete(sub);
  }

  publishLocal(input: LocalEventInput): CapturedEvent {
    const event: CapturedEvent = {
      id: randomUUID(),
      source: input.source,
      detailType: input.detailType,
      detail: input.detail,
      eventBusName: busName(input.eventBusName),
      time: (input.time ?? new Date(this.opts.clock.now())).toISOString(),
      resources: input.resources ?? [],
    };
    this.events.push(event);
    this.opts.log?.(`[events] ${event.eventBusName} ${event.source} ${event.detailType} ${JSON.stringify(event.detail)}`);
    for (const { pattern, target } of this.subscriptions) {
      if (matches(pattern, event)) this.track(deliver(target, event));
    }
    if (this.opts.forwardUrl) this.track(forward(this.opts.forwardUrl, event));
    return event;
  }

  /** Captured events matching a pattern, oldest first. */
  find(pattern: EventPattern = {}): CapturedEvent[] {
    return this.events.filter((e) => matches(pattern, e));
  }

  /** No delivery is under way (nothing a target is still reacting to). */
  idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Resolves once every delivery started so far (and any they caused) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }
}

export function matches(pattern: EventPattern, event: CapturedEvent): boolean {
  return (
    (!pattern.source || pattern.source.includes(event.source)) &&
    (!pattern.detailType || pattern.detailType.includes(event.detailType)) &&
    (!pattern.eventBusName || pattern.eventBusName.includes(event.eventBusName))
  );
}

/** A bus ARN (`arn:aws:events:r:a:event-bus/name`) or a name → the name; none → `default`. */
export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  const slash = nameOrArn.lastIndexOf('event-bus/');
  return slash >= 0 ? nameOrArn.slice(slash + 'event-bus/'.length) : nameOrArn;
}

/** The event as EventBridge hands it to targets. */
export function envelope(event: CapturedEvent): Record<string, unknown> {
  return {
    version: '0',
    id: event.id,
    'detail-type': event.detailType,
    source: event.source,
    account: LOCAL_ACCOUNT,
    time: event.time,
    region: LOCAL_REGION,
    resources: event.resources,
    detail: event.detail,
  };
}

async function deliver(target: EventTarget, event: CapturedEvent): Promise<void> {
  // Deferred, so the publisher (PutEvents, an ending execution) never runs a target inline.
  await Promise.resolve();
  try {
    await target(event);
  } catch (err) {
    console.error(`[events] target for ${event.source}/${event.detailType} failed:`, err);
  }
}

async function forward(url: string, event: CapturedEvent): Promise<void> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope(event)) });
    await res.arrayBuffer();
    if (!res.ok) console.error(`[events] forwarding ${event.id} to ${url} answered ${res.status}`);
  } catch (err) {
    console.error(`[events] forwarding ${event.id} to ${url} failed:`, err);
  }
}
