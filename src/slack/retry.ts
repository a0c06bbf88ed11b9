import pRetry from 'p-retry';
import { SlackApiError } from './web-api.js';

/**
 * Bounded retries for chat calls. Slack failures never fail a deployment, but a blip (rate limit,
 * 5xx, connection reset) deserves another try before the notification is given up and logged.
 */
export interface RetryOptions {
  /** Attempts including the first. */
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  /** Base backoff; doubles per attempt. */
  baseDelayMs?: number;
  /** Longest single wait, also caps a server's Retry-After. */
  maxDelayMs?: number;
}

export interface RetryDecision {
  retry: boolean;
  /** Server-requested wait (Retry-After), in ms. */
  afterMs?: number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * p-retry runs the attempts; the wait is ours, slept from shouldRetry with p-retry's own delay at
 * 0, because p-retry's backoff cannot follow a server's Retry-After and tests inject `sleep`.
 */
export async function withRetries<T>(fn: () => Promise<T>, classify: (err: unknown) => RetryDecision, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 2_000;
  return pRetry(() => fn(), {
    retries: Math.max(0, opts.maxAttempts - 1),
    minTimeout: 0,
    maxTimeout: 0,
    async shouldRetry({ error, attemptNumber }) {
      const decision = classify(error);
      if (!decision.retry) return false;
      await opts.sleep(Math.min(max, decision.afterMs ?? base * 2 ** (attemptNumber - 1)));
      return true;
    },
  });
}

/** Slack platform errors worth another try; anything else (invalid_auth, channel_not_found) is final. */
const RETRYABLE_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Classifies a failed Web API call (src/slack/web-api.ts) by what failed, not by its message. */
export function classifySlackError(err: unknown): RetryDecision {
  if (!(err instanceof SlackApiError)) return { retry: false };
  switch (err.failure) {
    case 'rate_limited':
      return { retry: true, afterMs: (err.extra.retryAfterSeconds ?? 1) * 1000 };
    case 'http':
      return { retry: (err.extra.status ?? 500) >= 500 };
    case 'request':
      return { retry: true };
    case 'platform':
      return { retry: RETRYABLE_PLATFORM_ERRORS.has(err.extra.error ?? '') };
  }
}
