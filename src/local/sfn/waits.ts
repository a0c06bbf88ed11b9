import type { WaitSpec } from './definition.js';
import { StateError } from './errors.js';
import { readPath } from './json-path.js';

/**
 * The time a Wait state stands for, in ms, given its (InputPath-processed) input and the current
 * clock: what the emulated world should see pass, however briefly the local run actually sleeps.
 * Invalid values fail like AWS does, with States.Runtime (neither retried nor caught).
 */
export function nominalWaitMs(spec: WaitSpec, input: unknown, nowMs: number): number {
  if (spec.seconds !== undefined) return seconds(spec.seconds, 'Seconds');
  if (spec.secondsPath !== undefined) return seconds(readPath(input, spec.secondsPath), `SecondsPath ${spec.secondsPath}`);
  const stamp = spec.timestamp ?? (spec.timestampPath !== undefined ? readPath(input, spec.timestampPath) : undefined);
  if (stamp === undefined) return 0;
  const at = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  if (Number.isNaN(at)) throw runtimeError(`Wait timestamp is not an RFC 3339 date: ${JSON.stringify(stamp)}`);
  return Math.max(0, at - nowMs);
}

function seconds(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw runtimeError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value * 1000;
}

function runtimeError(message: string): StateError {
  return new StateError('States.Runtime', message, { retryable: false, catchable: false });
}

/** Sleeps `ms` real milliseconds, resolving early (never rejecting) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
