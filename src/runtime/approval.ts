import { ApprovalService } from '../approval/service.js';
import { slackGroupMembers } from '../slack/groups.js';
import { buildCoreDeps, type DepsContext, type NotifierTuning } from './deps.js';

/**
 * The approval service over the same history, workflow, events and notifier every other function
 * gets from buildCoreDeps, so the approval functions cannot drift from them (endpoints, credentials,
 * Slack settings). With a bot token, allowlists may name Slack user groups.
 */
export function buildApprovalService(ctx: DepsContext, tuning: NotifierTuning = {}): ApprovalService {
  const { config, secrets, logger } = ctx;
  const core = buildCoreDeps(ctx, tuning);
  const groups = secrets.slackBotToken
    ? slackGroupMembers({
        botToken: secrets.slackBotToken,
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        timeoutMs: tuning.slackTimeoutMs ?? 1_000,
      })
    : undefined;
  return new ApprovalService({ ...core, logger, ...(groups ? { groups } : {}) });
}
