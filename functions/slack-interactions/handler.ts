import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { buildApprovalService } from '../../src/approval/deps.js';
import type { ApprovalService } from '../../src/approval/service.js';
import { ReplayCache } from '../../src/approval/signature.js';
import { handleSlackInteraction, type SlackEndpointDeps, type SlackResponse } from '../../src/approval/slack-endpoint.js';
import { loadConfig } from '../../src/config/index.js';
import { requireSecret, secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { toWebhookRequest, type HttpApiEvent } from '../../src/gitops/http-request.js';
import { createLogger } from '../../src/logging.js';

const logger = createLogger('stepcd-slack-interactions');

/**
 * POST /slack/interactions (API Gateway HTTP API, payload v2): Approve and Reject buttons. The event
 * (signature, response_url) is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says.
 */
export function createHandler(deps: (context: object) => SlackEndpointDeps) {
  return middy(async (event: HttpApiEvent, context: object): Promise<SlackResponse> => {
    const { headers, body } = toWebhookRequest(event);
    return handleSlackInteraction({ headers, body }, deps(context));
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

// Per Lambda instance; see ReplayCache for why that is enough.
const replays = new ReplayCache();
let service: ApprovalService | undefined;

export const handler = createHandler((context) => {
  const secrets = secretsFromContext(context);
  // One Slack attempt with a short timeout: Slack wants the answer within 3 s.
  service ??= buildApprovalService({ config: loadConfig(), secrets, logger, slackAttempts: 1, slackTimeoutMs: 1_000 });
  return { service, signingSecret: requireSecret(secrets, 'slackSigningSecret'), replays, now: () => new Date(), logger };
  // Both optional at import so the local cloud and tests can load this module; a missing signing
  // secret still refuses every request (requireSecret above) before anything is read from Slack.
}).use(secretsMiddleware(secretParameterNames({ required: [], optional: ['slackSigningSecret', 'slackBotToken'] })));
