import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRIGGER_LIMITS } from '../../src/gitops/trigger.js';
import { startBenchStack, type BenchStack } from '../../bench/support/bench-stack.js';
import { exampleFiles } from '../support/examples.js';
import { waitFor } from '../support/waits.js';

/** The simple example app under `count` names, with its image at `tag`. */
async function simpleApps(count: number, tag: string, only?: string): Promise<Record<string, string>> {
  const example = await exampleFiles(['simple']);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    for (const [path, text] of Object.entries(example)) {
      const file = path.slice('apps/simple/'.length);
      if (only && file !== only) continue;
      files[`apps/${name}/${file}`] = text.replaceAll('simple', name).replace(/(registry\.example\.com\/[\w-]+):[\w.-]+/g, `$1:${tag}`);
    }
  }
  return files;
}

/** What the bench's invocation figures rest on: the local stack counts each invocation where it happens. */
describe('LocalStack.invocations', () => {
  let bench: BenchStack;
  beforeAll(async () => {
    bench = await startBenchStack();
    // No deployment needs to run: each execution's Begin answers at once.
    bench.addHook({
      replace(name, event) {
        const { action, data } = event as { action?: string; data?: object };
        return name === 'orchestrate' && action === 'begin' ? Promise.resolve({ ...data, lock: 'CLOSED' }) : undefined;
      },
    });
  });
  afterAll(async () => {
    await bench?.stop();
  });

  it('counts the webhook and each continuation of a push too big for one response as github-webhook invocations', async () => {
    const apps = DEFAULT_TRIGGER_LIMITS.maxInlineApps + 1;
    await bench.commit(await simpleApps(apps, '1.0.0'), `${apps} apps`);
    const before = bench.stack.invocations()['github-webhook'] ?? 0;

    const pushed = await bench.push(await simpleApps(apps, '1.1.0', 'taskdef.yaml'), `bump ${apps} apps`);
    expect(pushed.status).toBe(200);
    // One app left over for a continuation: the push's own invocation and one asynchronous self-invoke.
    await waitFor('the continuation to finish', async () =>
      (bench.stack.invocationDurations()['github-webhook']?.length ?? 0) >= before + 2 ? true : undefined,
    );
    expect(bench.stack.invocations()['github-webhook']! - before).toBe(2);
  });
});
