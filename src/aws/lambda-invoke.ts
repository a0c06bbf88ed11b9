import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientConfig } from './client-config.js';

/** One Event invocation: Lambda queues the payload and answers 202 at once. Loaded by src/aws/lambda.ts on first use. */
export type EventInvoke = (functionName: string, payload: Uint8Array) => Promise<number | undefined>;

export function eventInvoker(config: AwsClientConfig): EventInvoke {
  const client = new LambdaClient(config);
  return async (functionName, payload) =>
    (await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: payload }))).StatusCode;
}
