import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { handleSlackInteraction, type SlackEndpointDeps, type SlackResponse } from '../../src/slack/approval-endpoint.js';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { toHttpRequest, type HttpApiEvent } from '../../src/http/api-event.js';
import { createLogger } from '../../src/logging.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { slackInteractionsServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-slack-interactions');

/**
 * POST /slack/interactions (API Gateway HTTP API, payload v2): Approve and Reject buttons. The event
 * (signature, response_url) is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says.
 */
export function createHandler(deps: LambdaDeps<SlackEndpointDeps>) {
  return middy(async (event: HttpApiEvent, context: object): Promise<SlackResponse> => {
    const { headers, body } = toHttpRequest(event);
    return handleSlackInteraction({ headers, body }, deps(context));
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

// Both optional at import so the local cloud and tests can load this module; a missing signing
// secret still refuses every request (src/runtime/services.ts) before anything is read from Slack.
export const handler = createHandler(lambdaFunction(logger, slackInteractionsServices).deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackSigningSecret', 'slackBotToken'] })),
);
