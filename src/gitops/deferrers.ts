import { AwsError, errorFromName, isErrorName, StepcdError } from '../errors.js';
import type { PushEvent } from './push-event.js';
import { WHOLE_PUSH, type Deferrer, type TriggerScope } from './trigger.js';

/**
 * The event a webhook Lambda sends itself to continue a push too big for one response: either the
 * app configs left over (`configPaths`), or the whole push when its analysis was deferred (`scope`).
 */
export type DeferredPushEvent = {
  source: 'stepcd.deferred-push';
  push: PushEvent;
} & ({ configPaths: string[] } | { scope: typeof WHOLE_PUSH });

/** Queues a payload for a function without waiting for it (Lambda's InvocationType Event). */
export interface AsyncInvoker {
  invokeAsync(functionName: string, payload: unknown): Promise<void>;
}

/** Apps per continuation: what one of them starts within its own inline budget. */
export const DEFERRED_CHUNK_APPS = 50;

/** Pure: the deferred app configs as each continuation gets them (or any items in chunks), in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive whole number, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The scope the continuation runs with. */
export function deferredScope(event: DeferredPushEvent): TriggerScope {
  return 'configPaths' in event ? event.configPaths : WHOLE_PUSH;
}

export function isDeferredPushEvent(event: unknown): event is DeferredPushEvent {
  return (event as { source?: unknown } | null)?.source === 'stepcd.deferred-push';
}

/**
 * On AWS: an asynchronous self-invoke (InvocationType Event). Lambda queues it and retries it twice
 * on failure, and every step of the trigger is idempotent, so a retry starts nothing twice. Apps go
 * in chunks so that each continuation fits its own inline budget.
 */
export class LambdaSelfInvokeDeferrer implements Deferrer {
  constructor(
    private readonly invoker: AsyncInvoker,
    private readonly functionName: string,
    private readonly chunkSize = DEFERRED_CHUNK_APPS,
  ) {}

  async defer(push: PushEvent, scope: TriggerScope): Promise<void> {
    // The changed-path list could be large (async payloads stop at 256 KB), so drop it: a continuation
    // either knows its apps already or diffs the two trees, which is exact for any push size.
    const { payloadPaths: _dropped, ...slim } = push;
    if (scope === WHOLE_PUSH) {
      await this.invoke({ source: 'stepcd.deferred-push', push: slim, scope }, `deferring the analysis of ${push.after}`);
      return;
    }
    for (const configPaths of chunksOf(scope, this.chunkSize)) {
      await this.invoke({ source: 'stepcd.deferred-push', push: slim, configPaths }, `deferring ${configPaths.length} apps of ${push.after}`);
    }
  }

  private async invoke(event: DeferredPushEvent, doing: string): Promise<void> {
    try {
      await this.invoker.invokeAsync(this.functionName, event);
    } catch (err) {
      // Same kind (so a throttle stays retryable), saying what was being deferred.
      const message = `${doing}: ${(err as Error).message}`;
      if (err instanceof StepcdError && isErrorName(err.name)) throw errorFromName(err.name, message, { cause: err });
      throw new AwsError(message, { cause: err });
    }
  }
}

/**
 * Locally: the same continuations, run in this process on a later turn of the event loop, after the
 * response is sent, chunked as LambdaSelfInvokeDeferrer chunks them (one continuation per chunk, all
 * running at once, as Lambda runs queued async invocations), so the local cloud takes the code path
 * AWS takes and its fan-out is not one long serial continuation. `idle()` lets tests and the CLI wait.
 */
export class InProcessDeferrer implements Deferrer {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly continueWith: (push: PushEvent, scope: TriggerScope) => Promise<unknown>,
    private readonly chunkSize = DEFERRED_CHUNK_APPS,
  ) {}

  async defer(push: PushEvent, scope: TriggerScope): Promise<void> {
    const scopes: TriggerScope[] = scope === WHOLE_PUSH ? [WHOLE_PUSH] : chunksOf(scope, this.chunkSize);
    for (const chunk of scopes) this.run(push, chunk);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private run(push: PushEvent, scope: TriggerScope): void {
    const run = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.continueWith(push, scope).then(() => resolve(), reject);
      });
    });
    this.pending.add(run);
    // Failures surface through idle(); an unobserved rejection must not crash the local cloud.
    run.catch(() => undefined).finally(() => this.pending.delete(run));
  }
}
