import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { wrapAwsError } from '../errors.js';
import type { PushEvent } from './push-event.js';
import type { Deferrer } from './trigger.js';

/** The event a webhook Lambda sends itself to continue a push too big for one response. */
export interface DeferredPushEvent {
  source: 'stepcd.deferred-push';
  push: PushEvent;
  configPaths: string[];
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
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
    private readonly chunkSize = 50,
  ) {}

  async defer(push: PushEvent, configPaths: string[]): Promise<void> {
    // The continuation knows its apps already; the changed-path list could be large, so drop it.
    const { payloadPaths: _dropped, ...slim } = push;
    for (let i = 0; i < configPaths.length; i += this.chunkSize) {
      const event: DeferredPushEvent = { source: 'stepcd.deferred-push', push: slim, configPaths: configPaths.slice(i, i + this.chunkSize) };
      try {
        await this.lambda.send(
          new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
        );
      } catch (err) {
        throw wrapAwsError(`deferring ${event.configPaths.length} apps of ${push.after} to ${this.functionName}`, err);
      }
    }
  }
}

/**
 * Locally: the same continuation, run in this process on a later turn of the event loop, after the
 * response is sent. `idle()` lets tests and the CLI wait for it.
 */
export class InProcessDeferrer implements Deferrer {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly continueWith: (push: PushEvent, configPaths: string[]) => Promise<unknown>) {}

  async defer(push: PushEvent, configPaths: string[]): Promise<void> {
    const run = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.continueWith(push, configPaths).then(() => resolve(), reject);
      });
    });
    this.pending.add(run);
    // Failures surface through idle(); an unobserved rejection must not crash the local cloud.
    run.catch(() => undefined).finally(() => this.pending.delete(run));
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
