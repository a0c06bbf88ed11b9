import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import type { LocalDynamo } from '../../src/local/dynamo.js';
import { createNotifier, NoopNotifier, type NotifyLogger } from '../../src/slack/notifier.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';
import { startHistory } from '../support/stacks/history.js';
import { sampleRecord } from './fixtures.js';

const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAQ-very-secret-task-token';
const NOW = new Date('2026-01-01T00:04:30.000Z');

let slack: SlackStandin;
let dynamo: LocalDynamo;
let history: DynamoHistoryStore;
let seq = 0;

beforeAll(async () => {
  slack = await startSlackStandin();
  ({ dynamo, history } = await startHistory());
});
afterAll(async () => {
  await slack.close();
  await dynamo.stop();
});
beforeEach(() => slack.reset());

function spyLogger() {
  return { warn: vi.fn<NotifyLogger['warn']>(), error: vi.fn<NotifyLogger['error']>() };
}

async function freshRecord(overrides: Partial<DeploymentRecord> = {}): Promise<DeploymentRecord> {
  const record = sampleRecord({ deploymentId: `dep-n-${++seq}`, ...overrides });
  await history.putDeployment(record);
  return record;
}

function botNotifier(logger: NotifyLogger = spyLogger()) {
  return createNotifier({
    botToken: 'xoxb-test',
    apiUrl: slack.apiUrl,
    defaultChannel: 'C0DEPLOYS',
    history,
    logger,
    sleep: async () => {},
    now: () => NOW,
  });
}

describe('SlackWebApiNotifier', () => {
  it('posts one message when the deployment starts, stores its ref, then updates it for each stage', async () => {
    const notifier = botNotifier();
    const record = await freshRecord({ status: 'RUNNING' });

    await notifier.deploymentStarted(record, { slackChannel: 'C0APP' });
    const [post] = slack.callsTo('chat.postMessage');
    expect(post?.body.channel).toBe('C0APP');
    expect(post?.authorization).toBe('Bearer xoxb-test');
    const ref = (await history.getDeployment(record.deploymentId))?.notification;
    expect(ref).toEqual({ channel: 'C0APP', ts: expect.any(String) });

    // A caller holding the record read before the post must still update, not post again.
    await notifier.stageUpdated({ ...record, stages: record.stages.map((s) => (s.index === 3 ? { ...s, status: 'RUNNING' } : s)) });
    await notifier.stageUpdated(record);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const updates = slack.callsTo('chat.update');
    expect(updates).toHaveLength(2);
    expect(updates[0]?.body).toMatchObject({ channel: 'C0APP', ts: ref?.ts });
    expect(JSON.stringify(updates[0]?.body.blocks)).toContain('4. *ECS_PRIMARY_ROLLOUT* running');
  });

  it('finds the message ref in history when another process posted it', async () => {
    const record = await freshRecord();
    await history.setNotificationRef(record.deploymentId, { channel: 'C0OTHER', ts: '1767225600.999999' });
    await botNotifier().stageUpdated(record);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(slack.callsTo('chat.update')[0]?.body).toMatchObject({ channel: 'C0OTHER', ts: '1767225600.999999' });
  });

  it('adds Approve/Reject buttons and pings approvers in the thread, never sending the task token', async () => {
    const notifier = botNotifier();
    const record = await freshRecord();
    await notifier.deploymentStarted(record);
    await history.putApproval({
      deploymentId: record.deploymentId,
      stageIndex: 2,
      taskToken: TOKEN,
      approvers: ['U0ALICE'],
      minApproverNum: 1,
      approvedBy: [],
      status: 'OPEN',
      createdAt: NOW.toISOString(),
      expiresAt: '2026-01-01T06:04:30.000Z',
    });

    await notifier.approvalRequested(
      record,
      { stageIndex: 2, approvers: ['U0ALICE'], minApproverNum: 1, expiresAt: '2026-01-01T06:04:30.000Z' },
      { mentions: [{ event: 'DEPLOYMENT_WAIT_APPROVAL', slackUsers: [], slackGroups: ['S0REVIEW'] }] },
    );

    const update = slack.callsTo('chat.update').at(-1);
    const buttons = JSON.stringify(update?.body.blocks);
    expect(buttons).toContain('stepcd_approve');
    expect(buttons).toContain('stepcd_reject');
    const ref = (await history.getDeployment(record.deploymentId))?.notification;
    const thread = slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === ref?.ts);
    expect(thread?.body.text).toContain('<@U0ALICE>');
    expect(thread?.body.text).toContain('<!subteam^S0REVIEW>');
    // Later stage updates re-render the buttons from history (still open)...
    await notifier.stageUpdated(record);
    expect(JSON.stringify(slack.callsTo('chat.update').at(-1)?.body.blocks)).toContain('stepcd_approve');
    // ...and nothing stepcd sent to Slack ever carried the token.
    for (const call of slack.calls) expect(call.raw).not.toContain('very-secret-task-token');
  });

  it('mentions per notification.mentions when the deployment ends', async () => {
    const notifier = botNotifier();
    const record = await freshRecord({ status: 'FAILURE', reason: 'canary unhealthy' });
    await notifier.deploymentEnded(record, {
      mentions: [
        { event: 'DEPLOYMENT_FAILED', slackUsers: [], slackGroups: ['S0ONCALL'] },
        { event: 'DEPLOYMENT_SUCCEEDED', slackUsers: ['U0NOPE'], slackGroups: [] },
      ],
    });
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain('canary unhealthy');
    expect(posts[1]?.body.text).toContain('<!subteam^S0ONCALL>');
    expect(posts[1]?.body.text).not.toContain('U0NOPE');
  });

  it.each([
    ['HTTP 500', 'http500'],
    ['ok:false ratelimited', 'ratelimited'],
    ['HTTP 429 with Retry-After', 'http429'],
  ] as const)('retries after %s and then succeeds', async (_name, mode) => {
    const logger = spyLogger();
    const record = await freshRecord();
    slack.failNext(2, mode);
    await botNotifier(logger).deploymentStarted(record);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect((await history.getDeployment(record.deploymentId))?.notification).toBeDefined();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('gives up after a bounded number of attempts, logs the error and never throws', async () => {
    const logger = spyLogger();
    const record = await freshRecord();
    slack.failAlways('http500');
    await expect(botNotifier(logger).deploymentStarted(record)).resolves.toBeUndefined();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]?.[1]).toMatchObject({ deploymentId: record.deploymentId, error: expect.any(Error) });
  });

  it('does not retry an error Slack will not change its mind about', async () => {
    const logger = spyLogger();
    const record = await freshRecord();
    slack.failNext(5, 'channel_not_found');
    await expect(botNotifier(logger).deploymentStarted(record)).resolves.toBeUndefined();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('skips posting, with a warning, when no channel is configured anywhere', async () => {
    const logger = spyLogger();
    const record = await freshRecord();
    const notifier = createNotifier({ botToken: 'xoxb-test', apiUrl: slack.apiUrl, history, logger, sleep: async () => {} });
    await notifier.deploymentStarted(record);
    expect(slack.calls).toHaveLength(0);
    expect(logger.warn).toHaveBeenCalled();
  });
});

describe('IncomingWebhookNotifier', () => {
  it('posts notifications without buttons when there is only a webhook URL', async () => {
    const notifier = createNotifier({ incomingWebhookUrl: slack.webhookUrl, history, sleep: async () => {}, logger: spyLogger(), now: () => NOW });
    const record = await freshRecord();
    await notifier.deploymentStarted(record);
    await notifier.stageUpdated(record);
    await notifier.approvalRequested(record, { stageIndex: 2, approvers: ['U0ALICE'], minApproverNum: 1, expiresAt: '2026-01-01T06:00:00.000Z' });
    const posts = slack.callsTo('incoming_webhook');
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[1]?.body.blocks)).not.toContain('stepcd_approve');
    expect(JSON.stringify(posts[1]?.body.blocks)).toContain(`stepcd approve ${record.deploymentId}`);
    expect(posts[1]?.body.text).toContain('<@U0ALICE>');
  });

  it('retries a failing webhook a bounded number of times and never throws', async () => {
    const logger = spyLogger();
    const notifier = createNotifier({ incomingWebhookUrl: slack.webhookUrl, history, sleep: async () => {}, logger });
    slack.failAlways('http500');
    await expect(notifier.deploymentEnded(await freshRecord({ status: 'SUCCESS' }))).resolves.toBeUndefined();
    expect(slack.callsTo('incoming_webhook')).toHaveLength(3);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});

describe('createNotifier', () => {
  it('skips Slack silently with neither a bot token nor a webhook URL', async () => {
    const notifier = createNotifier({ history });
    expect(notifier).toBeInstanceOf(NoopNotifier);
    await notifier.deploymentStarted(await freshRecord());
    expect(slack.calls).toHaveLength(0);
  });
});
