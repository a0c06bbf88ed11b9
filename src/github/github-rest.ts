import { Octokit } from '@octokit/rest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, ThrottledError } from '../errors.js';
import { staticToken, type GithubTokenProvider } from '../gitops/github-auth.js';
import { wrapGithubError } from '../gitops/github-errors.js';

export interface GithubRestOptions {
  /** `owner/name`. */
  repo: string;
  auth: string | GithubTokenProvider;
  /** GitHub Enterprise, or a local stand-in in tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /**
   * The longest `retry-after` worth waiting for in-process before one retry. Longer (or a second
   * limit in a row) is a ThrottledError, so the caller's own retry (Lambda, a redelivery) takes over.
   */
  maxRetryAfterSeconds?: number;
  /** For tests: how a wait is spent. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * One repository's Octokit, authenticated per request like GithubSource, and with GitHub's
 * secondary rate limits honoured: a 403 or 429 with `retry-after` is waited out once, briefly.
 */
export class GithubRest {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly name: string;

  constructor(options: GithubRestOptions) {
    const [owner, name, ...rest] = options.repo.split('/');
    if (!owner || !name || rest.length > 0) throw new ConfigError(`not an owner/name repository: ${options.repo}`);
    this.owner = owner;
    this.name = name;
    this.octokit = new Octokit({
      log: { debug: noop, info: noop, warn: console.warn, error: noop },
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    });
    const auth = typeof options.auth === 'string' ? staticToken(options.auth) : options.auth;
    const maxWait = options.maxRetryAfterSeconds ?? 5;
    const wait = options.sleep ?? ((ms: number) => sleep(ms));
    this.octokit.hook.wrap('request', async (request, endpoint) => {
      for (let attempt = 0; ; attempt++) {
        endpoint.headers.authorization = `Bearer ${await auth.token()}`;
        try {
          return await request(endpoint);
        } catch (err) {
          const status = (err as { status?: number }).status;
          if (status === 401) auth.invalidate();
          const retryAfter = retryAfterSeconds(err);
          if (retryAfter === undefined) throw err;
          if (attempt > 0 || retryAfter > maxWait) {
            throw new ThrottledError(`GitHub rate-limited ${endpoint.method} ${endpoint.url}: retry after ${retryAfter}s`, { cause: err });
          }
          await wait(retryAfter * 1000);
        }
      }
    });
  }

  /** Runs one request, wrapping its failure with what was being done. */
  async call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
  }
}

/**
 * Seconds GitHub asks to wait: `retry-after` on a secondary limit (403 or 429), or, on a primary
 * limit, until `x-ratelimit-reset`. Undefined when the failure is not a rate limit.
 */
export function retryAfterSeconds(err: unknown, nowMs = Date.now()): number | undefined {
  const e = err as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
  if (e.status !== 403 && e.status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  const after = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(after) && after >= 0) return Math.ceil(after);
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  }
  // GitHub's documented fallback for a secondary limit without headers: wait at least a minute.
  return e.status === 429 ? 60 : undefined;
}

function noop(): void {}
