import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { createLogger } from '../../src/logging.js';
import { orchestrate, type OrchestrateEvent, type OrchestratorDeps } from '../../src/orchestrator/index.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { orchestrateServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-orchestrate');

/** Begin, Advance, Complete, RollbackBegin and Finish of the deployment state machine. */
export function createHandler(deps: LambdaDeps<OrchestratorDeps>) {
  return middy(async (event: OrchestrateEvent, context: object) => {
    const { plan, cursor } = event.data;
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: cursor?.stage?.name ?? event.action });
    return orchestrate(event, deps(context));
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

const services = lambdaFunction(logger, orchestrateServices);

export const handler = createHandler(services.deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken', ...githubSecret()] })),
);

/**
 * The one GitHub credential in use (App key or token), for commit ancestry in Begin. A config that
 * does not load here fails the first invocation instead, with its own message.
 */
function githubSecret() {
  try {
    return [githubCredentialSecret(services.config().github)];
  } catch {
    return [];
  }
}
