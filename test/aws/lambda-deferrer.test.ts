import { describe, expect, it } from 'vitest';
import { LambdaSelfInvokeDeferrer, type AsyncInvoker } from '../../src/gitops/deferrers.js';
import type { PushEvent } from '../../src/gitops/push-event.js';
import { ErrorName, StepcdError, ThrottledError } from '../../src/errors.js';

const push: PushEvent = {
  repo: 'acme/deploys',
  ref: 'refs/heads/main',
  refName: 'main',
  refType: 'branch',
  before: 'a'.repeat(40),
  after: 'b'.repeat(40),
  commit: { sha: 'b'.repeat(40), message: 'bump', author: 'dev' },
  payloadPaths: ['apps/a/app.pipecd.yaml'],
};

/** An AsyncInvoker that records what it was given and can fail on demand. */
function recordingInvoker(fail?: Error): AsyncInvoker & { calls: { functionName: string; payload: unknown }[] } {
  const calls: { functionName: string; payload: unknown }[] = [];
  return {
    calls,
    async invokeAsync(functionName, payload) {
      if (fail) throw fail;
      calls.push({ functionName, payload });
    },
  };
}

describe('LambdaSelfInvokeDeferrer over the AsyncInvoker port', () => {
  it('sends one continuation per chunk of app configs, without the changed-path list', async () => {
    const invoker = recordingInvoker();
    const paths = ['a', 'b', 'c', 'd', 'e'].map((n) => `apps/${n}/app.pipecd.yaml`);

    await new LambdaSelfInvokeDeferrer(invoker, 'webhook-fn', 2).defer(push, paths);

    expect(invoker.calls.map((c) => c.functionName)).toEqual(['webhook-fn', 'webhook-fn', 'webhook-fn']);
    expect(invoker.calls.map((c) => (c.payload as { configPaths: string[] }).configPaths)).toEqual([paths.slice(0, 2), paths.slice(2, 4), paths.slice(4)]);
    expect(invoker.calls.every((c) => !('payloadPaths' in (c.payload as { push: object }).push))).toBe(true);
  });

  it('keeps a throttle retryable and says which push it was deferring', async () => {
    const invoker = recordingInvoker(new ThrottledError('invoking webhook-fn asynchronously: TooManyRequestsException: Rate exceeded'));

    const err = await new LambdaSelfInvokeDeferrer(invoker, 'webhook-fn').defer(push, ['apps/a/app.pipecd.yaml']).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(ErrorName.Throttled);
    expect((err as StepcdError).retryable).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^deferring 1 apps of ${push.after}: invoking webhook-fn`));
    expect((err as Error).cause).toBeInstanceOf(ThrottledError);
  });
});
