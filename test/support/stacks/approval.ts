import { ApprovalService } from '../../../src/approval/service.js';
import { ReplayCache } from '../../../src/slack/signature.js';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createSfnClient, SfnWorkflow } from '../../../src/aws/sfn.js';
import { SfnWaitTokens } from '../../../src/aws/wait-tokens.js';
import type { DeploymentEvent, EventPublisher } from '../../../src/domain/events.js';
import type { DeploymentPlan } from '../../../src/domain/plan.js';
import type { DynamoHistoryStore } from '../../../src/aws/history/dynamo-history-store.js';
import { newDeploymentRecord } from '../../../src/history/records.js';
import { startAwsServer, type AwsServer } from '../../../src/local/aws-server.js';
import { LocalSfn } from '../../../src/local/sfn/index.js';
import { createNotifier } from '../../../src/slack/notifier.js';
import { createHandler as createApprovalRequestHandler } from '../../../functions/approval-request/handler.js';
import { createHandler as createSlackHandler } from '../../../functions/slack-interactions/handler.js';
import { SLACK_RESPONSE_ORIGINS } from '../../../src/slack/approval-endpoint.js';
import { startHistory } from './history.js';
import { blockActionsPayload, formBody, signedHeaders } from '../slack-sign.js';
import { startSlackStandin, type SlackStandin } from '../slack-standin.js';
import { waitUntil } from '../waits.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
const STATE_MACHINE = 'approval-only';

/**
 * One WAIT_APPROVAL task as statemachines/deployment.asl.json calls it, with a fixed TimeoutSeconds:
 * aws-local-stepfunctions evaluates TimeoutSecondsPath against the input after Parameters (AWS uses
 * the state input), so a path cannot mean the same thing here and on AWS.
 */
function definition(timeoutSeconds: number) {
  return {
    StartAt: 'WAIT_APPROVAL',
    States: {
      WAIT_APPROVAL: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'approval-request',
          Payload: { 'taskToken.$': '$$.Task.Token', 'plan.$': '$.plan', 'stage.$': '$.stage', 'timeoutSeconds.$': '$.stage.with.timeoutSeconds' },
        },
        TimeoutSeconds: timeoutSeconds,
        ResultPath: '$.approval',
        End: true,
      },
    },
  };
}

class CapturedEvents implements EventPublisher {
  readonly events: DeploymentEvent[] = [];
  async publish(event: DeploymentEvent): Promise<void> {
    this.events.push(event);
  }
}

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface ApprovalHarness {
  history: DynamoHistoryStore;
  sfn: LocalSfn;
  slack: SlackStandin;
  events: CapturedEvents;
  service: ApprovalService;
  /** Moves the interactions endpoint's clock (signature window and approval expiry) forward. */
  advance(ms: number): void;
  /** Plans a one-stage deployment, records it and starts its execution; resolves once the approval is stored. */
  deploy(opts: {
    approvers: string[];
    minApproverNum?: number;
    timeoutSeconds?: number;
    cancelRequested?: boolean;
  }): Promise<{ plan: DeploymentPlan; executionArn: string }>;
  /** Sends a signed block_actions click through the real Lambda handler. */
  click(o: {
    user: string;
    action: 'approve' | 'reject';
    deploymentId: string;
    stageIndex?: number;
    sign?: (body: string) => Record<string, string>;
  }): Promise<{ statusCode: number; body: string; reply?: string }>;
  /** Sends exactly these headers and body (for replays and forgeries). */
  post(headers: Record<string, string>, body: string): Promise<{ statusCode: number; body: string }>;
  nowSeconds(): number;
  close(): Promise<void>;
}

let seq = 0;

export async function startApprovalHarness(): Promise<ApprovalHarness> {
  const slack = await startSlackStandin();
  const { dynamo, history } = await startHistory();
  const sfn = new LocalSfn({ clock: { now: () => Date.now() } });
  const aws: AwsServer = await startAwsServer([sfn.handler]);
  const machineFor = (timeoutSeconds: number) =>
    sfn.createStateMachine({ name: `${STATE_MACHINE}-${timeoutSeconds}`, definition: definition(timeoutSeconds) }).stateMachineArn;
  const stateMachineArn = machineFor(3600);
  const events = new CapturedEvents();
  const notifier = createNotifier({
    botToken: 'xoxb-test',
    apiUrl: slack.apiUrl,
    defaultChannel: 'C0DEPLOYS',
    history,
    logger: quietLogger,
    sleep: async () => {},
  });
  const service = new ApprovalService({
    history,
    workflow: new SfnWorkflow(createSfnClient(localClientConfig(aws.url)), stateMachineArn),
    tokens: new SfnWaitTokens(createSfnClient(localClientConfig(aws.url))),
    events,
    notifier,
    logger: quietLogger,
  });
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  const requestHandler = createApprovalRequestHandler(() => ({ service, now }));
  // Deployments whose approval-request Lambda has returned (token stored, Slack updated).
  const requested = new Set<string>();
  sfn.registerFunction('approval-request', async (event, context) => {
    const result = await requestHandler(event as never, context);
    requested.add((event as { plan: DeploymentPlan }).plan.deploymentId);
    return result;
  });
  // One cache for the whole run, as one warm Lambda instance would have.
  const replays = new ReplayCache();
  const responseUrlOrigins = [...SLACK_RESPONSE_ORIGINS, new URL(slack.url).origin];
  const slackHandler = createSlackHandler(() => ({ service, signingSecret: SIGNING_SECRET, replays, now, logger: quietLogger, responseUrlOrigins }));

  const nowSeconds = () => Math.floor(now().getTime() / 1000);

  async function post(headers: Record<string, string>, body: string) {
    const event = {
      rawPath: '/slack/interactions',
      headers,
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    };
    const res = await slackHandler(event, lambdaContext());
    return { statusCode: res.statusCode, body: res.body };
  }

  return {
    history,
    sfn,
    slack,
    events,
    service,
    advance: (ms) => {
      offset += ms;
    },
    nowSeconds,
    post,
    async deploy(opts) {
      const plan = approvalPlan(`dep-${++seq}-${Date.now()}`, opts);
      await history.putDeployment(newDeploymentRecord(plan, now()));
      await history.setStatus(plan.deploymentId, 'RUNNING');
      await history.setStageStatus(plan.deploymentId, 0, 'RUNNING');
      if (opts.cancelRequested) await history.requestCancel(plan.deploymentId);
      const out = sfn.startExecution({
        stateMachineArn: machineFor(opts.timeoutSeconds ?? 3600),
        name: plan.executionName,
        input: JSON.stringify({ plan, stage: plan.stages[0] }),
      });
      await waitUntil(`the approval request of ${plan.deploymentId}`, () => requested.has(plan.deploymentId), Boolean, { timeoutMs: 10_000, everyMs: 5 });
      return { plan, executionArn: out.executionArn };
    },
    async click(o) {
      const responseId = `r-${++seq}`;
      const body = formBody(
        blockActionsPayload({
          user: o.user,
          actionId: o.action === 'approve' ? 'stepcd_approve' : 'stepcd_reject',
          deploymentId: o.deploymentId,
          stageIndex: o.stageIndex ?? 0,
          responseUrl: slack.responseUrl(responseId),
        }),
      );
      const headers = o.sign ? o.sign(body) : signedHeaders(SIGNING_SECRET, body, nowSeconds());
      const res = await post(headers, body);
      const reply = slack.calls.find((c) => c.path === `/response/${responseId}`)?.body.text as string | undefined;
      return { ...res, ...(reply !== undefined ? { reply } : {}) };
    },
    async close() {
      await sfn.shutdown();
      await aws.close();
      await slack.close();
      await dynamo.stop();
    },
  };
}

function lambdaContext() {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'slack-interactions',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:slack-interactions',
    memoryLimitInMB: '256',
    awsRequestId: `req-${++seq}`,
    logGroupName: '/aws/lambda/slack-interactions',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 3_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function approvalPlan(deploymentId: string, o: { approvers: string[]; minApproverNum?: number; timeoutSeconds?: number }): DeploymentPlan {
  return {
    deploymentId,
    executionName: deploymentId.replace(/[^A-Za-z0-9_-]/g, '-'),
    app: { name: 'web', dir: 'apps/web', labels: { env: 'dev' }, repo: 'acme/deploys' },
    commit: { sha: 'abcdef0123456789abcdef0123456789abcdef01', message: 'Bump image', author: 'alice', url: 'https://github.com/acme/deploys/commit/abcdef0' },
    trigger: { kind: 'push' },
    strategy: 'PIPELINE',
    stages: [
      { index: 0, name: 'WAIT_APPROVAL', with: { approvers: o.approvers, minApproverNum: o.minApproverNum ?? 1, timeoutSeconds: o.timeoutSeconds ?? 3600 } },
    ],
    taskDefinition: { family: 'web' },
    serviceDefinition: { cluster: 'default', serviceName: 'web' },
    targetGroups: {},
    accessType: 'ELB',
    options: { autoRollback: true, timeoutSeconds: 21_600, mentions: [], pollIntervalSeconds: 15 },
    createdAt: new Date().toISOString(),
  };
}
