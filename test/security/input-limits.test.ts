import { describe, expect, it, vi } from 'vitest';
import { ReplayCache } from '../../src/slack/signature.js';
import { handleSlackInteraction, MAX_SLACK_BODY_BYTES, type SlackEndpointDeps } from '../../src/slack/approval-endpoint.js';
import { handleGithubWebhook, MAX_WEBHOOK_BODY_BYTES, type WebhookDeps } from '../../src/gitops/webhook.js';
import { MAX_FRONT_BODY_BYTES, startHttpFront } from '../../src/local/http-front.js';
import { signBody } from '../support/github.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';

type Log = (message: string, ...extra: unknown[]) => void;
const SECRET = 'limits-secret';
const NOW = new Date('2026-01-01T00:00:00.000Z');

/** Webhook deps where touching anything but the logger fails the test: an early refusal reads nothing. */
function untouchableWebhookDeps() {
  const logger = { info: vi.fn<Log>(), warn: vi.fn<Log>(), error: vi.fn<Log>(), debug: vi.fn<Log>() };
  const untouchable = new Proxy(
    {},
    {
      get: (_t, key) => {
        throw new Error(`the refusal touched ${String(key)}`);
      },
    },
  );
  const deps = {
    secret: SECRET,
    tracking: { repos: [], branches: [], deployTags: false },
    logger,
    source: untouchable,
    planner: untouchable,
    history: untouchable,
    workflow: untouchable,
    events: untouchable,
    deferrer: untouchable,
    now: () => NOW,
  };
  return { deps: deps as unknown as WebhookDeps, logger };
}

function githubRequest(body: string) {
  return { method: 'POST', headers: { 'x-github-event': 'push', 'x-hub-signature-256': signBody(SECRET, body) }, body };
}

describe('POST /webhooks/github body limit', () => {
  it('refuses a correctly signed body one byte over 5 MB with 413, before verifying or parsing it', async () => {
    const { deps, logger } = untouchableWebhookDeps();
    const res = await handleGithubWebhook(githubRequest('a'.repeat(MAX_WEBHOOK_BODY_BYTES + 1)), deps);
    expect(MAX_WEBHOOK_BODY_BYTES).toBe(5 * 1024 * 1024);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'payload larger than 5 MB; stepcd does not read it' });
    expect(logger.warn).toHaveBeenCalledWith('webhook body too large', expect.objectContaining({ bytes: MAX_WEBHOOK_BODY_BYTES + 1 }));
  });

  it('counts bytes, not characters, so multi-byte text cannot slip past the limit', async () => {
    const { deps } = untouchableWebhookDeps();
    const res = await handleGithubWebhook(githubRequest('é'.repeat(MAX_WEBHOOK_BODY_BYTES / 2 + 1)), deps);
    expect(res.statusCode).toBe(413);
  });

  it('reads a body of exactly 5 MB (here: signed, but not JSON, so 400)', async () => {
    const { deps } = untouchableWebhookDeps();
    const res = await handleGithubWebhook(githubRequest('a'.repeat(MAX_WEBHOOK_BODY_BYTES)), deps);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error).toBe('body is not valid JSON');
  });
});

function slackDeps() {
  const decide = vi.fn(async () => ({ kind: 'approved' as const, message: 'approved by U1', approvedBy: ['U1'] }));
  const deps = {
    service: { approve: decide, reject: decide, cancel: decide },
    signingSecret: SECRET,
    replays: new ReplayCache(),
    now: () => NOW,
    logger: { info: vi.fn<Log>(), warn: vi.fn<Log>(), error: vi.fn<Log>() },
  } satisfies SlackEndpointDeps;
  return { deps, decide };
}

const clickBody = (padding = '') =>
  `${formBody(blockActionsPayload({ user: 'U1', actionId: 'stepcd_approve', deploymentId: 'd-1', stageIndex: 0 }))}${padding}`;

describe('POST /slack/interactions body limit and refusals', () => {
  it('refuses a correctly signed body over 64 KB with 413 and decides nothing', async () => {
    const { deps, decide } = slackDeps();
    const base = clickBody();
    const body = clickBody(`&pad=${'x'.repeat(MAX_SLACK_BODY_BYTES - base.length)}`);
    const res = await handleSlackInteraction({ headers: signedHeaders(SECRET, body, NOW.getTime() / 1000), body }, deps);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'request body too large' });
    expect(decide).not.toHaveBeenCalled();
    expect(deps.logger.warn).toHaveBeenCalledWith('refused a Slack request', { reason: 'too-large', bytes: Buffer.byteLength(body) });
  });

  it('answers every signature failure with the same 401 body, and logs which check failed', async () => {
    const { deps, decide } = slackDeps();
    const body = clickBody();
    const nowS = NOW.getTime() / 1000;
    const cases = {
      'bad-signature': signedHeaders('not-the-secret', body, nowS),
      stale: signedHeaders(SECRET, body, nowS - 6 * 60),
      future: signedHeaders(SECRET, body, nowS + 6 * 60),
      'missing-headers': {},
    };
    for (const [reason, headers] of Object.entries(cases)) {
      const res = await handleSlackInteraction({ headers, body }, deps);
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ error: 'invalid request signature' });
      expect(deps.logger.warn).toHaveBeenLastCalledWith('refused a Slack request', { reason });
    }
    expect(decide).not.toHaveBeenCalled();
  });
});

describe('local HTTP front body limit', () => {
  it('answers 413 to a body over 10 MB without calling the route, as API Gateway does', async () => {
    const route = vi.fn(async () => ({ statusCode: 200, body: 'ok' }));
    const front = await startHttpFront({ routes: { 'POST /webhooks/github': route } });
    try {
      const big = await fetch(`${front.url}/webhooks/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'a'.repeat(MAX_FRONT_BODY_BYTES + 1),
      });
      expect(big.status).toBe(413);
      expect(route).not.toHaveBeenCalled();
      const small = await fetch(`${front.url}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(small.status).toBe(200);
      expect(route).toHaveBeenCalledTimes(1);
    } finally {
      await front.close();
    }
  });
});
