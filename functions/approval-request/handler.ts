import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { buildApprovalService } from '../../src/approval/deps.js';
import { parseApprovalRequest, type ApprovalRequestEvent } from '../../src/approval/request-event.js';
import type { ApprovalService } from '../../src/approval/service.js';
import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';

const logger = createLogger('stepcd-approval-request');

export interface ApprovalRequestDeps {
  service: Pick<ApprovalService, 'requestApproval'>;
  now: () => Date;
}

/**
 * WAIT_APPROVAL's `lambda:invoke.waitForTaskToken` target: stores the token (DynamoDB only), marks the
 * deployment WAITING_APPROVAL, emits DEPLOYMENT_WAIT_APPROVAL and updates Slack, then returns at once.
 * The execution stays paused until the approval service answers the token, or TimeoutSeconds passes.
 * The event is never logged (`logEvent: false` overrides POWERTOOLS_LOGGER_LOG_EVENT): it holds the token.
 */
export function createHandler(deps: (context: object) => ApprovalRequestDeps) {
  return middy(async (event: ApprovalRequestEvent, context: object) => {
    const { plan, stage, taskToken } = parseApprovalRequest(event);
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: stage.name });
    const d = deps(context);
    await d.service.requestApproval({ plan, stage, taskToken, now: d.now() });
    // Nothing here reaches the execution: its result is whatever SendTaskSuccess later carries.
    return { requested: true };
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

let service: ApprovalService | undefined;

export const handler = createHandler((context) => {
  service ??= buildApprovalService({ config: loadConfig(), secrets: secretsFromContext(context), logger });
  return { service, now: () => new Date() };
}).use(secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })));
