import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { lambdaFunction } from '../../src/runtime/lambda.js';
import { githubDeploymentsServices } from '../../src/runtime/services.js';
import { createHandler, logger } from './create-handler.js';

export { createHandler };

const services = lambdaFunction(logger, githubDeploymentsServices);
const config = services.config();

// GitHub is reached with the App's private key when STEPCD_GITHUB_APP_* are set, else with a token.
export const handler = createHandler(services.deps).use(
  secretsMiddleware(secretParameterNames({ required: [githubCredentialSecret(config.github)] }), { region: config.region }),
);
