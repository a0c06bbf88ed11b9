import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parseApprovalRequest, type ApprovalRequestDeps, type ApprovalRequestEvent } from '../../src/approval/request-event.js';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { approvalRequestServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-approval-request');

/**
 * WAIT_APPROVAL's `lambda:invoke.waitForTaskToken` target: stores the token (DynamoDB only), marks the
 * deployment WAITING_APPROVAL, emits DEPLOYMENT_WAIT_APPROVAL and updates Slack, then returns at once.
 * The execution stays paused until the approval service answers the token, or TimeoutSeconds passes.
 * The event is never logged (`logEvent: false` overrides POWERTOOLS_LOGGER_LOG_EVENT): it holds the token.
 */
export function createHandler(deps: LambdaDeps<ApprovalRequestDeps>) {
  return middy(async (event: ApprovalRequestEvent, context: object) => {
    const { plan, stage, taskToken } = parseApprovalRequest(event);
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: stage.name });
    const d = deps(context);
    await d.service.requestApproval({ plan, stage, taskToken, now: d.now() });
    // Nothing here reaches the execution: its result is whatever SendTaskSuccess later carries.
    return { requested: true };
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

export const handler = createHandler(lambdaFunction(logger, approvalRequestServices).deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })),
);
