import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { createHandler, type GithubWebhookEvent } from '../../src/gitops/webhook-handler.js';
import { createLogger } from '../../src/logging.js';
import { lambdaFunction } from '../../src/runtime/lambda.js';
import { githubWebhookServices } from '../../src/runtime/services.js';

const logger = createLogger('github-webhook');
const services = lambdaFunction(logger, githubWebhookServices);
const config = services.config();
// Fails the cold start when a secret's parameter is not named: the function refuses to start.
// GitHub is reached with the App's private key when STEPCD_GITHUB_APP_* are set, else with a token.
const secretNames = secretParameterNames({ required: ['githubWebhookSecret', githubCredentialSecret(config.github)] });

/**
 * POST /webhooks/github, and the asynchronous continuation of a large push. The route itself is
 * src/gitops/webhook-handler.ts, which the local stack serves too: this module reads the
 * configuration at import, so only Lambda loads it.
 */
export const handler = middy<GithubWebhookEvent>()
  // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it is the whole signed payload.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(secretsMiddleware(secretNames, { region: config.region }))
  .handler((event, context) => createHandler(services.deps(context))(event));
