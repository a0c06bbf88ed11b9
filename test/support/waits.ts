import { inspect } from 'node:util';

export interface WaitOptions {
  /** How long to keep polling, in real milliseconds (the local cloud runs in the background on real time). */
  timeoutMs?: number;
  /** The pause between probes; 0 only yields to the event loop (setImmediate). */
  everyMs?: number;
}

/** 20 ms: what the stack tests have always polled at; polling faster starves the shared machine and made some flaky. */
const DEFAULTS = { timeoutMs: 20_000, everyMs: 20 } as const;

/**
 * Polls `read` until `done` accepts what it returned, and returns that. For things other parts of the
 * system do asynchronously (no fixed sleeps). A `read` that throws ends the wait: it is the probe saying
 * "never" (a deployment that ended in another status), so the error goes on, naming `what`.
 * On timeout the error names `what` and the last value read.
 */
export async function waitUntil<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, opts: WaitOptions = {}): Promise<T> {
  const { timeoutMs, everyMs } = { ...DEFAULTS, ...opts };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T;
    try {
      value = await read();
    } catch (err) {
      throw new Error(`while waiting for ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const last = inspect(value, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${last}`);
    }
    await pause(everyMs);
  }
}

/** Polls `probe` until it returns a value other than undefined (undefined means "not yet"). */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, opts: WaitOptions = {}): Promise<T> {
  return waitUntil(what, probe, (value) => value !== undefined, opts) as Promise<T>;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
