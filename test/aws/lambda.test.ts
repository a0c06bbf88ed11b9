import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createLambdaInvoker } from '../../src/aws/lambda.js';
import { ErrorName, StepcdError } from '../../src/errors.js';

/** The local cloud has no Lambda API; the adapter's translation and error mapping run on a mocked client. */
describe('AsyncInvoker over Lambda (createLambdaInvoker)', () => {
  let lambda: ReturnType<typeof mockClient>;
  beforeAll(() => {
    lambda = mockClient(LambdaClient);
  });
  beforeEach(() => lambda.reset());
  afterAll(() => lambda.restore());
  const invoker = () => createLambdaInvoker(localClientConfig('http://127.0.0.1:9'));

  it('queues the payload as JSON with InvocationType Event', async () => {
    lambda.on(InvokeCommand).resolves({ $metadata: {}, StatusCode: 202 });

    await invoker().invokeAsync('stepcd-prod-github-webhook', { source: 'stepcd.deferred-push', configPaths: ['apps/web/app.pipecd.yaml'] });

    const [call] = lambda.commandCalls(InvokeCommand);
    const input = call!.args[0].input as { FunctionName: string; InvocationType: string; Payload: Uint8Array };
    expect(input).toMatchObject({ FunctionName: 'stepcd-prod-github-webhook', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload))).toEqual({ source: 'stepcd.deferred-push', configPaths: ['apps/web/app.pipecd.yaml'] });
  });

  it.each([
    [
      'fail: a throttle stays retryable',
      Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }),
      ErrorName.Throttled,
    ],
    [
      'fail: a missing function is terminal',
      Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }),
      ErrorName.AwsError,
    ],
  ])('%s', async (_name, error, expected) => {
    lambda.on(InvokeCommand).rejects(error);
    const err = await invoker()
      .invokeAsync('fn', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(expected);
    expect((err as Error).message).toContain('invoking fn asynchronously');
  });

  it('treats an answer other than 202 as an event that was not queued', async () => {
    lambda.on(InvokeCommand).resolves({ $metadata: {}, StatusCode: 200 });
    await expect(invoker().invokeAsync('fn', {})).rejects.toThrow(/answered 200, not 202/);
  });
});
