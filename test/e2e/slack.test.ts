import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScaledClock } from '../../src/local/clock.js';
import { decodeButtonValue } from '../../src/slack/actions.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';

/**
 * Slack through the real state machine: one live message per deployment, kept current by the
 * orchestration steps, with the approval clicked through the real `/slack/interactions` route.
 */
describe('Slack message and approval through the state machine', () => {
  let slack: SlackStandin;
  let h: StackHarness;

  beforeAll(async () => {
    slack = await startSlackStandin();
    h = await startStackHarness({ secrets: { slackBotToken: 'xoxb-test' }, slack: { apiUrl: slack.apiUrl, defaultChannel: 'C-DEPLOY' } });
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
    await slack?.close();
  });

  async function click(user: string, deploymentId: string, stageIndex: number, messageTs: string) {
    const body = formBody(
      blockActionsPayload({
        user,
        actionId: 'stepcd_approve',
        deploymentId,
        stageIndex,
        channelId: 'C-DEPLOY',
        messageTs,
        responseUrl: slack.responseUrl(deploymentId),
      }),
    );
    const headers = signedHeaders(h.stack.secrets.slackSigningSecret, body, Math.floor(Date.now() / 1000));
    return fetch(`${h.stack.front.url}/slack/interactions`, { method: 'POST', headers, body });
  }

  it('posts one message, updates it for every stage, shows the buttons without the token, and ends with SUCCESS and the approver', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('canary', '3.0.0'));
    const waiting = await h.waitForStatus(id, 'WAITING_APPROVAL');
    const ts = waiting.notification!.ts;
    const token = (await h.stack.core.history.getApproval(id, 2))!.taskToken;

    const res = await click('U0LEAD', id, 2, ts);
    expect(res.status).toBe(200);
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');

    // One message for the deployment (approver mentions would go in its thread).
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.raw.includes(id) && c.body.thread_ts === undefined);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('C-DEPLOY');
    expect(posts[0]!.authorization).toBe('Bearer xoxb-test');

    // Updated as each stage starts: every one of the six is shown running in some update.
    const updates = slack.callsTo('chat.update').filter((c) => c.body.ts === ts);
    const texts = updates.map((c) => JSON.stringify(c.body.blocks));
    for (const n of [1, 2, 3, 4, 5, 6]) expect(texts.some((t) => t.includes(`:hourglass_flowing_sand: ${n}. *`))).toBe(true);

    // The approval request adds both buttons; each carries only the deployment id and stage index.
    const request = updates.find((c) => JSON.stringify(c.body.blocks).includes('stepcd_approve'));
    expect(JSON.stringify(request?.body.blocks)).toContain('stepcd_reject');
    const buttons = (request!.body.blocks as { type: string; elements?: { value?: string }[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(buttons).toHaveLength(2);
    for (const b of buttons) expect(decodeButtonValue(b.value!)).toEqual({ deploymentId: id, stageIndex: 2 });

    // The token never reaches Slack, whole or in part, in any call (posts, updates, response_url).
    expect(slack.calls.length).toBeGreaterThan(updates.length);
    const secret = token.split(':').at(-1)!;
    for (const c of slack.calls) {
      expect(c.raw).not.toContain(token);
      expect(c.raw).not.toContain(secret);
    }

    // The last update: SUCCESS, every stage done, who approved, and no buttons left to click.
    const last = JSON.stringify(updates.at(-1)!.body.blocks);
    expect(last).toContain('canary · Succeeded');
    for (const n of [1, 2, 3, 4, 5, 6]) expect(last).toContain(`:white_check_mark: ${n}. *`);
    expect(last).toContain('Approved by <@U0LEAD>');
    expect(last).not.toContain('stepcd_approve');
    expect(updates.at(-1)!.body.text).toContain('Succeeded');
  });

  it('checks Slack signatures against real time, however far the local clock fast-forwarded', async () => {
    // What 10 minutes of Wait states do to the emulated clock; a real click is still signed "now".
    (h.stack.cloud.clock as ScaledClock).advance(10 * 60_000);
    const body = formBody(blockActionsPayload({ user: 'U0LEAD', actionId: 'stepcd_approve', deploymentId: 'd-none', stageIndex: 0 }));
    const real = await fetch(`${h.stack.front.url}/slack/interactions`, {
      method: 'POST',
      headers: signedHeaders(h.stack.secrets.slackSigningSecret, body, Math.floor(Date.now() / 1000)),
      body,
    });
    expect(real.status).toBe(200);
    expect(((await real.json()) as { text: string }).text).toBe(':lock: there is no approval to answer for deployment d-none');
    const body2 = formBody(blockActionsPayload({ user: 'U0LEAD', actionId: 'stepcd_approve', deploymentId: 'd-none2', stageIndex: 0 }));
    const emulated = await fetch(`${h.stack.front.url}/slack/interactions`, {
      method: 'POST',
      headers: signedHeaders(h.stack.secrets.slackSigningSecret, body2, Math.floor(h.stack.cloud.clock.now() / 1000)),
      body: body2,
    });
    expect(emulated.status).toBe(401);
  });
});
