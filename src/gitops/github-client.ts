import { Octokit } from '@octokit/rest';
import { ConfigError } from '../errors.js';
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
}

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
  const octokit = new Octokit({
    // Failed requests are thrown, wrapped and logged by the caller with the deployment's keys;
    // Octokit's own request log would print them again, unstructured.
    log: { debug: noop, info: noop, warn: console.warn, error: noop },
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const auth = typeof options.auth === 'string' ? staticToken(options.auth) : options.auth;
  octokit.hook.wrap('request', async (request, endpoint) => {
    endpoint.headers.authorization = `Bearer ${await auth.token()}`;
    try {
      return await request(endpoint);
    } catch (err) {
      // A revoked or expired installation token: the next attempt (a redelivery) mints a new one.
      if ((err as { status?: number }).status === 401) auth.invalidate();
      throw err;
    }
  });
  return { octokit, owner, name };
}

function noop(): void {}
