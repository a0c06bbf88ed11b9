import { describe, expect, it } from 'vitest';
import { parseInteraction } from '../../src/slack/interactions.js';
import { blockActionsPayload, formBody } from '../support/slack-sign.js';

describe('parseInteraction', () => {
  it('reads an approve click from the documented block_actions shape', () => {
    const body = formBody(
      blockActionsPayload({ user: 'U0ALICE', actionId: 'stepcd_approve', deploymentId: 'dep-1', stageIndex: 2, responseUrl: 'http://127.0.0.1:1/response/x' }),
    );
    expect(parseInteraction(body)).toEqual({
      kind: 'approval',
      click: {
        decision: 'approve',
        deploymentId: 'dep-1',
        stageIndex: 2,
        user: 'U0ALICE',
        responseUrl: 'http://127.0.0.1:1/response/x',
        channelId: 'C0DEPLOYS',
        messageTs: '1767225600.000100',
      },
    });
  });

  it('reads a reject click', () => {
    const body = formBody(blockActionsPayload({ user: 'U0BOB', actionId: 'stepcd_reject', deploymentId: 'dep-1', stageIndex: 0 }));
    const parsed = parseInteraction(body);
    expect(parsed.kind === 'approval' && parsed.click.decision).toBe('reject');
  });

  it("ignores other apps' buttons and other interaction types", () => {
    expect(parseInteraction(formBody(blockActionsPayload({ user: 'U1', actionId: 'other', deploymentId: 'd', stageIndex: 0 }))).kind).toBe('ignored');
    expect(parseInteraction(formBody({ type: 'view_submission', user: { id: 'U1' } })).kind).toBe('ignored');
  });

  it.each([
    ['no payload', 'foo=bar'],
    ['payload not JSON', 'payload=%7Bnope'],
    ['no user', formBody({ type: 'block_actions', actions: [{ action_id: 'stepcd_approve', value: '{"d":"x","s":0}' }] })],
    [
      'forged button value',
      formBody({
        ...blockActionsPayload({ user: 'U1', actionId: 'stepcd_approve', deploymentId: 'd', stageIndex: 0 }),
        actions: [{ action_id: 'stepcd_approve', value: 'token:abc' }],
      }),
    ],
  ])('fail: %s is invalid', (_name, body) => {
    expect(parseInteraction(body).kind).toBe('invalid');
  });
});
