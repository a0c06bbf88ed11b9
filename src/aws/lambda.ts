import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AsyncInvoker } from '../gitops/deferrers.js';
import { AwsError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

export function createLambdaClient(config: AwsClientConfig): LambdaClient {
  return new LambdaClient(config);
}

/**
 * AsyncInvoker over @aws-sdk/client-lambda: InvocationType Event, so Lambda queues the payload and
 * answers 202 at once (it retries a failed asynchronous invocation twice on its own).
 */
export function createLambdaInvoker(config: AwsClientConfig | LambdaClient): AsyncInvoker {
  const client = config instanceof LambdaClient ? config : createLambdaClient(config);
  return {
    async invokeAsync(functionName, payload) {
      let out;
      try {
        out = await client.send(
          new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
        );
      } catch (err) {
        throw wrapAwsError(`invoking ${functionName} asynchronously`, err);
      }
      // An Event invocation that Lambda queued answers 202; anything else means it was not queued.
      if (out.StatusCode !== undefined && out.StatusCode !== 202) {
        throw new AwsError(`invoking ${functionName} asynchronously: Lambda answered ${out.StatusCode}, not 202`);
      }
    },
  };
}
