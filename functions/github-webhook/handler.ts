import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { requireSecret, secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { createLogger } from '../../src/logging.js';
import { createHandler, type GithubWebhookEvent } from './create-handler.js';
import { productionDeps } from './deps.js';

export { createHandler };

const logger = createLogger('github-webhook');
const config = loadConfig();
// Fails the cold start when the secret's parameter is not named: the function refuses to start.
const secretNames = secretParameterNames({ required: ['githubWebhookSecret', 'githubToken'] });

export const handler = middy<GithubWebhookEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(secretsMiddleware(secretNames, { region: config.region }))
  .handler(async (event, context) => {
    const secrets = secretsFromContext(context);
    const deps = productionDeps(config, { webhookSecret: requireSecret(secrets, 'githubWebhookSecret'), githubToken: requireSecret(secrets, 'githubToken') }, logger);
    return createHandler(deps)(event);
  });
