import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';
import { runStageTask, type ExecutionData, type StageTaskDeps } from '../../src/orchestrator/index.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { stageServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-stage');

export interface StageEvent {
  action: 'start' | 'await' | 'wait' | 'check' | 'rollback-traffic' | 'rollback';
  data: ExecutionData;
  /** Only for `await` (WaitStable) and `wait` (WAIT), both waitForTaskToken; never logged. */
  taskToken?: string;
}

/**
 * The ECS stages' start, await (event-driven wait) and check steps, a rollback's traffic restore and one
 * rollback step; all idempotent, all retried by the ASL. A start or check that finishes its stage also
 * advances the deployment (and completes it after the last stage).
 */
export function createHandler(deps: LambdaDeps<StageTaskDeps>) {
  return middy(async (event: StageEvent, context: object) => {
    const { plan, cursor } = event.data;
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: cursor?.stage?.name ?? event.action });
    return runStageTask(event.action, event.data, deps(context), event.taskToken);
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

// The Slack bot token: advancing a stage updates the deployment's Slack message.
export const handler = createHandler(lambdaFunction(logger, stageServices).deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })),
);
