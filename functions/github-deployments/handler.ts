import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import type { MirrorDeps } from '../../src/github/mirror-deployment.js';
import { buildMirrorDeps } from '../../src/github/mirror-deps.js';
import { githubCredentialSecret } from '../../src/gitops/github-credentials.js';
import { awsClientConfigs } from '../../src/runtime/deps.js';
import { createHandler, logger } from './create-handler.js';

export { createHandler };

const config = loadConfig();
let cached: MirrorDeps | undefined;

// GitHub is reached with the App's private key when STEPCD_GITHUB_APP_* are set, else with a token.
export const handler = createHandler((context) => {
  cached ??= buildMirrorDeps({ config, clients: awsClientConfigs(config), secrets: secretsFromContext(context), logger });
  return cached;
}).use(secretsMiddleware(secretParameterNames({ required: [githubCredentialSecret(config.github)] }), { region: config.region }));
