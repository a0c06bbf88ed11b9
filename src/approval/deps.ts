import type { AwsClientConfig } from '../aws/client-config.js';
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
  now?: () => Date;
  /** Slack attempts per call; the interactions endpoint keeps this at 1 to answer within 3 s. */
  slackAttempts?: number;
  slackTimeoutMs?: number;
}

/** Client config for one service: the configured endpoint locally, the SDK's own resolution on AWS. */
function clientConfig(config: Config, service: 'sfn' | 'dynamodb' | 'events'): AwsClientConfig {
  const endpoint = config.endpoints?.[service];
  return endpoint ? { region: config.region, endpoint } : { region: config.region };
}

/** Builds the approval service over DynamoDB, Step Functions, EventBridge and Slack. */
export function buildApprovalService(ctx: ApprovalDepsContext): ApprovalService {
  const { config, secrets, logger } = ctx;
  const now = ctx.now ?? (() => new Date());
  const history = new DynamoHistoryStore(createDocumentClient(clientConfig(config, 'dynamodb')), config.tableName);
  return new ApprovalService({
    history,
    workflow: new SfnWorkflow(createSfnClient(clientConfig(config, 'sfn')), config.stateMachineArn),
    events: new EventBridgePublisher(createEventBridgeClient(clientConfig(config, 'events')), config.eventBusName),
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
