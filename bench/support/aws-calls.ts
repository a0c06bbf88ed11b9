import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { LocalCloud } from '../../src/local/cloud.js';

/** One AWS API call an SDK client in this process made to the local cloud. */
export interface AwsCall {
  service: string;
  operation: string;
  /** Cloud clock (epoch ms) when the request went out. */
  at: number;
  /** `performance.now()` when the response arrived; undefined while in flight. */
  respondedAt?: number;
  status?: number;
}

/** JSON-protocol target prefixes → service names as the emulator's call log spells them. */
const TARGET_PREFIXES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  AWSStepFunctions: 'sfn',
  AWSEvents: 'events',
  AmazonEC2ContainerServiceV20141113: 'ecs',
};

/** `DynamoDB_20120810.PutItem` → `{ service: 'dynamodb', operation: 'PutItem' }`; ELBv2 (awsQuery) has no target. */
export function operationOfTarget(target: string | undefined): { service: string; operation: string } | undefined {
  if (!target) return undefined;
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const service = TARGET_PREFIXES[target.slice(0, dot)];
  return service ? { service, operation: target.slice(dot + 1) } : undefined;
}

/**
 * Counts the AWS calls every SDK client in this process sends to one local cloud, without touching
 * production code: the SDK's Node HTTP handler goes through `node:http`, which publishes each client
 * request on the `http.client.*` diagnostics channels. The operation comes from `x-amz-target`, so
 * this sees the JSON-protocol services (DynamoDB, SFN, EventBridge, ECS); ELBv2 speaks awsQuery with
 * the action in the body, which is why ECS and ELBv2 are counted by the emulator's own call log.
 * The bench's own `fetch` calls (webhooks) go through undici and are not seen.
 */
export class AwsCallCounter {
  private readonly calls: AwsCall[] = [];
  private readonly inFlight = new WeakMap<ClientRequest, AwsCall>();
  private readonly hosts: Set<string>;
  private readonly onStart = (message: unknown) => this.started((message as { request: ClientRequest }).request);
  private readonly onFinish = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const call = this.inFlight.get(request);
    if (!call) return;
    this.open -= 1;
    call.respondedAt = performance.now();
    call.status = response.statusCode;
    this.listeners.forEach((listener) => listener(call));
  };
  private readonly listeners = new Set<(call: AwsCall) => void>();
  private open = 0;

  constructor(private readonly cloud: Pick<LocalCloud, 'url' | 'dynamoUrl' | 'clock'>) {
    this.hosts = new Set([new URL(cloud.url).host, new URL(cloud.dynamoUrl).host]);
    dc.subscribe('http.client.request.start', this.onStart);
    dc.subscribe('http.client.response.finish', this.onFinish);
  }

  /** Stops observing; counted calls stay readable. */
  close(): void {
    dc.unsubscribe('http.client.request.start', this.onStart);
    dc.unsubscribe('http.client.response.finish', this.onFinish);
    this.listeners.clear();
  }

  /** Calls `listener` as each response arrives (e.g. to time StartExecution). Returns an undo. */
  onResponse(listener: (call: AwsCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once no call is in flight and none has started for `quietMs`: work the stack does not
   * expose a handle for (the webhook's in-process continuation) has then finished.
   */
  async quiesce(quietMs = 100, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = this.calls.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.open === 0 && this.calls.length === seen) return;
      if (performance.now() > deadline) throw new Error(`AWS calls still going after ${timeoutMs} ms (${this.open} in flight)`);
    }
  }

  all(): AwsCall[] {
    return [...this.calls];
  }

  /** Calls so far; pass it back to `byOperation`/`since` to read only what came after. */
  mark(): number {
    return this.calls.length;
  }

  /** Counts keyed `service:Operation`, for the services in `services` (all when absent), from `mark` on. */
  byOperation(opts: { from?: number; services?: string[]; sinceClock?: number; untilClock?: number } = {}): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls.slice(opts.from ?? 0)) {
      if (opts.services && !opts.services.includes(call.service)) continue;
      if (opts.sinceClock !== undefined && call.at < opts.sinceClock) continue;
      if (opts.untilClock !== undefined && call.at > opts.untilClock) continue;
      const key = `${call.service}:${call.operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  private started(request: ClientRequest): void {
    const host = String(request.getHeader('host') ?? '');
    if (!this.hosts.has(host)) return;
    const op = operationOfTarget(request.getHeader('x-amz-target') as string | undefined);
    const call: AwsCall = { service: op?.service ?? 'elbv2', operation: op?.operation ?? 'unknown', at: this.cloud.clock.now() };
    this.calls.push(call);
    this.inFlight.set(request, call);
    this.open += 1;
  }
}
