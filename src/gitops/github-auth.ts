import { createPrivateKey } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import githubAppJwt from 'universal-github-app-jwt';
import { ConfigError, InvalidStateError } from '../errors.js';
import { wrapGithubError } from './github-errors.js';

/** Where GithubSource gets the token for each request: a fixed token, or a GitHub App installation. */
export interface GithubTokenProvider {
  token(): Promise<string>;
  /** Forgets a cached token GitHub refused (401), so the next call gets a fresh one. */
  invalidate(): void;
}

/** A personal access token (or any token that does not expire on its own). */
export function staticToken(token: string): GithubTokenProvider {
  if (!token) throw new ConfigError('the GitHub token is empty');
  return { token: async () => token, invalidate: () => undefined };
}

export interface GithubAppCredentials {
  appId: string;
  installationId: string;
  /** The App's private key, PEM (PKCS#1 as GitHub hands it out, or PKCS#8). */
  privateKey: string;
}

export interface GithubAppTokenOptions extends GithubAppCredentials {
  /** GitHub Enterprise's API root, or a local stand-in; default https://api.github.com. */
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per request; GitHub gives the webhook 10 s in all, so this stays well below. */
  timeoutMs?: number;
}

/** An installation token is renewed this long before it expires, so none expires mid-push. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

type AppAuth = ReturnType<typeof createAppAuth>;

/**
 * Installation tokens for one GitHub App installation, minted by @octokit/auth-app (JWT signing
 * and `POST /app/installations/{id}/access_tokens`, concurrent callers sharing one request).
 * The token is cached here rather than in auth-app's LRU because renewal follows GitHub's
 * `expires_at` minus TOKEN_REFRESH_MARGIN_MS on the injected clock. Built once per warm Lambda,
 * so the cache spans invocations.
 */
export class GithubAppTokenProvider implements GithubTokenProvider {
  private readonly auth: AppAuth;
  private readonly now: () => number;
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: GithubAppTokenOptions) {
    if (!options.appId || !options.installationId) throw new ConfigError('a GitHub App needs both an app id and an installation id');
    const privateKey = normalisePem(options.privateKey);
    try {
      // Checked up front so a bad key fails at start-up, not on the first push.
      createPrivateKey(privateKey);
    } catch (err) {
      // The message of the crypto error is safe; the key itself never goes into a message.
      throw new ConfigError(`the GitHub App private key is not a valid PEM private key: ${(err as Error).message}`, { cause: err });
    }
    this.now = options.now ?? Date.now;
    const baseFetch = options.fetch ?? fetch;
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.auth = createAppAuth({
      appId: options.appId,
      installationId: options.installationId,
      // The JWT is signed on our clock (tests move it); auth-app otherwise reads Date.now().
      createJwt: async (appId, timeDifference) => {
        const jwt = await githubAppJwt({ id: appId, privateKey, now: Math.floor(this.now() / 1000) + (timeDifference ?? 0) });
        return { jwt: jwt.token, expiresAt: new Date(jwt.expiration * 1000).toISOString() };
      },
      request: request.defaults({
        baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
        headers: { 'user-agent': 'stepcd', 'x-github-api-version': '2022-11-28' },
        request: { fetch: (url: string, init?: RequestInit) => baseFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) },
      }),
    });
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.mint().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async mint(): Promise<string> {
    const { appId, installationId } = this.options;
    const doing = `getting an installation token for GitHub App ${appId}, installation ${installationId}`;
    let minted: { token: string; expiresAt: string };
    try {
      // refresh: our cache decides when a token is due, auth-app's would keep it 59 wall-clock minutes.
      minted = await this.auth({ type: 'installation', refresh: true });
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
    const expiresAt = Date.parse(minted.expiresAt);
    if (!minted.token || Number.isNaN(expiresAt)) throw new InvalidStateError(`${doing}: GitHub answered without a token and an expires_at`);
    this.cached = { token: minted.token, renewAt: expiresAt - TOKEN_REFRESH_MARGIN_MS };
    return minted.token;
  }
}

/** A key pasted into SSM as one line keeps its newlines as `\n`; PEM needs real ones. */
function normalisePem(pem: string): string {
  return pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
}
