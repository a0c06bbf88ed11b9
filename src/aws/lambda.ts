import type { AsyncInvoker } from '../gitops/deferrers.js';
import { AwsError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import type { EventInvoke } from './lambda-invoke.js';

/**
 * AsyncInvoker over @aws-sdk/client-lambda: InvocationType Event, so Lambda queues the payload and
 * answers 202 at once (it retries a failed asynchronous invocation twice on its own).
 *
 * The client is loaded on the first invocation, not when the webhook module loads: only a push too
 * large for one invocation defers, and the Lambda client (its error classes and schemas, about
 * 70 kB of the webhook bundle) would otherwise be evaluated at every cold start for nothing.
 */
export function createLambdaInvoker(config: AwsClientConfig): AsyncInvoker {
  let invoke: Promise<EventInvoke> | undefined;
  return {
    async invokeAsync(functionName, payload) {
      invoke ??= import('./lambda-invoke.js').then((m) => m.eventInvoker(config));
      const send = await invoke;
      let status;
      try {
        status = await send(functionName, new TextEncoder().encode(JSON.stringify(payload)));
      } catch (err) {
        throw wrapAwsError(`invoking ${functionName} asynchronously`, err);
      }
      // An Event invocation that Lambda queued answers 202; anything else means it was not queued.
      if (status !== undefined && status !== 202) {
        throw new AwsError(`invoking ${functionName} asynchronously: Lambda answered ${status}, not 202`);
      }
    },
  };
}
