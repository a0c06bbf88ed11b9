import { describe, expect, it } from 'vitest';
import { classifySlackError, type RetryDecision, withRetries } from '../../src/slack/retry.js';
import { SlackApiError } from '../../src/slack/web-api.js';

/** A call that fails `failures` times with `error`, then answers 'ok'; counts its attempts. */
function flaky(failures: number, error: () => unknown) {
  let attempts = 0;
  const fn = async () => {
    attempts++;
    if (attempts <= failures) throw error();
    return 'ok';
  };
  return { fn, attempts: () => attempts };
}

function recordingSleep() {
  const waits: number[] = [];
  return { sleep: async (ms: number) => void waits.push(ms), waits };
}

const always: (d: RetryDecision) => (err: unknown) => RetryDecision = (d) => () => d;

describe('withRetries', () => {
  it('success: backs off 250 ms, then doubles, and returns the answer', async () => {
    const call = flaky(2, () => new Error('blip'));
    const clock = recordingSleep();

    await expect(withRetries(call.fn, always({ retry: true }), { maxAttempts: 3, sleep: clock.sleep })).resolves.toBe('ok');

    expect(call.attempts()).toBe(3);
    expect(clock.waits).toEqual([250, 500]);
  });

  it('fail: gives up after maxAttempts with the last error, without a wait after the last attempt', async () => {
    const call = flaky(5, () => new Error('down'));
    const clock = recordingSleep();

    await expect(withRetries(call.fn, always({ retry: true }), { maxAttempts: 3, sleep: clock.sleep })).rejects.toThrow('down');

    expect(call.attempts()).toBe(3);
    expect(clock.waits).toEqual([250, 500]);
  });

  it('fail: an error the classifier calls final is thrown at once', async () => {
    const call = flaky(1, () => new Error('invalid_auth'));
    const clock = recordingSleep();

    await expect(withRetries(call.fn, always({ retry: false }), { maxAttempts: 3, sleep: clock.sleep })).rejects.toThrow('invalid_auth');

    expect(call.attempts()).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it("success: follows a rate limit's Retry-After, capped at maxDelayMs", async () => {
    const limited = () => new SlackApiError('chat.update', 'rate_limited', 'rate limited (HTTP 429)', { status: 429, retryAfterSeconds: 30 });
    const call = flaky(1, limited);
    const clock = recordingSleep();

    await withRetries(call.fn, classifySlackError, { maxAttempts: 2, sleep: clock.sleep, maxDelayMs: 2_000 });

    expect(clock.waits).toEqual([2_000]);
  });
});
