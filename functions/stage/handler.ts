import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logging.js';
import { runStageTask, type ExecutionData, type StageTaskDeps } from '../../src/orchestrator/index.js';
import { awsClientConfigs, buildStageTaskDeps, once } from '../../src/runtime/deps.js';

const logger = createLogger('stepcd-stage');

export interface StageEvent {
  action: 'start' | 'check' | 'rollback';
  data: ExecutionData;
}

/** The ECS stages' start and check steps, and one rollback step; all idempotent, all retried by the ASL. */
export function createHandler(deps: () => StageTaskDeps) {
  return middy(async (event: StageEvent) => {
    const { plan, cursor } = event.data;
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: cursor?.stage?.name ?? event.action });
    return runStageTask(event.action, event.data, deps());
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createHandler(
  once(() => {
    const config = loadConfig();
    return buildStageTaskDeps({ config, clients: awsClientConfigs(config), secrets: {}, logger });
  }),
);
