import type { AwsClientConfig, AwsClientConfigs } from '../aws/client-config.js';
import { createDocumentClient } from '../aws/dynamodb.js';
import { createEventBridgeClient, EventBridgePublisher } from '../aws/eventbridge.js';
import { createSfnClient, SfnWorkflow } from '../aws/sfn.js';
import type { Config, Secrets } from '../config/index.js';
import { DynamoHistoryStore } from '../history/dynamo-store.js';
import type { StepcdLogger } from '../logging.js';
import { createNotifier } from '../notify/notifier.js';
import { ApprovalService } from './service.js';

export interface ApprovalDepsContext {
  config: Config;
  secrets: Secrets;
  logger: StepcdLogger;
  /** Explicit client configs (the local cloud's loopback endpoints); on AWS, region only. */
  clients?: Pick<AwsClientConfigs, 'sfn' | 'dynamodb' | 'events'>;
  now?: () => Date;
  /** Slack attempts per call; the interactions endpoint keeps this at 1 to answer within 3 s. */
  slackAttempts?: number;
  slackTimeoutMs?: number;
}

/** The given client config, or region only so the SDK resolves endpoint and credentials on AWS. */
function clientConfig(ctx: ApprovalDepsContext, service: 'sfn' | 'dynamodb' | 'events'): AwsClientConfig {
  return ctx.clients?.[service] ?? { region: ctx.config.region };
}

/** Builds the approval service over DynamoDB, Step Functions, EventBridge and Slack. */
export function buildApprovalService(ctx: ApprovalDepsContext): ApprovalService {
  const { config, secrets, logger } = ctx;
  const now = ctx.now ?? (() => new Date());
  const history = new DynamoHistoryStore(createDocumentClient(clientConfig(ctx, 'dynamodb')), config.tableName);
  return new ApprovalService({
    history,
    workflow: new SfnWorkflow(createSfnClient(clientConfig(ctx, 'sfn')), config.stateMachineArn),
    events: new EventBridgePublisher(createEventBridgeClient(clientConfig(ctx, 'events')), config.eventBusName),
    notifier: createNotifier({
      history,
      logger,
      now,
      ...(secrets.slackBotToken ? { botToken: secrets.slackBotToken } : {}),
      ...(config.slack.incomingWebhookUrl ? { incomingWebhookUrl: config.slack.incomingWebhookUrl } : {}),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      ...(config.slack.defaultChannel ? { defaultChannel: config.slack.defaultChannel } : {}),
      ...(ctx.slackAttempts ? { maxAttempts: ctx.slackAttempts } : {}),
      ...(ctx.slackTimeoutMs ? { timeoutMs: ctx.slackTimeoutMs } : {}),
    }),
    logger,
  });
}
