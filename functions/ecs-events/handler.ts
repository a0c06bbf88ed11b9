import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { createLogger } from '../../src/logging.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { ecsEventsServices } from '../../src/runtime/services.js';
import { wakeWaits, type CloudEvent, type StabilityDeps } from '../../src/stability/index.js';

const logger = createLogger('stepcd-ecs-events');

/**
 * Target of the EventBridge rules on ECS service actions, stopped tasks and CloudWatch alarm state
 * changes: wakes (or fails) the stage waits those events name, after one describe of each. A failure
 * throws, so EventBridge's asynchronous invoke retries it; a token already closed is no failure.
 */
export function createHandler(deps: LambdaDeps<StabilityDeps>) {
  return middy(async (event: CloudEvent, context: object) => {
    const result = await wakeWaits(event, deps(context));
    if (result.checked > 0) logger.info('stage waits checked', { ...result });
    return result;
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

// No secrets: it reads ECS, CloudWatch and the history table and answers task tokens.
export const handler = createHandler(lambdaFunction(logger, ecsEventsServices).deps);
