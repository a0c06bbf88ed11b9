import { describe, expect, it } from 'vitest';
import { chunksOf, InProcessDeferrer, LambdaSelfInvokeDeferrer, type AsyncInvoker } from '../../src/gitops/deferrers.js';
import type { PushEvent } from '../../src/gitops/push-event.js';
import { WHOLE_PUSH, type TriggerScope } from '../../src/gitops/trigger.js';

const push: PushEvent = {
  repo: 'acme/deploys',
  ref: 'refs/heads/main',
  refName: 'main',
  refType: 'branch',
  before: 'a'.repeat(40),
  after: 'b'.repeat(40),
  commit: { sha: 'b'.repeat(40), message: 'bump', author: 'dev' },
};
const configs = (n: number) => Array.from({ length: n }, (_, i) => `apps/app-${String(i).padStart(4, '0')}/app.pipecd.yaml`);

describe('InProcessDeferrer', () => {
  it('hands the continuations exactly the chunks the Lambda deferrer invokes', async () => {
    const sent: unknown[] = [];
    const invoker: AsyncInvoker = { invokeAsync: async (_fn, payload) => void sent.push((payload as { configPaths: string[] }).configPaths) };
    const seen: TriggerScope[] = [];
    const local = new InProcessDeferrer(async (_push, scope) => seen.push(scope));

    await new LambdaSelfInvokeDeferrer(invoker, 'webhook').defer(push, configs(951));
    await local.defer(push, configs(951));
    await local.idle();

    expect(seen).toHaveLength(20);
    expect(seen).toEqual(sent);
    expect(seen.map((s) => s.length)).toEqual([...Array(19).fill(50), 1]);
  });

  it('runs the chunks side by side, as Lambda runs queued invocations, and idle() waits for all', async () => {
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const local = new InProcessDeferrer(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
    }, 10);

    await local.defer(push, configs(40));
    // Every continuation starts on a later turn, none waiting for another.
    while (release.length < 4) await new Promise((resolve) => setImmediate(resolve));
    let idle = false;
    const waiting = local.idle().then(() => (idle = true));
    for (const done of release.splice(0, 3)) done();
    await new Promise((resolve) => setImmediate(resolve));

    expect(peak).toBe(4);
    expect(idle).toBe(false);
    release[0]?.();
    await waiting;
    expect(running).toBe(0);
  });

  it('defers a whole push as one continuation, never split', async () => {
    const seen: TriggerScope[] = [];
    const local = new InProcessDeferrer(async (_push, scope) => seen.push(scope), 1);

    await local.defer(push, WHOLE_PUSH);
    await local.idle();

    expect(seen).toEqual([WHOLE_PUSH]);
  });

  it('surfaces a failed continuation through idle() without stopping the other chunks', async () => {
    const seen: string[] = [];
    const local = new InProcessDeferrer(async (_push, scope) => {
      const first = (scope as string[])[0] ?? '';
      if (first.includes('app-0000')) throw new Error('first chunk failed');
      seen.push(first);
    }, 2);

    await local.defer(push, configs(6));

    await expect(local.idle()).rejects.toThrow('first chunk failed');
    await local.idle();
    expect(seen.sort()).toEqual(['apps/app-0002/app.pipecd.yaml', 'apps/app-0004/app.pipecd.yaml']);
  });
});

describe('chunksOf', () => {
  it.each([
    ['success: an exact multiple', 4, 2, [2, 2]],
    ['success: a remainder in the last chunk', 5, 2, [2, 2, 1]],
    ['success: nothing to defer', 0, 50, []],
  ])('%s', (_name, n, size, lengths) => {
    expect(chunksOf(configs(n), size).map((c) => c.length)).toEqual(lengths);
  });

  it('fail: refuses a chunk size that would never end', () => {
    expect(() => chunksOf(configs(3), 0)).toThrow(RangeError);
  });
});
