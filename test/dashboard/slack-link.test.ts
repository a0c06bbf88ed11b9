import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { ErrorName } from '../../src/errors.js';
import type { LocalDynamo } from '../../src/local/dynamo.js';
import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import { createLogger } from '../../src/logging.js';
import { buildCoreDeps } from '../../src/runtime/deps.js';
import { startHistory } from '../support/stacks/history.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';
import { sampleRecord } from '../slack/fixtures.js';

const ENV = { STEPCD_TABLE: 'stepcd', STEPCD_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:deploy' };
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:stepcd-prod-deployment:web-0123456-abc';

describe('loadConfig: STEPCD_DASHBOARD_URL', () => {
  it('success: the URL without its trailing slash; unset means none', () => {
    expect(loadConfig({ ...ENV, STEPCD_DASHBOARD_URL: 'http://127.0.0.1:8090/' }).dashboardUrl).toBe('http://127.0.0.1:8090');
    expect(loadConfig(ENV).dashboardUrl).toBeUndefined();
  });

  it.each(['127.0.0.1:8090', 'javascript:alert(1)', 'not a url'])('fail: %s refuses to start', (value) => {
    expect(() => loadConfig({ ...ENV, STEPCD_DASHBOARD_URL: value })).toThrow(
      expect.objectContaining({ name: ErrorName.Config, message: expect.stringContaining('STEPCD_DASHBOARD_URL') }),
    );
  });
});

/** From configuration to the posted message, through the one composition root the Lambdas use. */
describe('Slack messages link each deployment', () => {
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

  async function postedContext(dashboardUrl: string | undefined): Promise<{ id: string; text: string }> {
    const config: Config = {
      region: 'eu-west-1',
      tableName: dynamo.tableName,
      eventBusName: 'stepcd',
      stateMachineArn: ENV.STEPCD_STATE_MACHINE_ARN,
      github: { repos: [], branches: [], deployTags: false },
      slack: { apiUrl: slack.apiUrl, defaultChannel: 'C0DEPLOYS' },
      ...(dashboardUrl ? { dashboardUrl } : {}),
    };
    const local = localClientConfig(dynamo.url);
    const core = buildCoreDeps({
      config,
      clients: { ecs: local, elbv2: local, cloudwatch: local, sfn: local, events: local, lambda: local, sts: local, dynamodb: local },
      secrets: { slackBotToken: 'xoxb-test' },
      logger: createLogger('test', { logLevel: 'SILENT' }),
    });
    const record = sampleRecord({ deploymentId: `dep-link-${++seq}`, executionArn: EXECUTION });
    await history.putDeployment(record);
    await core.notifier.deploymentStarted(record);
    const blocks = slack.callsTo('chat.postMessage')[0]?.body.blocks as { type: string; elements?: { text: string }[] }[];
    const context = blocks.find((b) => b.type === 'context');
    return { id: record.deploymentId, text: context?.elements?.[0]?.text ?? '' };
  }

  it('success: to its dashboard page when dashboardUrl is configured', async () => {
    const { id, text } = await postedContext('https://stepcd.example.com');
    expect(text).toBe(`<https://stepcd.example.com/deployments/${id}|deployment ${id}>`);
  });

  it('success: to its Step Functions execution in the AWS console otherwise', async () => {
    const { id, text } = await postedContext(undefined);
    expect(text).toBe(`<https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}|deployment ${id}>`);
  });
});
