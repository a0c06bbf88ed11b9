import { githubRepoClient, type GithubClientOptions, type Octokit } from '../gitops/github-client.js';
import { wrapGithubError } from '../gitops/github-errors.js';

export { retryAfterSeconds } from '../gitops/github-client.js';

export interface GithubRestOptions extends Omit<GithubClientOptions, 'rateLimit'> {
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
    const { maxRetryAfterSeconds = 5, sleep, ...client } = options;
    ({
      octokit: this.octokit,
      owner: this.owner,
      name: this.name,
    } = githubRepoClient({
      ...client,
      rateLimit: { maxRetryAfterSeconds, ...(sleep ? { sleep } : {}) },
    }));
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
