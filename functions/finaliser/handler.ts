import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';
import { finaliseExecution, type ExecutionStatusChange, type OrchestratorDeps } from '../../src/orchestrator/index.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { finaliserServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-finaliser');

/** EventBridge "Step Functions Execution Status Change" events for executions that ended outside Catch. */
export interface StatusChangeEvent {
  source: string;
  'detail-type': string;
  detail: ExecutionStatusChange;
}

export function createHandler(deps: LambdaDeps<OrchestratorDeps>) {
  return middy(async (event: StatusChangeEvent, context: object) => {
    logger.appendKeys({ executionArn: event.detail.executionArn });
    const outcome = await finaliseExecution(event.detail, deps(context));
    logger.info('finaliser', { status: event.detail.status, outcome });
    return { outcome };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createHandler(lambdaFunction(logger, finaliserServices).deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })),
);
