import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../aws/client-config.js';
import type { ServiceHandler } from '../aws-server.js';
import type { Clock } from '../clock.js';
import { eventBridgeServiceHandler } from './handler.js';
import { type EventPattern, matchesPattern, validatePattern } from './pattern.js';

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

/** A rule as EventBridge holds one: the bus it is on (default `default`) and its event pattern. */
export interface EventRule {
  eventBusName?: string;
  pattern: EventPattern;
}

/**
 * A shorthand for tests and the CLI: matches when every given list holds the event's value. A
 * function's subscription is an EventRule, with the pattern its serverless.yml rule declares.
 */
export interface EventSelector {
  source?: string[];
  detailType?: string[];
  eventBusName?: string[];
}

export type EventFilter = EventRule | EventSelector;

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
  private readonly subscriptions = new Set<{ filter: EventFilter; target: EventTarget }>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Serves PutEvents over awsJson1_1 on the local cloud's AWS port. */
  readonly handler: ServiceHandler;

  constructor(private readonly opts: LocalEventBusOptions) {
    this.handler = eventBridgeServiceHandler(this);
  }

  /** Returns a function that removes the subscription. A pattern EventBridge would refuse throws. */
  subscribe(filter: EventFilter, target: EventTarget): () => void {
    if ('pattern' in filter) validatePattern(filter.pattern);
    const sub = { filter, target };
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
    for (const { filter, target } of this.subscriptions) {
      if (matches(filter, event)) this.track(deliver(target, event));
    }
    if (this.opts.forwardUrl) this.track(forward(this.opts.forwardUrl, event));
    return event;
  }

  /** Captured events matching a pattern, oldest first. */
  find(filter: EventFilter = {}): CapturedEvent[] {
    return this.events.filter((e) => matches(filter, e));
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

export function matches(filter: EventFilter, event: CapturedEvent): boolean {
  if ('pattern' in filter) return busName(filter.eventBusName) === event.eventBusName && matchesPattern(filter.pattern, envelope(event));
  return (
    (!filter.source || filter.source.includes(event.source)) &&
    (!filter.detailType || filter.detailType.includes(event.detailType)) &&
    (!filter.eventBusName || filter.eventBusName.includes(event.eventBusName))
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
