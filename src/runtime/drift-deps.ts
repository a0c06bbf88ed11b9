import { createDocumentClient } from '../aws/dynamodb.js';
import { EventBridgeDriftPublisher } from '../aws/drift-events.js';
import { createEcsAdapter } from '../aws/ecs.js';
import { createElbAdapter } from '../aws/elbv2.js';
import { createEventBridgeClient } from '../aws/eventbridge.js';
import { executionPlanReader } from '../aws/execution-plan.js';
import { createSfnClient } from '../aws/sfn.js';
import type { DriftCheckDeps } from '../drift/check.js';
import { DynamoDriftStore } from '../aws/history/dynamo-drift.js';
import { DynamoHistoryStore } from '../aws/history/dynamo-history-store.js';
import { createDriftNotifier } from '../slack/drift-message.js';
import type { DepsContext } from './deps.js';

/** The drift check's ports: history reads, execution input, ECS/ELBv2 reads, its state item, events, Slack. */
export function buildDriftCheckDeps(ctx: DepsContext): DriftCheckDeps {
  const now = ctx.now ?? Date.now;
  const doc = createDocumentClient(ctx.clients.dynamodb);
  const history = new DynamoHistoryStore(doc, ctx.config.tableName);
  const readPlan = executionPlanReader(createSfnClient(ctx.clients.sfn));
  const { slack } = ctx.config;
  return {
    history,
    async planOf(deploymentId) {
      const record = await history.getDeployment(deploymentId);
      return record?.executionArn ? readPlan(record.executionArn) : undefined;
    },
    ecs: createEcsAdapter(ctx.clients.ecs),
    elb: createElbAdapter(ctx.clients.elbv2),
    store: new DynamoDriftStore(doc, ctx.config.tableName, () => new Date(now())),
    events: new EventBridgeDriftPublisher(createEventBridgeClient(ctx.clients.events), ctx.config.eventBusName),
    notifier: createDriftNotifier({
      ...(ctx.secrets.slackBotToken ? { botToken: ctx.secrets.slackBotToken } : {}),
      ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
      ...(slack.defaultChannel ? { defaultChannel: slack.defaultChannel } : {}),
      ...(slack.incomingWebhookUrl ? { incomingWebhookUrl: slack.incomingWebhookUrl } : {}),
      ...(ctx.config.dashboardUrl ? { dashboardUrl: ctx.config.dashboardUrl } : {}),
    }),
    logger: ctx.logger,
    now: () => new Date(now()),
  };
}
