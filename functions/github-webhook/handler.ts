import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { createLogger } from '../../src/logging.js';
import { awsClientConfigs } from '../../src/runtime/deps.js';
import { createHandler, type GithubWebhookEvent } from './create-handler.js';
import { productionDeps } from './deps.js';

export { createHandler };

const logger = createLogger('github-webhook');
const config = loadConfig();
const clients = awsClientConfigs(config);
// Fails the cold start when a secret's parameter is not named: the function refuses to start.
// GitHub is reached with the App's private key when STEPCD_GITHUB_APP_* are set, else with a token.
const secretNames = secretParameterNames({ required: ['githubWebhookSecret', githubCredentialSecret(config.github)] });

export const handler = middy<GithubWebhookEvent>()
  // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it is the whole signed payload.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(secretsMiddleware(secretNames, { region: config.region }))
  .handler(async (event, context) => {
    const deps = productionDeps({ config, clients, secrets: secretsFromContext(context), logger });
    return createHandler(deps)(event);
  });
