import type { LocalStack } from '../../src/local/stack.js';
import { blockActionsPayload, formBody, signedHeaders } from '../../test/support/slack-sign.js';

/**
 * Clicks a deployment's Approve button as Slack sends the click: a signed `block_actions` request to
 * the HTTP front, answered by the slack-interactions function (one invocation). This is how the
 * product is meant to be used; `stepcd approve` answers through the approval service directly, with
 * the caller's own credentials, and costs no invocation.
 */
export async function clickApprove(stack: LocalStack, vote: { deploymentId: string; stageIndex: number; user: string }): Promise<void> {
  const body = formBody(blockActionsPayload({ user: vote.user, actionId: 'stepcd_approve', deploymentId: vote.deploymentId, stageIndex: vote.stageIndex }));
  const headers = signedHeaders(stack.secrets.slackSigningSecret, body, Math.floor(Date.now() / 1000));
  const res = await fetch(`${stack.front.url}/slack/interactions`, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the Slack approval of ${vote.deploymentId} answered ${res.status}: ${text}`);
}
