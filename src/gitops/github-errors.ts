import { InvalidStateError, NotFoundError, StepcdError, ThrottledError, TransientError, UnauthorizedError } from '../errors.js';

/** The fields of Octokit's RequestError (or our own equivalent) that classify a GitHub failure. */
interface GithubFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * Wraps a GitHub failure with what was being done, keeping it as `cause`. Rate limits and 5xx (or
 * no answer) are worth a redelivery and are retryable; 404 is NotFound; other 4xx are terminal.
 */
export function wrapGithubError(doing: string, err: unknown): StepcdError {
  if (err instanceof StepcdError) return err;
  const e = (err ?? {}) as GithubFailure;
  const status = e.status ?? 0;
  const message = `${doing}: GitHub answered ${status || 'no response'}: ${e.message ?? String(err)}`;
  if (status === 404) return new NotFoundError(message, { cause: err });
  if (status === 429 || (status === 403 && isRateLimited(e))) return new ThrottledError(message, { cause: err });
  if (status === 0 || status >= 500) return new TransientError(message, { cause: err });
  if (status === 401 || status === 403) return new UnauthorizedError(message, { cause: err });
  return new InvalidStateError(message, { cause: err });
}

/** GitHub signals primary and secondary rate limits with 403 plus a message or these headers. */
function isRateLimited(e: GithubFailure): boolean {
  const headers = e.response?.headers ?? {};
  return /rate limit/i.test(e.message ?? '') || String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined;
}
