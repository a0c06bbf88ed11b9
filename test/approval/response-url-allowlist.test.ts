import { describe, expect, it, vi } from 'vitest';
import type { ApprovalResult } from '../../src/approval/service.js';
import { ReplayCache } from '../../src/slack/signature.js';
import { handleSlackInteraction, isSlackResponseUrl, type SlackEndpointDeps } from '../../src/slack/approval-endpoint.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';

type Log = (message: string, ...extra: unknown[]) => void;
const SECRET = 'allowlist-secret';
const NOW = new Date('2026-01-01T00:00:00.000Z');

function setup(responseUrl: string) {
  const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('ok', { status: 200 }));
  const decide = async (): Promise<ApprovalResult> => ({ kind: 'not-approver', message: 'you are not an approver for web' });
  const deps = {
    service: { approve: decide, reject: decide, cancel: decide },
    signingSecret: SECRET,
    replays: new ReplayCache(),
    now: () => NOW,
    logger: { info: vi.fn<Log>(), warn: vi.fn<Log>(), error: vi.fn<Log>() },
    fetch,
  } satisfies SlackEndpointDeps;
  const body = formBody(blockActionsPayload({ user: 'U1', actionId: 'stepcd_approve', deploymentId: 'd', stageIndex: 0, responseUrl }));
  return { deps, fetch, request: { headers: signedHeaders(SECRET, body, NOW.getTime() / 1000), body } };
}

describe('Slack response_url: only to Slack', () => {
  it('success: answers through a response_url on hooks.slack.com', async () => {
    const { deps, fetch, request } = setup('https://hooks.slack.com/actions/T1/123/abc');
    const res = await handleSlackInteraction(request, deps);
    expect(res).toEqual({ statusCode: 200, body: '' });
    expect(fetch).toHaveBeenCalledOnce();
    expect(String(fetch.mock.calls[0]?.[0])).toBe('https://hooks.slack.com/actions/T1/123/abc');
  });

  it.each([
    ['fail: the Lambda runtime API on loopback', 'http://127.0.0.1:9001/2018-06-01/runtime/invocation/next'],
    ['fail: plain http to Slack', 'http://hooks.slack.com/actions/T1/123/abc'],
    ['fail: a look-alike host', 'https://hooks.slack.com.example.net/actions/x'],
    ['fail: user info before the host', 'https://hooks.slack.com@example.net/actions/x'],
    ['fail: another Slack host', 'https://slack.com/api/chat.postMessage'],
  ])('%s: never fetched; the acknowledgement carries the answer', async (_, url) => {
    const { deps, fetch, request } = setup(url);
    const res = await handleSlackInteraction(request, deps);
    expect(fetch).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).text).toContain('not an approver');
    expect(deps.logger.warn).toHaveBeenCalledWith('ignored a response_url outside Slack', expect.objectContaining({ host: expect.any(String) }));
  });

  it('success: a configured origin (the local Slack stand-in) is allowed as well, and only it', () => {
    const origins = ['https://hooks.slack.com', 'http://127.0.0.1:4100'];
    expect(isSlackResponseUrl('http://127.0.0.1:4100/response/1', origins)).toBe(true);
    expect(isSlackResponseUrl('http://127.0.0.1:4101/response/1', origins)).toBe(false);
    expect(isSlackResponseUrl('not a url', origins)).toBe(false);
  });
});
