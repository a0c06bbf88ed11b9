import { describe, expect, it } from 'vitest';
import { waitFor, waitUntil } from './waits.js';

/** A probe that answers from a script, one answer per call, counting its calls. */
function scripted<T>(answers: T[]) {
  const probe = () => {
    probe.calls++;
    return answers[Math.min(probe.calls, answers.length) - 1] as T;
  };
  probe.calls = 0;
  return probe;
}

describe('test waits', () => {
  it('success: waitFor returns the first value the probe gives, probing until then', async () => {
    const probe = scripted([undefined, undefined, 'ready']);
    await expect(waitFor('readiness', probe, { everyMs: 0 })).resolves.toBe('ready');
    expect(probe.calls).toBe(3);
  });

  it('success: waitUntil returns the value done accepts', async () => {
    const probe = scripted([{ status: 'RUNNING' }, { status: 'SUCCESS' }]);
    await expect(waitUntil('success', probe, (r) => r.status === 'SUCCESS', { everyMs: 0 })).resolves.toEqual({ status: 'SUCCESS' });
    expect(probe.calls).toBe(2);
  });

  it('fail: a timeout names what was awaited and the last value read', async () => {
    const probe = scripted([{ status: 'RUNNING', stage: 2 }]);
    await expect(waitUntil('deployment d-1 to succeed', probe, (r) => r.status === 'SUCCESS', { timeoutMs: 20, everyMs: 1 })).rejects.toThrow(
      "timed out after 20 ms waiting for deployment d-1 to succeed; last value: { status: 'RUNNING', stage: 2 }",
    );
    expect(probe.calls).toBeGreaterThan(1);
  });

  it('fail: a probe that throws ends the wait at once, naming what was awaited', async () => {
    let calls = 0;
    const probe = () => {
      calls++;
      throw new Error('deployment d-1 ended FAILURE');
    };
    const error = await waitFor('deployment d-1 to succeed', probe).catch((e: unknown) => e as Error);
    expect(error.message).toBe('while waiting for deployment d-1 to succeed: deployment d-1 ended FAILURE');
    expect((error.cause as Error).message).toBe('deployment d-1 ended FAILURE');
    expect(calls).toBe(1);
  });
});
