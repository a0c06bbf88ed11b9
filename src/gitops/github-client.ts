import { setTimeout as sleep } from 'node:timers/promises';
import { Octokit as OctokitCore } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { ConfigError, ThrottledError } from '../errors.js';
import { staticToken, type GithubTokenProvider } from './github-auth.js';

export interface GithubClientOptions {
  /** `owner/name`. */
  repo: string;
  /** A token (a PAT), or a provider of GitHub App installation tokens. */
  auth: string | GithubTokenProvider;
  /** GitHub Enterprise, or a local stand-in in tests. */
  baseUrl?: string;
  /** For tests: Octokit's request `fetch`. */
  fetch?: typeof fetch;
  /**
   * Wait out GitHub's rate limits in-process, once, when the wait is at most `maxRetryAfterSeconds`.
   * Longer (or a second limit in a row) is a ThrottledError, so the caller's own retry (Lambda, a
   * redelivery) takes over. Off by default: the caller's error is then GitHub's.
   */
  rateLimit?: { maxRetryAfterSeconds: number; sleep?: (ms: number) => Promise<unknown> };
}

/**
 * Octokit's core with pagination, calling routes by name (`request('GET /repos/{owner}/{repo}/…')`):
 * @octokit/rest's generated method table alone is 83 kB of every bundle that talks to GitHub.
 */
const GithubOctokit = OctokitCore.plugin(paginateRest);
export type Octokit = InstanceType<typeof GithubOctokit>;

export interface GithubRepoClient {
  octokit: Octokit;
  owner: string;
  name: string;
}

/**
 * One Octokit per repository, authenticated per request, so a GitHub App's installation token is
 * minted (and re-minted after a 401) by its provider rather than fixed at construction.
 */
export function githubRepoClient(options: GithubClientOptions): GithubRepoClient {
  const [owner, name, ...rest] = options.repo.split('/');
  if (!owner || !name || rest.length > 0) throw new ConfigError(`not an owner/name repository: ${options.repo}`);
  const octokit = new GithubOctokit({
    // Failed requests are thrown, wrapped and logged by the caller with the deployment's keys;
    // Octokit's own request log would print them again, unstructured.
    log: { debug: noop, info: noop, warn: console.warn, error: noop },
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const auth = typeof options.auth === 'string' ? staticToken(options.auth) : options.auth;
  const limit = options.rateLimit;
  const wait = limit?.sleep ?? ((ms: number) => sleep(ms));
  octokit.hook.wrap('request', async (request, endpoint) => {
    for (let attempt = 0; ; attempt++) {
      endpoint.headers.authorization = `Bearer ${await auth.token()}`;
      try {
        return await request(endpoint);
      } catch (err) {
        // A revoked or expired installation token: the next attempt (a redelivery) mints a new one.
        if ((err as { status?: number }).status === 401) auth.invalidate();
        const retryAfter = limit ? retryAfterSeconds(err) : undefined;
        if (!limit || retryAfter === undefined) throw err;
        if (attempt > 0 || retryAfter > limit.maxRetryAfterSeconds) {
          throw new ThrottledError(`GitHub rate-limited ${endpoint.method} ${endpoint.url}: retry after ${retryAfter}s`, { cause: err });
        }
        await wait(retryAfter * 1000);
      }
    }
  });
  return { octokit, owner, name };
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
