import type { AwsClientConfigs } from '../aws/client-config.js';
import type { Config, Secrets } from '../config/index.js';
import type { StepcdLogger } from '../logging.js';
import { awsClientConfigs, buildCoreDeps } from '../runtime/deps.js';
import { ApprovalService } from './service.js';
import { slackGroupMembers } from './slack-groups.js';

export interface ApprovalDepsContext {
  config: Config;
  secrets: Secrets;
  logger: StepcdLogger;
  /** Explicit client configs (the local cloud's, with endpoints and credentials); on AWS, region only. */
  clients?: Pick<AwsClientConfigs, 'sfn' | 'dynamodb' | 'events'>;
  now?: () => Date;
  /** Slack attempts per call; the interactions endpoint keeps this at 1 to answer within 3 s. */
  slackAttempts?: number;
  slackTimeoutMs?: number;
}

/**
 * The approval service over the same history, workflow, events and notifier every other function
 * gets from src/runtime/deps.ts, so the approval Lambdas cannot drift from them (endpoints,
 * credentials, Slack settings).
 */
export function buildApprovalService(ctx: ApprovalDepsContext): ApprovalService {
  const { config, secrets, logger, now } = ctx;
  const core = buildCoreDeps(
    {
      config,
      clients: { ...awsClientConfigs(config), ...ctx.clients },
      secrets,
      logger,
      ...(now ? { now: () => now().getTime() } : {}),
    },
    {
      ...(ctx.slackAttempts ? { slackAttempts: ctx.slackAttempts } : {}),
      ...(ctx.slackTimeoutMs ? { slackTimeoutMs: ctx.slackTimeoutMs } : {}),
    },
  );
  const groups = secrets.slackBotToken
    ? slackGroupMembers({
        botToken: secrets.slackBotToken,
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        timeoutMs: ctx.slackTimeoutMs ?? 1_000,
      })
    : undefined;
  return new ApprovalService({ ...core, logger, ...(groups ? { groups } : {}) });
}
