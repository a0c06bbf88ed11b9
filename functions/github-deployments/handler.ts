import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { lambdaServices } from '../../src/runtime/lambda.js';
import { createHandler, logger } from './create-handler.js';

export { createHandler };

const services = lambdaServices(logger);
const config = services.config();

// GitHub is reached with the App's private key when STEPCD_GITHUB_APP_* are set, else with a token.
export const handler = createHandler(services.githubDeployments).use(
  secretsMiddleware(secretParameterNames({ required: [githubCredentialSecret(config.github)] }), { region: config.region }),
);
