import { describe, expect, it, vi } from 'vitest';
import type { ApprovalResult } from '../../src/approval/service.js';
import { ReplayCache } from '../../src/slack/signature.js';
import { handleSlackInteraction, type SlackEndpointDeps } from '../../src/slack/approval-endpoint.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';

type Log = (message: string, ...extra: unknown[]) => void;
const SECRET = 'endpoint-secret';
const NOW = new Date('2026-01-01T00:00:00.000Z');

function deps(decide: () => Promise<ApprovalResult>) {
  return {
    service: { approve: decide, reject: decide, cancel: decide },
    signingSecret: SECRET,
    replays: new ReplayCache(),
    now: () => NOW,
    logger: { info: vi.fn<Log>(), warn: vi.fn<Log>(), error: vi.fn<Log>() },
  } satisfies SlackEndpointDeps;
}

function request(responseUrl?: string) {
  const body = formBody(
    blockActionsPayload({ user: 'U1', actionId: 'stepcd_approve', deploymentId: 'd', stageIndex: 0, ...(responseUrl ? { responseUrl } : {}) }),
  );
  return { headers: signedHeaders(SECRET, body, NOW.getTime() / 1000), body };
}

describe('handleSlackInteraction', () => {
  it('answers in the acknowledgement body, ephemerally, when there is no response_url', async () => {
    const res = await handleSlackInteraction(
      request(),
      deps(async () => ({ kind: 'not-approver', message: 'you are not an approver for web' })),
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', replace_original: false, text: ':lock: you are not an approver for web' });
  });

  it('asks the user to try again, and logs the error, when the decision could not be applied', async () => {
    const d = deps(async () => {
      throw new Error('DynamoDB unavailable');
    });
    const res = await handleSlackInteraction(request(), d);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).text).toContain('please try again');
    expect(d.logger.error).toHaveBeenCalledWith('could not apply a Slack approval click', expect.objectContaining({ error: expect.any(Error) }));
  });

  it('refuses a malformed but signed body with 400', async () => {
    const body = 'payload=%7Bnot-json';
    const res = await handleSlackInteraction(
      { headers: signedHeaders(SECRET, body, NOW.getTime() / 1000), body },
      deps(async () => ({ kind: 'closed', message: '' })),
    );
    expect(res.statusCode).toBe(400);
  });
});
