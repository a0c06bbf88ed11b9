import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { createLogger } from '../../src/logging.js';
import { orchestrate, type OrchestrateEvent, type OrchestratorDeps } from '../../src/orchestrator/index.js';
import { awsClientConfigs, buildOrchestratorDeps } from '../../src/runtime/deps.js';

const logger = createLogger('stepcd-orchestrate');

/** Begin, Advance, Complete, RollbackBegin and Finish of the deployment state machine. */
export function createHandler(deps: (context: object) => OrchestratorDeps) {
  return middy(async (event: OrchestrateEvent, context: object) => {
    const { plan, cursor } = event.data;
    logger.appendKeys({ deploymentId: plan.deploymentId, app: plan.app.name, stage: cursor?.stage?.name ?? event.action });
    return orchestrate(event, deps(context));
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

let cached: OrchestratorDeps | undefined;
const config = () => loadConfig();

export const handler = createHandler((context) => {
  cached ??= buildOrchestratorDeps({ config: config(), clients: awsClientConfigs(config()), secrets: secretsFromContext(context), logger });
  return cached;
}).use(secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken', ...githubSecret()] })));

/**
 * The one GitHub credential in use (App key or token), for commit ancestry in Begin. A config that
 * does not load here fails the first invocation instead, with its own message.
 */
function githubSecret() {
  try {
    return [githubCredentialSecret(config().github)];
  } catch {
    return [];
  }
}
