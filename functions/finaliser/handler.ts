import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';
import { finaliseExecution, type ExecutionStatusChange, type OrchestratorDeps } from '../../src/orchestrator/index.js';
import { awsClientConfigs, buildOrchestratorDeps } from '../../src/runtime/deps.js';

const logger = createLogger('stepcd-finaliser');

/** EventBridge "Step Functions Execution Status Change" events for executions that ended outside Catch. */
export interface StatusChangeEvent {
  source: string;
  'detail-type': string;
  detail: ExecutionStatusChange;
}

export function createHandler(deps: (context: object) => OrchestratorDeps) {
  return middy(async (event: StatusChangeEvent, context: object) => {
    logger.appendKeys({ executionArn: event.detail.executionArn });
    const outcome = await finaliseExecution(event.detail, deps(context));
    logger.info('finaliser', { status: event.detail.status, outcome });
    return { outcome };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

let cached: OrchestratorDeps | undefined;

export const handler = createHandler((context) => {
  const config = loadConfig();
  cached ??= buildOrchestratorDeps({ config, clients: awsClientConfigs(config), secrets: secretsFromContext(context), logger });
  return cached;
}).use(secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })));
