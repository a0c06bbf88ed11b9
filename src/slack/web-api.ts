/**
 * The three Slack Web API methods stepcd calls (chat.postMessage, chat.update, usergroups.users.list),
 * as Slack documents the transport: a POST to `https://slack.com/api/<method>` with a bearer token and
 * a form body, answered `{ ok, error?, ... }` with HTTP 200, or 429 and `Retry-After` when rate limited.
 *
 * Not @slack/web-api: its WebClient (with p-queue, axios-style retries and every method's types) was
 * about 65 KB of each of six bundles and a tenth of their cold import, for three calls whose retries
 * are ours anyway (src/slack/retry.ts).
 */

export interface SlackApiOptions {
  token: string;
  /** Base URL ending in `/` (default Slack's); tests pass a local stand-in. */
  apiUrl?: string;
  /** Per call; a call that outlasts it fails as a request error (retryable). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type SlackArgs = Record<string, string | number | boolean | object | undefined>;

export interface SlackApi {
  call<T extends object = Record<string, unknown>>(method: string, args: SlackArgs): Promise<T & { ok: true }>;
}

/**
 * How a call failed, as src/slack/retry.ts classifies it:
 * - `platform`: Slack answered `ok: false`; `error` is Slack's code (`channel_not_found`, `ratelimited`);
 * - `rate_limited`: HTTP 429, with the server's `retryAfterSeconds`;
 * - `http`: any other non-2xx answer;
 * - `request`: no answer (connection refused or reset, timeout).
 */
export type SlackFailure = 'platform' | 'rate_limited' | 'http' | 'request';

export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(
    readonly method: string,
    readonly failure: SlackFailure,
    detail: string,
    readonly extra: { error?: string; status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(`Slack ${method}: ${detail}`);
  }
}

export const SLACK_API_URL = 'https://slack.com/api/';

export function slackApi(opts: SlackApiOptions): SlackApi {
  const base = opts.apiUrl ?? SLACK_API_URL;
  const doFetch = opts.fetch ?? fetch;
  return {
    async call<T extends object>(method: string, args: SlackArgs) {
      let res: Response;
      try {
        res = await doFetch(`${base}${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody(args),
          ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
        });
      } catch (err) {
        // The token is in a header, never in the message: fetch's errors name the URL at most.
        throw new SlackApiError(method, 'request', `no answer (${(err as Error).message})`);
      }
      if (res.status === 429) {
        // No (or no numeric) Retry-After leaves the wait to the classifier's default, not 0.
        const header = res.headers.get('retry-after');
        const retryAfter = header === null || header.trim() === '' ? Number.NaN : Number(header);
        await res.body?.cancel();
        throw new SlackApiError(method, 'rate_limited', 'rate limited (HTTP 429)', {
          status: 429,
          ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
        });
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new SlackApiError(method, 'http', `HTTP ${res.status}`, { status: res.status });
      }
      let body: { ok?: unknown; error?: unknown };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new SlackApiError(method, 'http', `HTTP ${res.status} with a body that is not JSON`, { status: res.status });
      }
      if (body.ok !== true) {
        const error = typeof body.error === 'string' ? body.error : 'unknown_error';
        throw new SlackApiError(method, 'platform', error, { error });
      }
      return body as T & { ok: true };
    },
  };
}

/** Slack's form encoding: scalars as text, structured values (blocks) as JSON, unset ones left out. */
function formBody(args: SlackArgs): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}
