import { computeSlackSignature } from '../../src/slack/signature.js';
import { encodeButtonValue } from '../../src/slack/actions.js';

/** Builds and signs interaction requests the way Slack does, for tests of the real handler. */
export interface BlockActionsOptions {
  user: string;
  actionId: 'stepcd_approve' | 'stepcd_reject' | string;
  deploymentId: string;
  stageIndex: number;
  responseUrl?: string;
  channelId?: string;
  messageTs?: string;
}

/** A `block_actions` payload in the documented shape (trimmed to realistic fields). */
export function blockActionsPayload(o: BlockActionsOptions): Record<string, unknown> {
  const channel = o.channelId ?? 'C0DEPLOYS';
  const ts = o.messageTs ?? '1767225600.000100';
  return {
    type: 'block_actions',
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: 'T0STEPCD' },
    api_app_id: 'A0STEPCD',
    token: 'legacy-verification-token-unused',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: '1234567890.123456.abcdef',
    team: { id: 'T0STEPCD', domain: 'stepcd' },
    channel: { id: channel, name: 'deploys' },
    message: { type: 'message', ts, text: 'deployment' },
    response_url: o.responseUrl,
    actions: [
      {
        action_id: o.actionId,
        block_id: `stepcd_approval_${o.stageIndex}`,
        text: { type: 'plain_text', text: o.actionId === 'stepcd_reject' ? 'Reject' : 'Approve', emoji: true },
        value: encodeButtonValue({ deploymentId: o.deploymentId, stageIndex: o.stageIndex }),
        type: 'button',
        action_ts: '1767225601.000200',
      },
    ],
  };
}

export function formBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function signedHeaders(secret: string, rawBody: string, timestampSeconds: number): Record<string, string> {
  const ts = String(timestampSeconds);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': computeSlackSignature(secret, ts, rawBody),
  };
}
