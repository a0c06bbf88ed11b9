import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Slack Web API, `response_url` and incoming webhooks. It records every
 * call with its parsed body so tests can assert the Block Kit payloads, and can be told to fail.
 *
 *   POST /api/<method>      chat.postMessage, chat.update, chat.postEphemeral (form or JSON bodies)
 *   POST /response/<id>     a response_url
 *   POST /webhook/<id>      an incoming webhook
 */
export interface RecordedCall {
  /** `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `response_url` or `incoming_webhook`. */
  method: string;
  path: string;
  body: Record<string, unknown>;
  /** The raw request body, for "this string appears nowhere" assertions. */
  raw: string;
  authorization?: string;
}

/** `channel_not_found` is a final platform error: a notifier must not retry it. */
export type FailureMode = 'http500' | 'ratelimited' | 'http429' | 'channel_not_found';

export interface SlackStandin {
  url: string;
  /** Pass as `slackApiUrl` / `apiUrl` (ends with `/`). */
  apiUrl: string;
  webhookUrl: string;
  responseUrl(id: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** The next `count` requests fail in the given way (then it answers normally again). */
  failNext(count: number, mode?: FailureMode): void;
  /** Members `usergroups.users.list` answers per user group id. */
  groups: Map<string, string[]>;
  /** Every request fails from now on. */
  failAlways(mode?: FailureMode): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startSlackStandin(): Promise<SlackStandin> {
  const calls: RecordedCall[] = [];
  let failures = 0;
  let failMode: FailureMode = 'http500';
  let seq = 0;
  const groups = new Map<string, string[]>();

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = req.url ?? '/';
      const method = path.startsWith('/api/')
        ? path.slice('/api/'.length).split('?')[0]!
        : path.startsWith('/response/')
          ? 'response_url'
          : path.startsWith('/webhook/')
            ? 'incoming_webhook'
            : 'unknown';
      calls.push({ method, path, body: parseBody(raw, req.headers['content-type'] ?? ''), raw, authorization: req.headers.authorization });

      if (failures > 0) {
        failures--;
        if (failMode === 'http500') return send(res, 500, 'text/plain', 'internal error');
        if (failMode === 'http429') {
          res.setHeader('retry-after', '0');
          return send(res, 429, 'text/plain', 'rate limited');
        }
        const error = failMode === 'ratelimited' ? 'ratelimited' : 'channel_not_found';
        return send(res, 200, 'application/json', JSON.stringify({ ok: false, error }));
      }
      if (method === 'response_url' || method === 'incoming_webhook') return send(res, 200, 'text/plain', 'ok');
      if (method === 'unknown') return send(res, 404, 'text/plain', 'not found');
      seq++;
      const body = calls.at(-1)!.body;
      if (method === 'usergroups.users.list') {
        const members = groups.get(String(body.usergroup));
        return send(res, 200, 'application/json', JSON.stringify(members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' }));
      }
      const ts = typeof body.ts === 'string' ? body.ts : `1767225600.${String(seq).padStart(6, '0')}`;
      const channel = typeof body.channel === 'string' ? body.channel : 'C0STANDIN';
      return send(res, 200, 'application/json', JSON.stringify({ ok: true, channel, ts, message_ts: ts }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    webhookUrl: `${url}/webhook/T000/B000/standin`,
    responseUrl: (id) => `${url}/response/${encodeURIComponent(id)}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    groups,
    failNext(count, mode = 'http500') {
      failures = count;
      failMode = mode;
    },
    failAlways(mode = 'http500') {
      failures = Number.POSITIVE_INFINITY;
      failMode = mode;
    },
    reset() {
      calls.length = 0;
      failures = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Web API calls come as form bodies with complex values (blocks) JSON-encoded; decode those back. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: import('node:http').ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
