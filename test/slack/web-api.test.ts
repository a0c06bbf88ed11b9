import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifySlackError } from '../../src/slack/retry.js';
import { SlackApiError, slackApi } from '../../src/slack/web-api.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';

type Listener = Parameters<typeof createServer>[1];

/** A call to chat.postMessage on a one-off loopback server answering with `listener`; the error it fails with. */
async function failureFrom(listener: Listener, opts: { timeoutMs?: number } = {}): Promise<unknown> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    return await slackApi({ token: 't', apiUrl, ...opts })
      .call('chat.postMessage', { channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The Web API client over the local stand-in, which speaks Slack's documented transport. */
describe('slackApi', () => {
  let slack: SlackStandin;
  beforeAll(async () => {
    slack = await startSlackStandin();
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  const api = () => slackApi({ token: 'xoxb-test-token', apiUrl: slack.apiUrl, timeoutMs: 2_000 });

  it('success: posts a form body with the bearer token, structured values as JSON, unset ones left out', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];

    const out = await api().call<{ channel?: string; ts?: string }>('chat.postMessage', { channel: 'C1', text: 'hi', blocks, thread_ts: undefined });

    expect(out).toMatchObject({ ok: true, channel: 'C1' });
    expect(out.ts).toMatch(/^\d+\.\d+$/);
    const [call] = slack.callsTo('chat.postMessage');
    expect(call!.authorization).toBe('Bearer xoxb-test-token');
    expect(call!.body).toEqual({ channel: 'C1', text: 'hi', blocks });
    expect(new URLSearchParams(call!.raw).has('thread_ts')).toBe(false);
  });

  it('fail: ok false is a platform error carrying Slack’s code; a final one is not retried, a transient one is', async () => {
    slack.failNext(1, 'channel_not_found');
    const final = await api()
      .call('chat.update', { channel: 'C1', ts: '1.2', text: 'x' })
      .catch((e: unknown) => e);
    expect(final).toBeInstanceOf(SlackApiError);
    expect(final).toMatchObject({ failure: 'platform', extra: { error: 'channel_not_found' }, message: 'Slack chat.update: channel_not_found' });
    expect(classifySlackError(final)).toEqual({ retry: false });

    slack.failNext(1, 'ratelimited');
    const transient = await api()
      .call('chat.update', { channel: 'C1', ts: '1.2', text: 'x' })
      .catch((e: unknown) => e);
    expect(classifySlackError(transient)).toEqual({ retry: true });
  });

  it("fail: HTTP 429 is a rate limit with the server's Retry-After; a 5xx is retryable", async () => {
    slack.failNext(1, 'http429');
    const limited = await api()
      .call('chat.postMessage', { channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ failure: 'rate_limited', extra: { status: 429, retryAfterSeconds: 0 } });
    expect(classifySlackError(limited)).toEqual({ retry: true, afterMs: 0 });

    slack.failNext(1, 'http500');
    const down = await api()
      .call('chat.postMessage', { channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ failure: 'http', extra: { status: 500 } });
    expect(classifySlackError(down)).toEqual({ retry: true });
  });

  it('fail: a 429 without Retry-After leaves the wait to the default (1 s), not 0', async () => {
    const limited = await failureFrom((_req, res) => res.writeHead(429, { 'content-type': 'text/plain' }).end('slow down'));
    expect(limited).toMatchObject({ failure: 'rate_limited', extra: { status: 429 } });
    expect((limited as SlackApiError).extra.retryAfterSeconds).toBeUndefined();
    expect(classifySlackError(limited)).toEqual({ retry: true, afterMs: 1_000 });
  });

  it('fail: an unknown method (404) is final; no listener, or no answer in time, is a retryable request error', async () => {
    const missing = await slackApi({ token: 't', apiUrl: `${slack.url}/nowhere/` })
      .call('chat.postMessage', { channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ failure: 'http', extra: { status: 404 } });
    expect(classifySlackError(missing)).toEqual({ retry: false });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await slackApi({ token: 'xoxb-secret', apiUrl: `http://127.0.0.1:${port}/api/` })
      .call('chat.postMessage', { channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ failure: 'request' });
    expect(String((refused as Error).message)).not.toContain('xoxb-secret');
    expect(classifySlackError(refused)).toEqual({ retry: true });

    const timedOut = await failureFrom(() => undefined, { timeoutMs: 50 });
    expect(timedOut).toMatchObject({ failure: 'request' });
  });

  it('fail: a 200 whose body is not JSON is an HTTP failure, not a success', async () => {
    const out = await failureFrom((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'));
    expect(out).toMatchObject({ failure: 'http', extra: { status: 200 } });
  });
});
