import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { ConfigError, InvalidStateError, TransientError } from '../errors.js';
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

/** GitHub refuses a JWT whose exp is more than 10 minutes ahead; 9 leaves room for clock drift. */
const JWT_LIFETIME_S = 9 * 60;
/** iat is backdated because GitHub refuses a JWT "issued in the future" by a clock ahead of ours. */
const JWT_BACKDATE_S = 60;

/**
 * Pure: the RS256 JWT a GitHub App signs to act as itself (iat = now - 60 s, exp = now + 9 min,
 * iss = app id). It is only ever exchanged for an installation token, never used on repositories.
 */
export function createAppJwt(appId: string, privateKey: KeyObject, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const payload = { iat: now - JWT_BACKDATE_S, exp: now + JWT_LIFETIME_S, iss: appId };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
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

/**
 * Installation tokens for one GitHub App installation (`POST /app/installations/{id}/access_tokens`),
 * cached until TOKEN_REFRESH_MARGIN_MS before their `expires_at` (GitHub gives them one hour).
 * Concurrent callers share one request. Built once per warm Lambda, so the cache spans invocations.
 */
export class GithubAppTokenProvider implements GithubTokenProvider {
  private readonly key: KeyObject;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: GithubAppTokenOptions) {
    if (!options.appId || !options.installationId) throw new ConfigError('a GitHub App needs both an app id and an installation id');
    try {
      this.key = createPrivateKey(normalisePem(options.privateKey));
    } catch (err) {
      // The message of the crypto error is safe; the key itself never goes into a message.
      throw new ConfigError(`the GitHub App private key is not a valid PEM private key: ${(err as Error).message}`, { cause: err });
    }
    this.baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
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
    let res: Response;
    try {
      res = await this.fetch(`${this.baseUrl}/app/installations/${encodeURIComponent(installationId)}/access_tokens`, {
        method: 'POST',
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${createAppJwt(appId, this.key, this.now())}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'stepcd',
        },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch (err) {
      throw new TransientError(`${doing}: no response from GitHub: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw wrapGithubError(doing, Object.assign(new Error(githubMessage(text)), { status: res.status }));
    const body = safeJson(text) as { token?: unknown; expires_at?: unknown } | undefined;
    const expiresAt = typeof body?.expires_at === 'string' ? Date.parse(body.expires_at) : NaN;
    if (typeof body?.token !== 'string' || !body.token || Number.isNaN(expiresAt)) {
      throw new InvalidStateError(`${doing}: GitHub answered ${res.status} without a token and an expires_at`);
    }
    this.cached = { token: body.token, renewAt: expiresAt - TOKEN_REFRESH_MARGIN_MS };
    return body.token;
  }
}

/** A key pasted into SSM as one line keeps its newlines as `\n`; PEM needs real ones. */
function normalisePem(pem: string): string {
  return pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function githubMessage(text: string): string {
  const message = (safeJson(text) as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : text.slice(0, 200);
}
